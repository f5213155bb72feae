//! The messages engines send to the PDFium thread.

use crate::cache::{CacheKey, PageCache};
use crate::document_id::DocumentId;
use crate::error::PdfError;
use crate::info::{
    DocumentInfo, PageSize, PdfiumSignature, SearchHit, SearchOptions, SearchResults,
};
use crate::render_spec::{CancelToken, Priority, RenderRequest, RenderedImage};
use pdfium_render::prelude::Pdfium;
use secrecy::SecretString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

pub(crate) type Reply<T> = oneshot::Sender<Result<T, PdfError>>;

/// A closure run on the PDFium thread with the bare library (benchmark floors, diagnostics).
pub(crate) type BareJob = Box<dyn FnOnce(&Pdfium) + Send>;

pub(crate) enum OpenSource {
    File(PathBuf),
    Bytes(Vec<u8>),
}

pub(crate) enum Command {
    Open {
        id: DocumentId,
        source: OpenSource,
        password: Option<SecretString>,
        reply: Reply<DocumentInfo>,
    },
    Close {
        id: DocumentId,
    },
    Render(RenderJob),
    PageSizes {
        id: DocumentId,
        reply: Reply<Vec<PageSize>>,
    },
    /// Sizes of a run of pages, measured as background work (a viewer laying out a long
    /// document while its first pages render).
    PageSizeRange(SizesJob),
    /// The pages of a document on screen now: their queued renders go first. Applied when the
    /// worker takes it in, ahead of anything queued.
    Focus {
        id: DocumentId,
        pages: std::ops::RangeInclusive<u32>,
    },
    Text {
        id: DocumentId,
        page: u32,
        reply: Reply<String>,
    },
    Search(SearchJob),
    Signatures {
        id: DocumentId,
        reply: Reply<Vec<PdfiumSignature>>,
    },
    Bare(BareJob),
}

pub(crate) struct RenderJob {
    pub id: DocumentId,
    pub request: RenderRequest,
    pub key: CacheKey,
    pub cache: Arc<Mutex<PageCache>>,
    /// `None` for prefetches the worker queued itself: their result only goes to the cache.
    pub reply: Option<Reply<RenderedImage>>,
    /// Pages after this one to prefetch once it is rendered (0 for prefetches).
    pub prefetch_pages: u32,
    pub max_pixels: u64,
}

impl RenderJob {
    /// Whether nobody wants the result any more.
    pub fn is_abandoned(&self) -> bool {
        let cancelled = self
            .request
            .cancel
            .as_ref()
            .is_some_and(CancelToken::is_cancelled);
        let caller_gone = self.reply.as_ref().is_some_and(oneshot::Sender::is_closed);
        cancelled || caller_gone
    }

    pub fn is_prefetch(&self) -> bool {
        self.request.priority == Priority::Prefetch
    }
}

/// Page sizes measured a slice at a time, like a search, so visible renders never wait for them.
pub(crate) struct SizesJob {
    pub id: DocumentId,
    pub next_page: u32,
    pub end: u32,
    pub sizes: Vec<PageSize>,
    pub reply: Reply<Vec<PageSize>>,
}

/// A search runs a few pages at a time and goes back to the queue in between, so renders of
/// visible pages are not stuck behind a search of a 1000-page manual.
pub(crate) struct SearchJob {
    pub id: DocumentId,
    pub query: String,
    pub options: SearchOptions,
    pub next_page: u32,
    pub hits: Vec<SearchHit>,
    pub reply: Reply<SearchResults>,
}
