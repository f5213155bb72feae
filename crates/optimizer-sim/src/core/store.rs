//! On-disk layout of the simulator: the state file (written atomically) and the files of every
//! request, image and upload in progress.
//!
//! ```text
//! <data>/state.json                      all metadata (tokens, requests, images, ...)
//! <data>/ca/                             the trust service (CA, TSA) when --data-dir is given
//! <data>/requests/<pk>/original/<uid>    uploaded documents
//! <data>/requests/<pk>/signed/<uid>      signed documents (.pdf or .p7m bytes)
//! <data>/requests/<pk>/contract.pdf      the service contract (contract-signed.pdf after sign)
//! <data>/requests/<pk>/id/<field>        ID images sent on create
//! <data>/requests/<pk>/video             VideoID video (external mode)
//! <data>/images/<uid>.png                signature images
//! <data>/staging/                        uploads being received
//! ```

use super::model::State;
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

const STATE_FILE: &str = "state.json";
/// Bytes of an upload kept to sniff its type.
const HEAD_LEN: usize = 1024;

/// The data directory.
pub struct Store {
    root: PathBuf,
    /// Keeps a temporary data directory alive; removed on drop.
    _temp: Option<tempfile::TempDir>,
}

impl Store {
    /// Opens `data_dir` (created if missing) or a fresh temporary directory.
    pub fn open(data_dir: Option<&Path>) -> io::Result<Self> {
        let (root, temp) = match data_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                (dir.to_path_buf(), None)
            }
            None => {
                let temp = tempfile::Builder::new()
                    .prefix("optimizer-sim-")
                    .tempdir()?;
                (temp.path().to_path_buf(), Some(temp))
            }
        };
        let staging = root.join("staging");
        // Leftovers of uploads interrupted by a crash are never referenced by the state.
        if staging.exists() {
            std::fs::remove_dir_all(&staging)?;
        }
        std::fs::create_dir_all(&staging)?;
        std::fs::create_dir_all(root.join("requests"))?;
        std::fs::create_dir_all(root.join("images"))?;
        Ok(Self { root, _temp: temp })
    }

    /// The data directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Reads the saved state, if any.
    pub fn load_state(&self) -> io::Result<Option<State>> {
        let path = self.root.join(STATE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Writes the state atomically: temporary file, fsync, rename, fsync of the directory.
    pub fn save_state(&self, state: &State) -> io::Result<()> {
        let bytes = serde_json::to_vec_pretty(state).map_err(io::Error::other)?;
        write_atomically(&self.root.join(STATE_FILE), &bytes)
    }

    /// Folder of request `pk`.
    pub fn request_dir(&self, pk: u64) -> PathBuf {
        self.root.join("requests").join(pk.to_string())
    }

    /// Uploaded original of a document.
    pub fn original(&self, pk: u64, uid: &str) -> PathBuf {
        self.request_dir(pk).join("original").join(uid)
    }

    /// Signed copy of a document.
    pub fn signed(&self, pk: u64, uid: &str) -> PathBuf {
        self.request_dir(pk).join("signed").join(uid)
    }

    /// The service contract, unsigned or signed.
    pub fn contract(&self, pk: u64, signed: bool) -> PathBuf {
        self.request_dir(pk).join(if signed {
            "contract-signed.pdf"
        } else {
            "contract.pdf"
        })
    }

    /// Forgets the unsigned contract (its data changed); the next download regenerates it.
    pub fn invalidate_contract(&self, pk: u64) -> io::Result<()> {
        match std::fs::remove_file(self.contract(pk, false)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// An ID image sent on create.
    pub fn id_image(&self, pk: u64, field: &str) -> PathBuf {
        self.request_dir(pk).join("id").join(field)
    }

    /// The VideoID video.
    pub fn video(&self, pk: u64) -> PathBuf {
        self.request_dir(pk).join("video")
    }

    /// A signature image.
    pub fn image(&self, uid: &str) -> PathBuf {
        self.root.join("images").join(format!("{uid}.png"))
    }

    /// Where the trust service keeps its keys.
    pub fn trust_dir(&self) -> PathBuf {
        self.root.join("ca")
    }

    /// Starts receiving an upload.
    pub async fn stage(&self) -> io::Result<StagedFile> {
        let (file, path) = tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(self.root.join("staging"))?
            .keep()
            .map_err(|e| e.error)?;
        let file = tokio::fs::File::from_std(file);
        Ok(StagedFile {
            file: Some(file),
            received: ReceivedFile {
                path,
                size: 0,
                sha256: String::new(),
                head: Vec::new(),
                kept: false,
            },
            hasher: Sha256::new(),
        })
    }
}

/// Writes `bytes` to `path` so a crash leaves either the old or the new content.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("path without a parent"))?;
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()
}

/// An upload being streamed to disk, hashed on the way.
pub struct StagedFile {
    file: Option<tokio::fs::File>,
    received: ReceivedFile,
    hasher: Sha256,
}

impl StagedFile {
    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> io::Result<()> {
        if self.received.head.len() < HEAD_LEN {
            let take = (HEAD_LEN - self.received.head.len()).min(chunk.len());
            self.received.head.extend_from_slice(&chunk[..take]);
        }
        self.hasher.update(chunk);
        self.received.size += chunk.len() as u64;
        match self.file.as_mut() {
            Some(file) => file.write_all(chunk).await,
            None => Err(io::Error::other("upload already finished")),
        }
    }

    /// Flushes to disk and returns the received file (deleted on drop unless moved in place).
    pub async fn finish(mut self) -> io::Result<ReceivedFile> {
        if let Some(mut file) = self.file.take() {
            file.flush().await?;
            file.sync_all().await?;
        }
        let mut received = std::mem::replace(
            &mut self.received,
            ReceivedFile {
                path: PathBuf::new(),
                size: 0,
                sha256: String::new(),
                head: vec![],
                kept: true,
            },
        );
        received.sha256 = hex::encode(std::mem::take(&mut self.hasher).finalize());
        Ok(received)
    }
}

/// A fully received upload waiting in staging.
pub struct ReceivedFile {
    path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// The first bytes (for type sniffing).
    pub head: Vec<u8>,
    kept: bool,
}

impl ReceivedFile {
    /// Where it is now.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Moves it to `dest` (same file system) and keeps it.
    pub fn keep_at(mut self, dest: &Path) -> io::Result<()> {
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(&self.path, dest)?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for ReceivedFile {
    fn drop(&mut self) {
        if !self.kept {
            // Best effort: a leftover in staging is removed at the next start anyway.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if !self.received.kept && !self.received.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.received.path);
        }
    }
}
