//! The desk's domain, shared by the window (`src-tauri`) and the CLI (`oneshot-desk-cli`),
//! and free of any UI framework.
//!
//! Infrastructure modules:
//! - [`error`]: the `{code, message, detail?}` error crossing every boundary;
//! - [`paths`]: where the desk keeps its files on each platform;
//! - [`vault`]: secrets in the OS keyring behind typed keys;
//! - [`settings`]: layered settings (defaults < IT's system file < user file) with locked keys;
//! - [`journal`]: the SQLite request journal written before and after each remote call;
//! - [`output`]: atomic, never-overwriting output of signed documents, names and hashes;
//! - [`logging`]: rotated log files with secrets redacted;
//! - [`redact`]: recognising and scrubbing secrets in names and text.

pub mod error;
mod fsutil;
pub mod journal;
pub mod logging;
pub mod output;
pub mod paths;
pub mod redact;
pub mod settings;
pub mod vault;

pub use error::{CodedError, DeskError, DeskResult, ErrorCode};
