//! The PDFium thread. PDFium is not thread-safe and pdfium-render binds it once per process, so
//! one thread per process owns the library and every open document; all engines send it
//! commands over a channel. Commands run by priority (interactive > prefetch > background
//! search steps); renders whose caller cancelled or stopped waiting are dropped before rendering.

mod commands;
mod queue;
mod state;

pub(crate) use commands::{Command, OpenSource, RenderJob, SearchJob, SizesJob};

use crate::error::PdfError;
use crate::library::{LibraryInfo, LibraryOptions, LookupEnvironment, LookupPlan};
use pdfium_render::prelude::Pdfium;
use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard};

/// How the engines reach the PDFium thread.
#[derive(Clone)]
pub(crate) struct WorkerClient {
    pub tx: mpsc::Sender<Command>,
    pub library: LibraryInfo,
}

/// The process's one PDFium thread, started by the first engine that finds the library.
static WORKER: Mutex<Option<WorkerClient>> = Mutex::new(None);

/// PDFium may recurse deeply on hostile files; give it room beyond the 2 MiB default.
const WORKER_STACK_BYTES: usize = 16 << 20;

/// The running worker, starting it (and binding PDFium) on first use. When the library cannot
/// be found nothing is kept, so a later call looks again (e.g. after IT installs it).
pub(crate) fn client(options: &LibraryOptions) -> Result<WorkerClient, PdfError> {
    let mut slot = lock(&WORKER);
    if let Some(client) = slot.as_ref() {
        return Ok(client.clone());
    }
    let plan = LookupPlan::new(options, &LookupEnvironment::from_process());
    let (ready_tx, ready_rx) = mpsc::sync_channel(1);
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("pdfium".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || {
            let (bindings, info) = match plan.bind() {
                Ok(bound) => bound,
                Err(err) => {
                    let _ = ready_tx.send(Err(err));
                    return;
                }
            };
            tracing::info!(library = %info, "PDFium bound");
            let pdfium = Pdfium::new(bindings);
            let _ = ready_tx.send(Ok(info));
            state::Worker::new(&pdfium).run(rx);
        })
        .map_err(|e| PdfError::internal(format!("cannot start the PDFium thread: {e}")))?;
    let library = ready_rx.recv().map_err(|_| PdfError::EngineStopped)??;
    let client = WorkerClient { tx, library };
    *slot = Some(client.clone());
    Ok(client)
}

/// A poisoned lock only means another thread panicked while holding it; the data (a cache or
/// a channel handle) is still consistent, so carry on.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
