//! What can go wrong with the journal.

use super::{RequestId, StepId, StepPhase};
use crate::error::{CodedError, ErrorCode};
use std::path::PathBuf;

/// A journal failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The database file could not be opened or set up.
    #[error("The request journal {} cannot be opened", path.display())]
    Open {
        /// The database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The directory for the database could not be created.
    #[error("The folder {} for the request journal cannot be created", path.display())]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file system does not support SQLite's write-ahead log (some network shares).
    #[error("The request journal {} needs a local disk: its file system refused WAL mode", path.display())]
    WalRefused {
        /// The database file.
        path: PathBuf,
        /// The journal mode SQLite fell back to.
        mode: String,
    },
    /// The database was written by a newer version of the desk.
    #[error(
        "The request journal {} was written by a newer version of OneShot Desk (schema {found}, \
         this version knows up to {supported}); update the desk",
        path.display()
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: usize,
        /// The newest this build knows.
        supported: usize,
    },
    /// Bringing the schema up to date failed; the database is left as it was.
    #[error("The request journal {} could not be upgraded", path.display())]
    Migration {
        /// The database file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// Another process held the database for too long.
    #[error("The request journal is busy in another window or process")]
    Busy,
    /// Another database failure (disk full, I/O error, damaged file, ...).
    #[error("The request journal failed")]
    Database {
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// No request with this id.
    #[error("No request {id} is in the journal")]
    RequestNotFound {
        /// The id.
        id: RequestId,
    },
    /// No step with this id.
    #[error("No step {id} is in the journal")]
    StepNotFound {
        /// The id.
        id: StepId,
    },
    /// The step's outcome was already recorded.
    #[error("Step {id} is already {phase}, so its outcome cannot be recorded again")]
    StepNotPending {
        /// The step.
        id: StepId,
        /// Its phase.
        phase: StepPhase,
    },
    /// The request is finished; no more steps can be started for it.
    #[error("Request {id} is finished")]
    RequestFinished {
        /// The request.
        id: RequestId,
    },
    /// A name given to the journal is not usable.
    #[error("The {what} is not usable: {reason}")]
    InvalidName {
        /// What the name is for (`state`, `step`, ...).
        what: &'static str,
        /// Why not.
        reason: &'static str,
    },
    /// A path that is not valid Unicode cannot be recorded.
    #[error("The path {} is not valid Unicode and cannot be recorded", path.display())]
    InvalidPath {
        /// The path.
        path: PathBuf,
    },
    /// A row holds a value this version does not understand.
    #[error("The request journal holds an unexpected value: {reason}")]
    Corrupt {
        /// What.
        reason: String,
    },
}

impl CodedError for JournalError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            JournalError::Open { .. }
            | JournalError::Directory { .. }
            | JournalError::WalRefused { .. } => "journal.open_failed",
            JournalError::NewerSchema { .. } => "journal.newer_schema",
            JournalError::Migration { .. } => "journal.migration_failed",
            JournalError::Busy => "journal.busy",
            JournalError::Database { .. } => "journal.database",
            JournalError::RequestNotFound { .. } => "journal.request_not_found",
            JournalError::StepNotFound { .. } => "journal.step_not_found",
            JournalError::StepNotPending { .. } => "journal.step_not_pending",
            JournalError::RequestFinished { .. } => "journal.request_finished",
            JournalError::InvalidName { .. } => "journal.invalid_name",
            JournalError::InvalidPath { .. } => "journal.invalid_path",
            JournalError::Corrupt { .. } => "journal.corrupt",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            JournalError::Open { source, .. } | JournalError::Database { source } => {
                Some(source.to_string())
            }
            JournalError::Migration { reason, .. } => Some(reason.clone()),
            JournalError::Directory { source, .. } => Some(source.to_string()),
            JournalError::WalRefused { mode, .. } => Some(format!("journal_mode = {mode}")),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for JournalError {
    fn from(source: rusqlite::Error) -> Self {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, error) = &source {
            return JournalError::Corrupt {
                reason: error.to_string(),
            };
        }
        if let rusqlite::Error::InvalidColumnType(..) = &source {
            return JournalError::Corrupt {
                reason: source.to_string(),
            };
        }
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                JournalError::Busy
            }
            _ => JournalError::Database { source },
        }
    }
}
