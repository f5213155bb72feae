//! The PDFium thread's loop and the documents it owns.

use super::commands::{Command, OpenSource, RenderJob, SearchJob};
use super::lock;
use super::queue::WorkQueue;
use crate::document_id::DocumentId;
use crate::encode::{RgbaPixels, Scratch, encode};
use crate::error::PdfError;
use crate::info::{DocumentInfo, SearchResults};
use crate::pdfium_ops;
use crate::render_spec::{Priority, RenderedImage};
use pdfium_render::prelude::{PdfDocument, Pdfium};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long one search step may hold the thread before visible renders get their turn.
const SEARCH_SLICE: Duration = Duration::from_millis(25);

pub(crate) struct Worker<'p> {
    pdfium: &'p Pdfium,
    documents: HashMap<DocumentId, PdfDocument<'p>>,
    queue: WorkQueue,
    /// Reused between renders: a page bitmap is megabytes, and fresh allocations of that size
    /// cost page faults on every render.
    pixels: Vec<u8>,
    scratch: Scratch,
}

impl<'p> Worker<'p> {
    pub fn new(pdfium: &'p Pdfium) -> Self {
        Self {
            pdfium,
            documents: HashMap::new(),
            queue: WorkQueue::default(),
            pixels: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// Runs until every sender is gone.
    pub fn run(mut self, rx: mpsc::Receiver<Command>) {
        loop {
            // Take in everything already sent, so priorities see the whole backlog.
            while let Ok(command) = rx.try_recv() {
                self.queue.push(command);
            }
            let Some(command) = self.queue.pop() else {
                match rx.recv() {
                    Ok(command) => {
                        self.queue.push(command);
                        continue;
                    }
                    Err(_) => return,
                }
            };
            // A bug in a command must not take every open document down with it.
            if catch_unwind(AssertUnwindSafe(|| self.handle(command))).is_err() {
                tracing::error!("a PDF command panicked; the engine carries on");
            }
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Open {
                id,
                source,
                password,
                reply,
            } => {
                let result = self.open(id, source, password.as_ref());
                let _ = reply.send(result);
            }
            Command::Close { id } => {
                self.documents.remove(&id);
            }
            Command::Render(job) => self.render(job),
            Command::PageSizes { id, reply } => {
                let _ = reply.send(self.document(id).and_then(pdfium_ops::page_sizes));
            }
            Command::Text { id, page, reply } => {
                let result = self.document(id).and_then(|doc| {
                    let page = pdfium_ops::load_page(doc, page)?;
                    pdfium_ops::page_text(&page)
                });
                let _ = reply.send(result);
            }
            Command::Search(job) => self.search_step(job),
            Command::Signatures { id, reply } => {
                let _ = reply.send(self.document(id).map(pdfium_ops::signatures));
            }
            Command::Bare(job) => job(self.pdfium),
        }
    }

    fn document(&self, id: DocumentId) -> Result<&PdfDocument<'p>, PdfError> {
        self.documents
            .get(&id)
            .ok_or(PdfError::UnknownDocument { id: id.to_string() })
    }

    fn open(
        &mut self,
        id: DocumentId,
        source: OpenSource,
        password: Option<&SecretString>,
    ) -> Result<DocumentInfo, PdfError> {
        let password_text = password.map(|p| p.expose_secret());
        let document = match source {
            OpenSource::File(path) => {
                let io = |action, source| PdfError::Io {
                    action,
                    path: path.clone(),
                    source,
                };
                let mut head = Vec::with_capacity(pdfium_ops::HEADER_WINDOW);
                std::fs::File::open(&path)
                    .map_err(|e| io("opening", e))?
                    .take(pdfium_ops::HEADER_WINDOW as u64)
                    .read_to_end(&mut head)
                    .map_err(|e| io("reading", e))?;
                pdfium_ops::check_header(&head)?;
                self.pdfium
                    .load_pdf_from_file(&path, password_text)
                    .map_err(|e| match pdfium_ops::open_error(e, password.is_some()) {
                        PdfError::Io { action, source, .. } => PdfError::Io {
                            action,
                            path,
                            source,
                        },
                        other => other,
                    })?
            }
            OpenSource::Bytes(bytes) => {
                pdfium_ops::check_header(&bytes)?;
                self.pdfium
                    .load_pdf_from_byte_vec(bytes, password_text)
                    .map_err(|e| pdfium_ops::open_error(e, password.is_some()))?
            }
        };
        let page_count = pdfium_ops::page_count(&document);
        let info = DocumentInfo {
            id,
            page_count,
            first_page_size: pdfium_ops::page_size(&document, 0).ok(),
            metadata: pdfium_ops::metadata(&document),
        };
        self.documents.insert(id, document);
        Ok(info)
    }

    fn render(&mut self, job: RenderJob) {
        if job.is_abandoned() {
            if let Some(reply) = job.reply {
                let _ = reply.send(Err(PdfError::Cancelled));
            }
            return;
        }
        // An earlier job (a prefetch, a duplicate request) may have produced it meanwhile.
        let cached = lock(&job.cache).get(&job.key);
        if let Some(image) = cached {
            if let Some(reply) = job.reply {
                let _ = reply.send(Ok(image));
            }
            return;
        }
        let result = self.render_uncached(&job);
        if let Ok(image) = &result {
            lock(&job.cache).insert(job.key, image.clone());
            if job.request.priority == Priority::Visible {
                self.queue_prefetches(&job);
            }
        }
        if let Some(reply) = job.reply {
            let _ = reply.send(result);
        }
    }

    fn render_uncached(&mut self, job: &RenderJob) -> Result<RenderedImage, PdfError> {
        let document = self
            .documents
            .get(&job.id)
            .ok_or(PdfError::UnknownDocument {
                id: job.id.to_string(),
            })?;
        let request = &job.request;
        let page = pdfium_ops::load_page(document, request.page)?;
        let (width, height) = pdfium_ops::render_rgba(
            &page,
            request.scale,
            request.rotation,
            request.region,
            job.max_pixels,
            &mut self.pixels,
        )?;
        drop(page);
        let pixels = RgbaPixels {
            data: &self.pixels,
            width,
            height,
        };
        let data = encode(&pixels, request.format, &mut self.scratch)?;
        // Keep one page's worth of buffer; a huge render must not pin its memory forever.
        if self.pixels.capacity() > 64 << 20 {
            self.pixels = Vec::new();
            self.scratch = Scratch::default();
        }
        Ok(RenderedImage {
            page: request.page,
            format: request.format,
            width,
            height,
            data,
        })
    }

    fn queue_prefetches(&mut self, job: &RenderJob) {
        let Some(document) = self.documents.get(&job.id) else {
            return;
        };
        let page_count = pdfium_ops::page_count(document);
        let cache = lock(&job.cache);
        // Pushed last-first so the page right after the visible one is popped first.
        for offset in (1..=job.prefetch_pages).rev() {
            let page = job.request.page.saturating_add(offset);
            if page >= page_count {
                continue;
            }
            let mut key = job.key;
            key.page = page;
            if cache.contains(&key) {
                continue;
            }
            let mut request = job.request.clone();
            request.page = page;
            request.priority = Priority::Prefetch;
            request.cancel = None;
            self.queue.push_prefetch(RenderJob {
                id: job.id,
                request,
                key,
                cache: job.cache.clone(),
                reply: None,
                prefetch_pages: 0,
                max_pixels: job.max_pixels,
            });
        }
    }

    fn search_step(&mut self, mut job: SearchJob) {
        if job.reply.is_closed() {
            return;
        }
        let started = Instant::now();
        let result = (|| -> Result<bool, PdfError> {
            let document = self.document(job.id)?;
            let page_count = pdfium_ops::page_count(document);
            while job.next_page < page_count {
                let limit = job.options.max_hits.saturating_sub(job.hits.len());
                if limit == 0 {
                    return Ok(true);
                }
                // A damaged page has no findable text; the rest of the document still does.
                let hits = pdfium_ops::load_page(document, job.next_page).and_then(|page| {
                    pdfium_ops::search_page(&page, job.next_page, &job.query, &job.options, limit)
                });
                match hits {
                    Ok(hits) => job.hits.extend(hits),
                    Err(err) => {
                        tracing::debug!(page = job.next_page, %err, "page skipped in search")
                    }
                }
                job.next_page += 1;
                if started.elapsed() > SEARCH_SLICE && self.queue.has_foreground() {
                    return Ok(false);
                }
            }
            Ok(true)
        })();
        match result {
            Ok(true) => {
                let truncated = job.hits.len() >= job.options.max_hits;
                let _ = job.reply.send(Ok(SearchResults {
                    hits: job.hits,
                    truncated,
                }));
            }
            Ok(false) => self.queue.push_search(job),
            Err(err) => {
                let _ = job.reply.send(Err(err));
            }
        }
    }
}
