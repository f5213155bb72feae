//! The PDFium thread's loop and the documents it owns.

use super::commands::{Command, OpenSource, RenderJob, SearchJob, SizesJob};
use super::lock;
use super::queue::{Background, WorkQueue};
use crate::document_id::DocumentId;
use crate::encode::{RgbaPixels, Scratch, encode};
use crate::error::PdfError;
use crate::info::{DocumentInfo, SearchResults};
use crate::pdfium_ops;
use crate::render_spec::{ImageFormat, Priority, RenderedImage, Rotation};
use crate::stored_jpeg;
use pdfium_render::prelude::{PdfDocument, Pdfium};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// How long one background step (search, page sizes) may hold the thread before visible renders
/// get their turn.
const SEARCH_SLICE: Duration = Duration::from_millis(25);

/// Pages loaded from one open document before it is opened afresh. PDFium keeps what every
/// loaded page parsed (fonts, images, decoded content) until the document closes: reading all
/// 1321 pages of the pgf manual grows the process by ~150 MB. Opening it again costs ~12 ms
/// (measured on that manual), once per this many pages. In the app's read through that manual
/// (window benchmark) the app process peaked at 207 MB reopening every 150 pages, 193 MB every
/// 50 and 189 MB every 20: 50 keeps most of the gain for a third of the reopens.
const REOPEN_AFTER_PAGES: u32 = 50;

/// A document the worker holds, and how to open it again.
struct Held<'p> {
    document: PdfDocument<'p>,
    /// Files only (bytes would have to be kept twice); `None` once the file changed on disk:
    /// the window must keep showing what was opened, never a different file under its name.
    reopen: Option<Reopen>,
    pages_loaded: u32,
}

impl Held<'_> {
    /// The document's file while it is the one opened: unknown for documents opened from bytes
    /// and once the file changed on disk.
    fn unchanged_file(&self) -> Option<&Path> {
        let reopen = self.reopen.as_ref()?;
        (FileIdentity::of(&reopen.path) == Some(reopen.identity)).then_some(reopen.path.as_path())
    }
}

struct Reopen {
    path: PathBuf,
    password: Option<SecretString>,
    identity: FileIdentity,
}

/// What tells that a file is still the one opened: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    len: u64,
    modified: Option<SystemTime>,
}

impl FileIdentity {
    fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

pub(crate) struct Worker<'p> {
    pdfium: &'p Pdfium,
    documents: HashMap<DocumentId, Held<'p>>,
    queue: WorkQueue,
    /// Reused between renders: a page bitmap is megabytes, and fresh allocations of that size
    /// cost page faults on every render.
    pixels: Vec<u8>,
    scratch: Scratch,
    /// Commands not taken in yet: background steps look here, so a render sent while one runs
    /// interrupts it.
    rx: Option<mpsc::Receiver<Command>>,
}

impl<'p> Worker<'p> {
    pub fn new(pdfium: &'p Pdfium) -> Self {
        Self {
            pdfium,
            documents: HashMap::new(),
            queue: WorkQueue::default(),
            pixels: Vec::new(),
            scratch: Scratch::default(),
            rx: None,
        }
    }

    /// Runs until every sender is gone.
    pub fn run(mut self, rx: mpsc::Receiver<Command>) {
        self.rx = Some(rx);
        loop {
            // Take in everything already sent, so priorities see the whole backlog.
            foreground_waiting(self.rx.as_ref(), &mut self.queue);
            if let Some(command) = self.queue.pop() {
                // A bug in a command must not take every open document down with it.
                if catch_unwind(AssertUnwindSafe(|| self.handle(command))).is_err() {
                    tracing::error!("a PDF command panicked; the engine carries on");
                }
                continue;
            }
            if let Some(job) = self.queue.pop_background() {
                if catch_unwind(AssertUnwindSafe(|| self.background_step(job))).is_err() {
                    tracing::error!("a background PDF step panicked; the engine carries on");
                }
                continue;
            }
            match self.rx.as_ref().map(mpsc::Receiver::recv) {
                Some(Ok(command)) => self.queue.push(command),
                _ => return,
            }
        }
    }

    fn background_step(&mut self, job: Background) {
        match job {
            Background::Search(job) => self.search_step(job),
            Background::Sizes(job) => self.sizes_step(job),
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
            // The queue keeps these as background work or applies them on arrival; handled
            // here only for completeness.
            Command::Search(job) => self.search_step(job),
            Command::PageSizeRange(job) => self.sizes_step(job),
            Command::Focus { .. } => {}
            Command::Signatures { id, reply } => {
                let _ = reply.send(self.document(id).map(pdfium_ops::signatures));
            }
            Command::Bare(job) => job(self.pdfium),
        }
    }

    fn document(&self, id: DocumentId) -> Result<&PdfDocument<'p>, PdfError> {
        document_in(&self.documents, id)
    }

    fn open(
        &mut self,
        id: DocumentId,
        source: OpenSource,
        password: Option<&SecretString>,
    ) -> Result<DocumentInfo, PdfError> {
        let password_text = password.map(|p| p.expose_secret());
        let mut reopen = None;
        let document = match source {
            OpenSource::File(path) => {
                let identity = FileIdentity::of(&path);
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
                let document = self
                    .pdfium
                    .load_pdf_from_file(&path, password_text)
                    .map_err(|e| match pdfium_ops::open_error(e, password.is_some()) {
                        PdfError::Io { action, source, .. } => PdfError::Io {
                            action,
                            path: path.clone(),
                            source,
                        },
                        other => other,
                    })?;
                reopen = identity.map(|identity| Reopen {
                    path,
                    password: password.cloned(),
                    identity,
                });
                document
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
        self.documents.insert(
            id,
            Held {
                document,
                reopen,
                pages_loaded: 0,
            },
        );
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
        self.page_loaded(job.id);
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
        let held = held_in(&self.documents, job.id)?;
        let request = &job.request;
        let page = pdfium_ops::load_page(&held.document, request.page)?;
        // A scan's page as stored, when the engine may choose the format (see `stored_jpeg`).
        if request.format == ImageFormat::Auto
            && request.region.is_none()
            && request.rotation == Rotation::None
            && let Some(stored) =
                stored_jpeg::page_jpeg(&page, held.unchanged_file(), request.scale, job.max_pixels)
        {
            return Ok(RenderedImage {
                page: request.page,
                format: ImageFormat::Jpeg,
                width: stored.width,
                height: stored.height,
                data: stored.data.into(),
            });
        }
        let format = match request.format {
            ImageFormat::Auto if pdfium_ops::mostly_images(&page) => ImageFormat::Jpeg,
            ImageFormat::Auto => ImageFormat::Png,
            chosen => chosen,
        };
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
        let data = encode(&pixels, format, &mut self.scratch)?;
        // Keep one page's worth of buffer; a huge render must not pin its memory forever.
        if self.pixels.capacity() > 64 << 20 {
            self.pixels = Vec::new();
            self.scratch = Scratch::default();
        }
        Ok(RenderedImage {
            page: request.page,
            format,
            width,
            height,
            data,
        })
    }

    /// Counts a page loaded from document `id`, and opens the document afresh every
    /// [`REOPEN_AFTER_PAGES`] (see there) when its file is unchanged.
    fn page_loaded(&mut self, id: DocumentId) {
        let pdfium = self.pdfium;
        let Some(held) = self.documents.get_mut(&id) else {
            return;
        };
        held.pages_loaded += 1;
        if held.pages_loaded < REOPEN_AFTER_PAGES {
            return;
        }
        held.pages_loaded = 0;
        let Some(reopen) = &held.reopen else {
            return;
        };
        if FileIdentity::of(&reopen.path) != Some(reopen.identity) {
            tracing::debug!("the viewed file changed on disk: kept as first opened");
            held.reopen = None;
            return;
        }
        let started = Instant::now();
        let password = reopen.password.as_ref().map(|p| p.expose_secret());
        match pdfium.load_pdf_from_file(&reopen.path, password) {
            Ok(fresh)
                if pdfium_ops::page_count(&fresh) == pdfium_ops::page_count(&held.document) =>
            {
                held.document = fresh;
                tracing::debug!(
                    elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
                    "document opened afresh to release PDFium's page data"
                );
            }
            // Not the same document any more, or unreadable now: keep the one open.
            _ => held.reopen = None,
        }
    }

    fn queue_prefetches(&mut self, job: &RenderJob) {
        let Some(document) = self.documents.get(&job.id).map(|held| &held.document) else {
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

    fn sizes_step(&mut self, mut job: SizesJob) {
        if job.reply.is_closed() {
            return;
        }
        let started = Instant::now();
        let result = (|| -> Result<bool, PdfError> {
            let document = document_in(&self.documents, job.id)?;
            let end = job.end.min(pdfium_ops::page_count(document));
            while job.next_page < end {
                job.sizes
                    .push(pdfium_ops::page_size(document, job.next_page)?);
                job.next_page += 1;
                // Checked every 16 pages: a page size costs well under a millisecond.
                if job.next_page.is_multiple_of(16)
                    && started.elapsed() > SEARCH_SLICE
                    && foreground_waiting(self.rx.as_ref(), &mut self.queue)
                {
                    return Ok(false);
                }
            }
            Ok(true)
        })();
        match result {
            Ok(true) => {
                let _ = job.reply.send(Ok(job.sizes));
            }
            Ok(false) => self.queue.push_background(Background::Sizes(job)),
            Err(err) => {
                let _ = job.reply.send(Err(err));
            }
        }
    }

    fn search_step(&mut self, mut job: SearchJob) {
        if job.reply.is_closed() {
            return;
        }
        let started = Instant::now();
        let result = (|| -> Result<bool, PdfError> {
            let document = document_in(&self.documents, job.id)?;
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
                if started.elapsed() > SEARCH_SLICE
                    && foreground_waiting(self.rx.as_ref(), &mut self.queue)
                {
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
            Ok(false) => self.queue.push_background(Background::Search(job)),
            Err(err) => {
                let _ = job.reply.send(Err(err));
            }
        }
    }
}

/// Takes in every command already sent, then tells whether foreground work is waiting.
fn foreground_waiting(rx: Option<&mpsc::Receiver<Command>>, queue: &mut WorkQueue) -> bool {
    if let Some(rx) = rx {
        while let Ok(command) = rx.try_recv() {
            queue.push(command);
        }
    }
    queue.has_foreground()
}

/// A document by id, borrowing only the table (background steps also touch the queue).
fn document_in<'a, 'p>(
    documents: &'a HashMap<DocumentId, Held<'p>>,
    id: DocumentId,
) -> Result<&'a PdfDocument<'p>, PdfError> {
    held_in(documents, id).map(|held| &held.document)
}

fn held_in<'a, 'p>(
    documents: &'a HashMap<DocumentId, Held<'p>>,
    id: DocumentId,
) -> Result<&'a Held<'p>, PdfError> {
    documents
        .get(&id)
        .ok_or(PdfError::UnknownDocument { id: id.to_string() })
}
