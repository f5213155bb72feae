//! Writing a document so that it is either complete and durable under its final name, or not
//! there at all — and never on top of another file.

use super::OutputError;
use super::hash::{Sha256Digest, sha256_file};
use super::names::{numbered_name, sanitize_file_name};
use crate::fsutil;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};
use tempfile::TempPath;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

const CHUNK: usize = 64 * 1024;

/// Highest ` (n)` suffix tried before giving up.
const MAX_NUMBER: u32 = 999;

/// A file written by [`write_atomically`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    /// Where it is now (the wanted name, or a numbered variant of it).
    pub path: PathBuf,
    /// SHA-256 of its content.
    pub sha256: Sha256Digest,
    /// Its length in bytes.
    pub size: u64,
    /// An identical file was already there under this name (e.g. written before a crash),
    /// so nothing new was written.
    pub reused_existing: bool,
}

/// Streams `source` into `dir/<file_name>`.
///
/// `file_name` may come from untrusted input: it is sanitised with
/// [`sanitize_file_name`](super::sanitize_file_name) (fallback `document`), so the result is
/// always directly inside `dir`. The data goes to a hidden temporary file in `dir`, which is
/// flushed to disk before being renamed to its final name without replacing anything, and the
/// directory is then flushed too. If a different file already has the name, ` (2)`, ` (3)`, ...
/// is added; if an identical file has it, that file is kept and reported.
///
/// `progress` is called with the number of bytes written so far after each chunk.
///
/// On error, or when the returned future is dropped (cancelled), the temporary file is
/// removed: no partial file is ever left under any name.
pub async fn write_atomically(
    dir: &Path,
    file_name: &str,
    source: impl AsyncRead,
    mut progress: impl FnMut(u64),
) -> Result<WrittenFile, OutputError> {
    let name = sanitize_file_name(file_name, "document");
    ensure_directory(dir).await?;

    // The temporary file is created owner-only (0600 on Unix) and keeps that mode under its
    // final name: the documents hold customers' personal data.
    let temp = tempfile::Builder::new()
        .prefix(".oneshot-desk-")
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|source| OutputError::from_write(dir.to_path_buf(), source))?;
    // From here on `temp_path` deletes the file when dropped, including on cancellation.
    let (file, temp_path) = temp.into_parts();
    let write_error = |source| OutputError::from_write(dir.join(&name), source);
    let mut file = tokio::fs::File::from_std(file);

    let mut source = std::pin::pin!(source);
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = source
            .read(&mut buffer)
            .await
            .map_err(|source| OutputError::Source { source })?;
        if n == 0 {
            break;
        }
        file.write_all(&buffer[..n]).await.map_err(write_error)?;
        hasher.update(&buffer[..n]);
        size += n as u64;
        progress(size);
    }
    file.flush().await.map_err(write_error)?;
    file.sync_all().await.map_err(write_error)?;
    drop(file);

    let sha256 = Sha256Digest::from_hasher(hasher);
    place(dir, &name, temp_path, sha256, size).await
}

/// Moves a finished file (written with a [`HashingWriter`] into a temporary file elsewhere, a
/// download say) into `dir/<file_name>`, with the rules of [`write_atomically`]: never on top of
/// another file, numbered when the name is taken, an identical file kept. On the same file
/// system it is renamed; otherwise it is copied (and the temporary file removed).
pub async fn move_atomically(
    dir: &Path,
    file_name: &str,
    temp_path: TempPath,
    sha256: Sha256Digest,
    size: u64,
) -> Result<WrittenFile, OutputError> {
    let name = sanitize_file_name(file_name, "document");
    ensure_directory(dir).await?;
    // Open before the rename attempt: if the file has to be copied, the failed rename has
    // already removed its name.
    let reader = tokio::fs::File::open(&temp_path)
        .await
        .map_err(|source| OutputError::Source { source })?;
    match place(dir, &name, temp_path, sha256, size).await {
        Err(OutputError::Write { source, .. })
            if source.kind() == std::io::ErrorKind::CrossesDevices =>
        {
            write_atomically(dir, file_name, reader, |_| {}).await
        }
        other => other,
    }
}

/// A temporary file being written (a download streaming into it): hashes and counts what is
/// written, so the file need not be read again before it is moved into place.
pub struct HashingWriter {
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
}

impl HashingWriter {
    pub fn new(file: tokio::fs::File) -> Self {
        HashingWriter {
            file,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// Flushes the file to disk; returns the digest and length of what was written.
    pub async fn finish(mut self) -> std::io::Result<(Sha256Digest, u64)> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        Ok((Sha256Digest::from_hasher(self.hasher), self.size))
    }
}

impl AsyncWrite for HashingWriter {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.file).poll_write(cx, buf);
        if let Poll::Ready(Ok(n)) = polled {
            // Exactly the bytes the file accepted, so the digest is the file's.
            this.hasher.update(&buf[..n]);
            this.size += n as u64;
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.file).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.file).poll_shutdown(cx)
    }
}

/// Gives the finished temporary file its final name.
async fn place(
    dir: &Path,
    name: &str,
    mut temp_path: TempPath,
    sha256: Sha256Digest,
    size: u64,
) -> Result<WrittenFile, OutputError> {
    for n in 1..=MAX_NUMBER {
        let candidate_name = if n == 1 {
            name.to_string()
        } else {
            numbered_name(name, n)
        };
        let candidate = dir.join(&candidate_name);
        if let Some(existing) = existing_regular_file(&candidate).await? {
            if existing == (sha256, size) {
                return Ok(WrittenFile {
                    path: candidate,
                    sha256,
                    size,
                    reused_existing: true,
                });
            }
            continue;
        }
        if tokio::fs::symlink_metadata(&candidate).await.is_ok() {
            continue; // a directory, link or other non-file has the name
        }
        let target = candidate.clone();
        let dir_owned = dir.to_path_buf();
        // The rename refuses to replace a file that appeared since the check above.
        let outcome =
            tokio::task::spawn_blocking(move || match temp_path.persist_noclobber(&target) {
                Ok(()) => Ok(fsutil::sync_dir(&dir_owned)),
                Err(error) => Err(error),
            })
            .await
            .map_err(|join| OutputError::Write {
                path: candidate.clone(),
                source: std::io::Error::other(join),
            })?;
        match outcome {
            Ok(synced) => {
                synced.map_err(|source| OutputError::from_write(dir.to_path_buf(), source))?;
                return Ok(WrittenFile {
                    path: candidate,
                    sha256,
                    size,
                    reused_existing: false,
                });
            }
            Err(error) if error.error.kind() == std::io::ErrorKind::AlreadyExists => {
                // Lost a race for this name: try it again (it may now hold the same content).
                temp_path = error.path;
                continue;
            }
            Err(error) => return Err(OutputError::from_write(candidate, error.error)),
        }
    }
    Err(OutputError::NamesExhausted {
        dir: dir.to_path_buf(),
        name: name.to_string(),
    })
}

/// `dir` must be an existing directory: the output folder is never created here.
async fn ensure_directory(dir: &Path) -> Result<(), OutputError> {
    match tokio::fs::metadata(dir).await {
        Ok(metadata) if metadata.is_dir() => Ok(()),
        _ => Err(OutputError::NotADirectory {
            path: dir.to_path_buf(),
        }),
    }
}

/// The digest and size of the regular file at `path`, if there is one (links are not
/// followed: a link planted under the name counts as a different file).
async fn existing_regular_file(path: &Path) -> Result<Option<(Sha256Digest, u64)>, OutputError> {
    match tokio::fs::symlink_metadata(path).await {
        Ok(metadata) if metadata.is_file() => sha256_file(path).await.map(Some),
        _ => Ok(None),
    }
}
