//! What can go wrong while writing output.

use crate::error::{CodedError, ErrorCode};
use std::path::PathBuf;

/// An output failure. Partial files are never left behind when one of these is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// The target directory does not exist or is not a directory.
    #[error("The output folder {} does not exist or is not a folder", path.display())]
    NotADirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The disk (or the user's quota, or a file size limit) is full.
    #[error("There is not enough space to write {}", path.display())]
    NoSpace {
        /// The file being written.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Writing failed for another reason (permissions, I/O error, ...).
    #[error("Cannot write {}", path.display())]
    Write {
        /// The file or directory being written.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Reading a file (to hash or compare it) failed.
    #[error("Cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The data being written could not be read from its source (e.g. a download broke off).
    #[error("The data to write could not be read from its source")]
    Source {
        /// The source's error.
        source: std::io::Error,
    },
    /// An `output.folder_pattern` that cannot be used.
    #[error("The folder pattern \"{pattern}\" cannot be used: {reason}")]
    InvalidPattern {
        /// The pattern.
        pattern: String,
        /// Why not.
        reason: String,
    },
    /// Every numbered variant of a file name is taken by a different file.
    #[error("No free name is left for {name} in {}", dir.display())]
    NamesExhausted {
        /// The directory.
        dir: PathBuf,
        /// The wanted file name.
        name: String,
    },
}

impl OutputError {
    /// Classifies a write error: full disks get their own code because the UI tells the user
    /// to free space rather than to call IT.
    pub(crate) fn from_write(path: PathBuf, source: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match source.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                OutputError::NoSpace { path, source }
            }
            _ => OutputError::Write { path, source },
        }
    }
}

impl CodedError for OutputError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            OutputError::NotADirectory { .. } => "output.not_a_directory",
            OutputError::NoSpace { .. } => "output.no_space",
            OutputError::Write { .. } => "output.write_failed",
            OutputError::Read { .. } => "output.read_failed",
            OutputError::Source { .. } => "output.source_failed",
            OutputError::InvalidPattern { .. } => "output.invalid_pattern",
            OutputError::NamesExhausted { .. } => "output.names_exhausted",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            OutputError::NoSpace { source, .. }
            | OutputError::Write { source, .. }
            | OutputError::Read { source, .. }
            | OutputError::Source { source } => Some(source.to_string()),
            _ => None,
        }
    }
}
