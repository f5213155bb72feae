//! What the journal stores. Nothing here may hold a secret or an OTP.

use crate::output::Sha256Digest;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The desk's own id of a request (not the Optimizer's pk).
    RequestId
);
id_type!(
    /// A step attempt.
    StepId
);
id_type!(
    /// A recorded file.
    FileId
);

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $word:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $word)] $variant,)*
        }

        impl $name {
            /// The word stored in the database.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                }
            }

            pub(crate) fn from_column(word: &str) -> Result<Self, super::JournalError> {
                match word {
                    $($word => Ok($name::$variant),)*
                    other => Err(super::JournalError::Corrupt {
                        reason: format!("\"{other}\" is not a {}", stringify!($name)),
                    }),
                }
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                $name::from_column(value.as_str()?)
                    .map_err(|error| rusqlite::types::FromSqlError::Other(Box::new(error)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// The Optimizer path layout a request was made with (resolved, never `auto`).
    ApiLayout {
        /// `/oneshot/api/v1/...`
        Current => "current",
        /// `/api/v1/...`
        Legacy => "legacy",
    }
);

text_enum!(
    /// Which flow a request follows.
    FlowKind {
        /// Identity data and ID photos typed at the desk, SMS code signature.
        Classic => "classic",
        /// eIDAS VideoID identification by the Trust Service Provider.
        VideoidEidas => "videoid_eidas",
        /// VideoID by an external identification provider.
        VideoidExternal => "videoid_external",
    }
);

text_enum!(
    /// Where a step attempt stands.
    StepPhase {
        /// Written before the remote call: if nothing follows, the call's outcome is unknown.
        Intent => "intent",
        /// The call succeeded.
        Done => "done",
        /// The call failed with a known error.
        Failed => "failed",
    }
);

text_enum!(
    /// What a recorded file is.
    FileRole {
        /// A document the customer signs, as uploaded.
        Original => "original",
        /// The Trust Service Provider's contract.
        Contract => "contract",
        /// A signed document.
        Signed => "signed",
        /// The VideoID recording.
        Video => "video",
        /// A photo of the customer's ID document.
        IdImage => "id_image",
    }
);

/// A request about to be journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    /// The Optimizer's base URL.
    pub optimizer_url: String,
    /// Its path layout.
    pub layout: ApiLayout,
    /// The flow.
    pub flow_kind: FlowKind,
    /// The flow's first state name.
    pub state: String,
    /// How the desk shows the customer in lists (e.g. "Ana García López"); no ids, no secrets.
    pub customer_display_name: String,
}

/// A journaled request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// The desk's id.
    pub id: RequestId,
    /// The Optimizer's base URL.
    pub optimizer_url: String,
    /// Its path layout.
    pub layout: ApiLayout,
    /// The flow.
    pub flow_kind: FlowKind,
    /// The Optimizer's request pk, once created.
    pub request_pk: Option<i64>,
    /// The VideoID pk, for VideoID flows once created.
    pub videoid_pk: Option<i64>,
    /// The flow's current state name.
    pub state: String,
    /// How the desk shows the customer.
    pub customer_display_name: String,
    /// When it was journaled.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When the flow ended (done, cancelled, abandoned); `None` while unfinished.
    pub finished_at: Option<Timestamp>,
}

/// A step attempt: one remote call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord {
    /// Its id.
    pub id: StepId,
    /// The request.
    pub request_id: RequestId,
    /// The step's name (e.g. `create`, `sign`).
    pub step: String,
    /// The remote call (e.g. `POST /oneshot/api/v1/sign/388141`).
    pub remote_call: String,
    /// Where it stands.
    pub phase: StepPhase,
    /// The error's code when it failed.
    pub error_code: Option<String>,
    /// When the intent was written.
    pub started_at: Timestamp,
    /// When the outcome was written.
    pub finished_at: Option<Timestamp>,
}

/// A file about to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// What it is.
    pub role: FileRole,
    /// Where it is on this computer.
    pub local_path: PathBuf,
    /// Its SHA-256.
    pub sha256: Sha256Digest,
    /// Its length in bytes.
    pub size: u64,
    /// The Optimizer's uid for it, if it has one.
    pub remote_uid: Option<String>,
}

/// A recorded file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRecord {
    /// Its id.
    pub id: FileId,
    /// The request.
    pub request_id: RequestId,
    /// What it is.
    pub role: FileRole,
    /// Where it is on this computer.
    pub local_path: PathBuf,
    /// Its SHA-256.
    pub sha256: Sha256Digest,
    /// Its length in bytes.
    pub size: u64,
    /// The Optimizer's uid for it.
    pub remote_uid: Option<String>,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// Everything journaled about one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestHistory {
    /// The request.
    pub request: RequestRecord,
    /// Its steps, oldest first.
    pub steps: Vec<StepRecord>,
    /// Its files, oldest first.
    pub files: Vec<FileRecord>,
}
