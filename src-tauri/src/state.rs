//! What the shell keeps for the life of the window: the desk (or why it could not open) and
//! whether this is a practice session against the bundled simulator.

use crate::error::{IpcError, IpcResult};
use crate::events::WindowEvents;
use desk_core::logging::{LogConfig, LogGuard};
use desk_core::paths::Paths;
use desk_core::{Desk, DeskOptions};

/// Set by `cargo xtask run`: the Optimizer is the bundled simulator, whose SMS inbox the window
/// may read to show the practice user the code "their phone" received.
pub const PRACTICE_ENV: &str = "ONESHOT_DESK_PRACTICE";

pub struct AppState {
    desk: Result<Desk, IpcError>,
    pub practice: bool,
    /// Keeps the log file writer alive as long as the app runs.
    _log: Option<LogGuard>,
}

impl AppState {
    /// Opens the desk from the platform's (or the environment's) folders. A failure is kept
    /// and shown by every command instead of stopping the app, so the employee sees why.
    pub fn open(events: WindowEvents) -> Self {
        let practice = std::env::var_os(PRACTICE_ENV).is_some_and(|value| value == "1");
        let paths = Paths::from_environment().map_err(|error| IpcError::from_coded(&error));
        let log = paths.as_ref().ok().and_then(|paths| {
            desk_core::logging::init(&LogConfig::new(paths, "oneshot-desk")).ok()
        });
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            practice,
            "OneShot Desk starting"
        );
        let desk = paths
            .and_then(|paths| Desk::open(DeskOptions::new(paths), events).map_err(IpcError::from));
        if let Err(error) = &desk {
            tracing::error!(code = %error.code, "the desk could not open: {}", error.message);
        }
        Self {
            desk,
            practice,
            _log: log,
        }
    }

    /// The desk, or the reason it could not open.
    pub fn desk(&self) -> IpcResult<&Desk> {
        self.desk.as_ref().map_err(Clone::clone)
    }
}
