//! The engine and the table of open documents, shared by the commands and the page protocol.

use crate::error::{IpcError, IpcResult};
use pdf_engine::{CancelToken, DocumentId, EngineConfig, LibraryOptions, PdfEngine};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// The engine's page cache in the app. The window keeps the images of the pages on screen and
/// one on either side, and every page it asks for makes the engine render the next two into this
/// cache, so scrolling on is served from here; 8 MiB also holds the last several pages read for
/// scrolling back (a 150-dpi page is ~0.3-1 MB encoded), and an older page renders again in
/// ~20 ms. The window benchmark's read through the pgf manual measured the app process at 245 MB
/// with 48 MiB, 207 MB with 16 MiB and 176 MB with 8 MiB (185 MB with 16 MiB once the window
/// kept fewer pages): the cache fills, and every byte of it is resident.
const CACHE_BYTES: usize = 8 << 20;

/// A page render in flight, cancelled when its page leaves the screen.
type PendingKey = (String, u32);

#[derive(Default)]
pub struct Viewer {
    library: LibraryOptions,
    engine: OnceLock<Result<PdfEngine, IpcError>>,
    documents: Mutex<HashMap<String, DocumentId>>,
    pending: Mutex<HashMap<PendingKey, CancelToken>>,
}

impl Viewer {
    /// A viewer whose PDFium lookup also tries `resources_dir` (the app's bundled resources).
    pub fn new(resources_dir: Option<PathBuf>) -> Self {
        Self {
            library: LibraryOptions {
                resources_dir,
                ..LibraryOptions::default()
            },
            ..Self::default()
        }
    }

    /// The engine, started on first use (the app starts it in the background at launch, so the
    /// first open does not wait for PDFium to load) so a missing PDFium only affects viewing,
    /// and is reported with every place looked at.
    pub fn engine(&self) -> IpcResult<&PdfEngine> {
        self.engine
            .get_or_init(|| {
                PdfEngine::start(EngineConfig {
                    library: self.library.clone(),
                    cache_bytes: CACHE_BYTES,
                    ..EngineConfig::default()
                })
                .map_err(IpcError::from)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Registers an open document under a fresh random handle.
    pub fn register(&self, id: DocumentId) -> String {
        let handle = uuid::Uuid::new_v4().simple().to_string();
        self.lock_documents().insert(handle.clone(), id);
        handle
    }

    /// The engine's id of a document the window opened, or `viewer.unknown_document`.
    pub fn document(&self, handle: &str) -> IpcResult<DocumentId> {
        self.lock_documents().get(handle).copied().ok_or_else(|| {
            IpcError::new(
                "viewer.unknown_document",
                "no open document has this handle",
            )
        })
    }

    /// Forgets a document and closes it in the engine.
    pub fn close(&self, handle: &str) -> IpcResult<()> {
        let id = self.lock_documents().remove(handle);
        self.lock_pending().retain(|(h, _), token| {
            let keep = h != handle;
            if !keep {
                token.cancel();
            }
            keep
        });
        match (id, self.engine.get()) {
            (Some(id), Some(Ok(engine))) => engine.close(id).map_err(IpcError::from),
            _ => Ok(()),
        }
    }

    /// A cancellation token for a page render about to start.
    pub fn track(&self, handle: &str, page: u32) -> CancelToken {
        let token = CancelToken::new();
        self.lock_pending()
            .insert((handle.to_owned(), page), token.clone());
        token
    }

    /// The render of this page finished (or failed); stop tracking it.
    pub fn untrack(&self, handle: &str, page: u32) {
        self.lock_pending().remove(&(handle.to_owned(), page));
    }

    /// Cancels queued renders of this document's pages outside `kept` (scrolled away).
    pub fn keep_only(&self, handle: &str, kept: std::ops::RangeInclusive<u32>) {
        self.lock_pending().retain(|(h, page), token| {
            let keep = h != handle || kept.contains(page);
            if !keep {
                token.cancel();
            }
            keep
        });
    }

    fn lock_documents(&self) -> std::sync::MutexGuard<'_, HashMap<String, DocumentId>> {
        self.documents
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, HashMap<PendingKey, CancelToken>> {
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
