//! The desk's domain, shared by the window (`src-tauri`) and the CLI (`oneshot-desk-cli`),
//! and free of any UI framework.
//!
//! Application layer:
//! - [`Desk`]: the facade the window and the CLI call; settings, connection test, RAO tokens,
//!   billing password, input checks and the flows;
//! - [`flow`]: the classic and VideoID flows as journaled state machines, their
//!   [`flow::FlowSnapshot`];
//! - [`events`]: [`DeskEvent`]s reported through an [`EventSink`];
//! - [`customer`]: the customer's data and its as-you-type checks;
//! - [`evidences`]: an external VideoID identification's evidences and their checks;
//! - [`qr`]: QR codes of VideoID links (SVG for the window, text for a terminal);
//! - [`inputs`]: checks of ID photos and documents before sending;
//! - [`practice`]: the simulator's SMS inbox for practice mode;
//! - [`inspect`]: a PDF's hash, signability and signatures;
//! - [`diagnostics`]: the set-up checks and the support bundle.
//!
//! Infrastructure modules:
//! - [`error`]: the `{code, message, detail?}` error crossing every boundary;
//! - [`paths`]: where the desk keeps its files on each platform;
//! - [`vault`]: secrets in the OS keyring behind typed keys;
//! - [`settings`]: layered settings (defaults < IT's system file < user file) with locked keys;
//! - [`journal`]: the SQLite request journal written before and after each remote call;
//! - [`output`]: atomic, never-overwriting output of signed documents, names and hashes;
//! - [`logging`]: rotated log files with secrets redacted;
//! - [`redact`]: recognising and scrubbing secrets in names and text;
//! - the webhook receiver (inside [`Desk`]): the Optimizer's status-change calls.

mod client_error;
pub mod customer;
mod desk;
pub mod diagnostics;
pub mod error;
pub mod events;
pub mod evidences;
pub mod flow;
mod fsutil;
pub mod inputs;
pub mod inspect;
pub mod journal;
pub mod logging;
pub mod output;
pub mod paths;
pub mod practice;
pub mod qr;
pub mod redact;
pub mod settings;
pub mod vault;
mod webhooks;

pub use desk::{
    ConnectionOverride, ConnectionReport, ConnectionSettings, Desk, DeskOptions, NewTokenRequest,
    OptimizerToken, StatusFollowing, TokenForgotten,
};
pub use error::{CodedError, DeskError, DeskResult, ErrorCode};

/// Makes `ring` the process's default rustls crypto provider, unless one is installed already.
///
/// The desk's own clients are built with `ring` explicitly; the default matters for other
/// rustls users in the same process built without one (reqwest's `rustls-no-provider`
/// feature, unified across the workspace, makes their `Client::builder().build()` panic
/// without a default) — e.g. an in-process simulator in practice mode or in tests.
/// [`Desk::open`] calls it.
pub fn install_crypto_provider() {
    // An error only means another provider was installed first, which serves as well.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
pub use events::{DeskEvent, EventSink};
