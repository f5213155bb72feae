//! [`PdfEngine`]: the async handle the app, the CLI and the tests use. Cheap to clone, usable
//! from any thread; every call becomes a command for the PDFium thread, except cache hits,
//! which are answered on the caller's thread without waiting behind other renders.

use crate::cache::{CacheKey, PageCache};
use crate::document_id::DocumentId;
use crate::error::PdfError;
use crate::info::{DocumentInfo, PageSize, PdfiumSignature, SearchOptions, SearchResults};
use crate::library::{LibraryInfo, LibraryOptions};
use crate::render_spec::{ImageFormat, Priority, RenderRequest, RenderedImage, Rotation};
use crate::worker::{
    self, Command, OpenSource, RenderJob, SearchJob, SizesJob, WorkerClient, lock,
};
use pdfium_render::prelude::Pdfium;
use secrecy::SecretString;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};
use tokio::sync::oneshot;

/// Tuning of an engine. The defaults suit the desk's review screen.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Where to look for PDFium first (the first engine of a process binds it for all).
    pub library: LibraryOptions,
    /// Budget of the rendered-page cache, in encoded bytes.
    pub cache_bytes: usize,
    /// Pages after a visible page to render ahead.
    pub prefetch_pages: u32,
    /// The largest render allowed, in pixels (a 300-dpi A4 page is 8.7 million).
    pub max_render_pixels: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            library: LibraryOptions::default(),
            cache_bytes: 128 << 20,
            prefetch_pages: 2,
            max_render_pixels: 40_000_000,
        }
    }
}

/// Cache occupancy, for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub entries: usize,
    pub bytes: usize,
    pub budget: usize,
}

/// The PDF engine handle. Documents opened through a handle are closed when its last clone is
/// dropped.
#[derive(Clone)]
pub struct PdfEngine {
    shared: Arc<Shared>,
}

struct Shared {
    tx: mpsc::Sender<Command>,
    library: LibraryInfo,
    config: EngineConfig,
    cache: Arc<Mutex<PageCache>>,
    /// The open documents' page counts (request checks without a round trip) and, once asked
    /// for, their page sizes.
    documents: Mutex<HashMap<DocumentId, OpenDocument>>,
}

struct OpenDocument {
    page_count: u32,
    page_sizes: Option<Arc<Vec<PageSize>>>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        for id in lock(&self.documents).keys() {
            let _ = self.tx.send(Command::Close { id: *id });
        }
    }
}

impl std::fmt::Debug for PdfEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfEngine")
            .field("library", &self.shared.library)
            .finish_non_exhaustive()
    }
}

impl PdfEngine {
    /// Finds and binds PDFium (once per process) and returns a handle. Fails with
    /// [`PdfError::LibraryMissing`] listing every place looked at.
    pub fn start(config: EngineConfig) -> Result<Self, PdfError> {
        let WorkerClient { tx, library } = worker::client(&config.library)?;
        let cache = Arc::new(Mutex::new(PageCache::new(config.cache_bytes)));
        Ok(Self {
            shared: Arc::new(Shared {
                tx,
                library,
                config,
                cache,
                documents: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The PDFium in use (path, lookup step, version), for "About" and `doctor`.
    pub fn library(&self) -> &LibraryInfo {
        &self.shared.library
    }

    /// Opens a PDF file. PDFium reads it lazily, so huge files open quickly.
    pub async fn open_file(
        &self,
        path: impl AsRef<Path>,
        password: Option<SecretString>,
    ) -> Result<DocumentInfo, PdfError> {
        self.open(OpenSource::File(path.as_ref().to_path_buf()), password)
            .await
    }

    /// Opens a PDF held in memory.
    pub async fn open_bytes(
        &self,
        bytes: Vec<u8>,
        password: Option<SecretString>,
    ) -> Result<DocumentInfo, PdfError> {
        self.open(OpenSource::Bytes(bytes), password).await
    }

    async fn open(
        &self,
        source: OpenSource,
        password: Option<SecretString>,
    ) -> Result<DocumentInfo, PdfError> {
        let id = DocumentId::next();
        let info = self
            .ask(|reply| Command::Open {
                id,
                source,
                password,
                reply,
            })
            .await?;
        let entry = OpenDocument {
            page_count: info.page_count,
            page_sizes: None,
        };
        lock(&self.shared.documents).insert(id, entry);
        Ok(info)
    }

    /// Closes a document and drops its cached pages.
    pub fn close(&self, id: DocumentId) -> Result<(), PdfError> {
        if lock(&self.shared.documents).remove(&id).is_none() {
            return Err(unknown(id));
        }
        lock(&self.shared.cache).remove_document(id);
        self.send(Command::Close { id })
    }

    /// Renders a page (or a region of it) to an encoded image, from the cache when possible.
    /// A visible render queues the next pages as prefetches.
    pub async fn render(
        &self,
        id: DocumentId,
        request: RenderRequest,
    ) -> Result<RenderedImage, PdfError> {
        let key = CacheKey {
            document: id,
            page: request.page,
            scale_bits: request.scale.to_bits(),
            rotation: request.rotation,
            region: request.region,
            format: request.format,
        };
        if let Some(image) = lock(&self.shared.cache).get(&key) {
            return Ok(image);
        }
        self.check_page(id, request.page)?;
        let prefetch_pages = match request.priority {
            Priority::Visible => self.shared.config.prefetch_pages,
            Priority::Prefetch => 0,
        };
        let cache = self.shared.cache.clone();
        let max_pixels = self.shared.config.max_render_pixels;
        self.ask(|reply| {
            Command::Render(RenderJob {
                id,
                request,
                key,
                cache,
                reply: Some(reply),
                prefetch_pages,
                max_pixels,
            })
        })
        .await
    }

    /// A small image of a page whose longer side is `max_edge` pixels, in `format`.
    pub async fn thumbnail(
        &self,
        id: DocumentId,
        page: u32,
        max_edge: u32,
        format: ImageFormat,
    ) -> Result<RenderedImage, PdfError> {
        let sizes = self.page_sizes(id).await?;
        let size = sizes
            .get(page as usize)
            .copied()
            .ok_or(PdfError::PageOutOfRange {
                page,
                page_count: sizes.len() as u32,
            })?;
        let longest = size.width.max(size.height);
        if longest <= 0.0 || max_edge == 0 {
            return Err(PdfError::invalid(
                "a thumbnail needs a page with an area and a size",
            ));
        }
        let mut request = RenderRequest::page(page, max_edge as f32 / longest);
        request.format = format;
        request.rotation = Rotation::None;
        self.render(id, request).await
    }

    /// The displayed size of every page (after its `/Rotate`), in PDF points; measured once per
    /// document, then answered from memory.
    pub async fn page_sizes(&self, id: DocumentId) -> Result<Arc<Vec<PageSize>>, PdfError> {
        let known = lock(&self.shared.documents)
            .get(&id)
            .ok_or_else(|| unknown(id))?
            .page_sizes
            .clone();
        if let Some(sizes) = known {
            return Ok(sizes);
        }
        let sizes = Arc::new(self.ask(|reply| Command::PageSizes { id, reply }).await?);
        if let Some(entry) = lock(&self.shared.documents).get_mut(&id) {
            entry.page_sizes = Some(sizes.clone());
        }
        Ok(sizes)
    }

    /// The displayed sizes of pages `start..end` (clamped to the document), measured as
    /// background work: renders, visible or prefetched, go first. For laying out a long
    /// document a run of pages at a time while its first pages are already on screen.
    pub async fn page_sizes_range(
        &self,
        id: DocumentId,
        start: u32,
        end: u32,
    ) -> Result<Vec<PageSize>, PdfError> {
        if let Some(sizes) = lock(&self.shared.documents)
            .get(&id)
            .ok_or_else(|| unknown(id))?
            .page_sizes
            .clone()
        {
            let end = (end as usize).min(sizes.len());
            return Ok(sizes.get(start as usize..end).unwrap_or_default().to_vec());
        }
        self.ask(|reply| {
            Command::PageSizeRange(SizesJob {
                id,
                next_page: start,
                end,
                sizes: Vec::new(),
                reply,
            })
        })
        .await
    }

    /// Tells the engine which pages of a document are on screen: their queued renders run
    /// before other queued renders (pages scrolled past, requested earlier).
    pub fn focus(
        &self,
        id: DocumentId,
        pages: std::ops::RangeInclusive<u32>,
    ) -> Result<(), PdfError> {
        self.check_document(id)?;
        self.send(Command::Focus { id, pages })
    }

    /// The text of one page, in PDFium's reading order.
    pub async fn page_text(&self, id: DocumentId, page: u32) -> Result<String, PdfError> {
        self.check_page(id, page)?;
        self.ask(|reply| Command::Text { id, page, reply }).await
    }

    /// Every occurrence of `query`, with its rectangles in page points (top-left origin).
    pub async fn search(
        &self,
        id: DocumentId,
        query: &str,
        options: SearchOptions,
    ) -> Result<SearchResults, PdfError> {
        if query.is_empty() {
            return Err(PdfError::invalid("the search text is empty"));
        }
        self.check_document(id)?;
        let query = query.to_string();
        self.ask(|reply| {
            Command::Search(SearchJob {
                id,
                query,
                options,
                next_page: 0,
                hits: Vec::new(),
                reply,
            })
        })
        .await
    }

    /// The signatures PDFium reads from the document (reason, time, size of the CMS blob).
    pub async fn pdfium_signatures(
        &self,
        id: DocumentId,
    ) -> Result<Vec<PdfiumSignature>, PdfError> {
        self.check_document(id)?;
        self.ask(|reply| Command::Signatures { id, reply }).await
    }

    /// Runs `f` on the PDFium thread with the bare pdfium-render library: for benchmark floors
    /// and diagnostics that must use PDFium directly without racing the engine.
    pub async fn with_pdfium<R, F>(&self, f: F) -> Result<R, PdfError>
    where
        R: Send + 'static,
        F: FnOnce(&Pdfium) -> R + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.send(Command::Bare(Box::new(move |pdfium| {
            let _ = tx.send(f(pdfium));
        })))?;
        rx.await.map_err(|_| PdfError::EngineStopped)
    }

    /// How full the rendered-page cache is.
    pub fn cache_stats(&self) -> CacheStats {
        let cache = lock(&self.shared.cache);
        CacheStats {
            entries: cache.len(),
            bytes: cache.bytes(),
            budget: self.shared.config.cache_bytes,
        }
    }

    fn check_document(&self, id: DocumentId) -> Result<(), PdfError> {
        if lock(&self.shared.documents).contains_key(&id) {
            Ok(())
        } else {
            Err(unknown(id))
        }
    }

    fn check_page(&self, id: DocumentId, page: u32) -> Result<(), PdfError> {
        let documents = lock(&self.shared.documents);
        let page_count = documents.get(&id).ok_or_else(|| unknown(id))?.page_count;
        if page < page_count {
            Ok(())
        } else {
            Err(PdfError::PageOutOfRange { page, page_count })
        }
    }

    fn send(&self, command: Command) -> Result<(), PdfError> {
        self.shared
            .tx
            .send(command)
            .map_err(|_| PdfError::EngineStopped)
    }

    async fn ask<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<T, PdfError>>) -> Command,
    ) -> Result<T, PdfError> {
        let (tx, rx) = oneshot::channel();
        self.send(command(tx))?;
        // The thread is alive (the send worked) but dropped the answer: the command panicked
        // and the worker carried on without it.
        rx.await
            .map_err(|_| PdfError::internal("the command failed inside the PDF engine"))?
    }
}

fn unknown(id: DocumentId) -> PdfError {
    PdfError::UnknownDocument { id: id.to_string() }
}
