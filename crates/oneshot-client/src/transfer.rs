//! Progress reporting, cancellation and streamed file parts for uploads and downloads.
//!
//! Files are never read whole: uploads stream from disk as multipart parts of known length,
//! downloads stream into any `AsyncWrite`. Dropping a transfer future is always safe; a
//! [`CancellationToken`] in the [`TransferControl`] ends it with the `cancelled` code instead.

use crate::error::{Error, ErrorCode, Result};
use crate::types::FileInput;
use bytes::Bytes;
use futures_util::StreamExt;
use reqwest::multipart::Part;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::io::ReaderStream;
use tokio_util::sync::CancellationToken;

/// Read size when streaming a file into an upload.
const UPLOAD_CHUNK: usize = 64 * 1024;

/// How far a transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes sent or received so far.
    pub done: u64,
    /// Bytes in total, when known (uploads always; downloads when the server sends a length).
    pub total: Option<u64>,
}

type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Progress callback and cancellation for one transfer. `TransferControl::default()` does
/// neither.
#[derive(Clone, Default)]
pub struct TransferControl {
    progress: Option<ProgressFn>,
    cancel: Option<CancellationToken>,
}

impl fmt::Debug for TransferControl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransferControl")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}

impl TransferControl {
    /// Neither progress nor cancellation.
    pub fn new() -> Self {
        TransferControl::default()
    }

    /// Calls `callback` as bytes move (from the I/O task: keep it quick).
    pub fn on_progress(mut self, callback: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(callback));
        self
    }

    /// Publishes progress into a watch channel (the latest value wins).
    pub fn progress_channel(self, sender: tokio::sync::watch::Sender<Progress>) -> Self {
        self.on_progress(move |p| {
            // A dropped receiver only means nobody is watching any more.
            let _ = sender.send(p);
        })
    }

    /// Ends the transfer with `cancelled` when `token` is cancelled.
    pub fn cancel_token(mut self, token: CancellationToken) -> Self {
        self.cancel = Some(token);
        self
    }

    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        if let Some(callback) = &self.progress {
            callback(Progress { done, total });
        }
    }

    /// Runs `work` unless the token is (or gets) cancelled first.
    pub(crate) async fn run<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        match &self.cancel {
            Some(token) => cancellable(token, work).await,
            None => work.await,
        }
    }
}

/// Runs any call of the client until `token` is cancelled, then fails with `cancelled`.
/// (Dropping the call's future has the same effect without the error value.)
pub async fn cancellable<T>(
    token: &CancellationToken,
    work: impl Future<Output = Result<T>>,
) -> Result<T> {
    if token.is_cancelled() {
        return Err(Error::cancelled());
    }
    tokio::select! {
        biased;
        () = token.cancelled() => Err(Error::cancelled()),
        result = work => result,
    }
}

/// What a download delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Bytes written.
    pub bytes: u64,
    /// The answer's content type, as sent.
    pub content_type: Option<String>,
}

/// A file opened for upload, its length known.
pub(crate) struct PreparedFile {
    pub(crate) name: String,
    pub(crate) len: u64,
    source: Source,
}

enum Source {
    File {
        file: tokio::fs::File,
        path: PathBuf,
    },
    Bytes(Bytes),
}

impl PreparedFile {
    /// Opens `input` and learns its length.
    pub(crate) async fn open(input: &FileInput) -> Result<PreparedFile> {
        match input {
            FileInput::Path { path, .. } => {
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|err| Error::io_file("open", path, err))?;
                let meta = file
                    .metadata()
                    .await
                    .map_err(|err| Error::io_file("inspect", path, err))?;
                if !meta.is_file() {
                    return Err(Error::new(
                        ErrorCode::IoFile,
                        format!("{} is not a regular file", path.display()),
                    ));
                }
                Ok(PreparedFile {
                    name: input.file_name(),
                    len: meta.len(),
                    source: Source::File {
                        file,
                        path: path.clone(),
                    },
                })
            }
            FileInput::Bytes { bytes, .. } => Ok(PreparedFile {
                name: input.file_name(),
                len: bytes.len() as u64,
                source: Source::Bytes(bytes.clone()),
            }),
        }
    }

    /// A multipart part streaming this file, counting bytes into `counter`.
    pub(crate) fn into_part(self, mime: &str, counter: &Arc<UploadCounter>) -> Result<Part> {
        let len = self.len;
        let counter = Arc::clone(counter);
        let body = match self.source {
            Source::File { file, path } => {
                let stream = ReaderStream::with_capacity(file, UPLOAD_CHUNK).map(move |chunk| {
                    match &chunk {
                        Ok(bytes) => counter.add(bytes.len()),
                        Err(err) => counter.read_failed(&path, err),
                    }
                    chunk
                });
                reqwest::Body::wrap_stream(stream)
            }
            Source::Bytes(bytes) => {
                let stream = futures_util::stream::once(async move {
                    counter.add(bytes.len());
                    Ok::<Bytes, std::io::Error>(bytes)
                });
                reqwest::Body::wrap_stream(stream)
            }
        };
        Part::stream_with_length(body, len)
            .file_name(self.name)
            .mime_str(mime)
            .map_err(|err| {
                Error::new(
                    ErrorCode::InputInvalid,
                    format!("bad MIME type {mime}: {err}"),
                )
            })
    }
}

/// Shared byte counter of one upload (all its files and batches).
pub(crate) struct UploadCounter {
    done: AtomicU64,
    total: u64,
    control: TransferControl,
    read_error: Mutex<Option<String>>,
    started: Instant,
    /// Milliseconds after `started` of the last byte handed to the connection.
    last_activity_ms: AtomicU64,
}

impl UploadCounter {
    pub(crate) fn new(total: u64, control: &TransferControl) -> Arc<Self> {
        control.report(0, Some(total));
        Arc::new(UploadCounter {
            done: AtomicU64::new(0),
            total,
            control: control.clone(),
            read_error: Mutex::new(None),
            started: Instant::now(),
            last_activity_ms: AtomicU64::new(0),
        })
    }

    fn add(&self, n: usize) {
        let now = self.started.elapsed().as_millis() as u64;
        self.last_activity_ms.store(now, Ordering::Relaxed);
        let done = self.done.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        self.control.report(done, Some(self.total));
    }

    fn read_failed(&self, path: &std::path::Path, err: &std::io::Error) {
        if let Ok(mut slot) = self.read_error.lock() {
            *slot = Some(format!("could not read {}: {err}", path.display()));
        }
    }

    /// Time since the upload last moved (or started).
    pub(crate) fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_activity_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    /// A local read failure that broke the upload, if one did: it explains a transport error
    /// better than the transport error itself.
    pub(crate) fn take_read_error(&self) -> Option<Error> {
        let text = self.read_error.lock().ok()?.take()?;
        Some(Error::new(ErrorCode::IoFile, text))
    }
}

/// The MIME type announced for an uploaded file, from its name.
pub(crate) fn mime_for(name: &str, default: &'static str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "json" => "application/json",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => default,
    }
}
