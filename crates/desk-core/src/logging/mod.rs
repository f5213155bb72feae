//! Logging: `tracing` events to daily-rotated files in the platform log directory (kept for a
//! number of days), and to stderr for the CLI, with secrets redacted as they are formatted.
//!
//! Redaction is the last line of defence, not the first: secrets travel as
//! [`secrecy::SecretString`] and are never given to `tracing` on purpose. Should one be logged
//! anyway, a field named like a secret prints `[redacted]`, and values and messages are
//! scrubbed with [`crate::redact::redact_text`].
//!
//! The level filter comes from the `ONESHOT_DESK_LOG` environment variable (`EnvFilter`
//! syntax, e.g. `debug` or `info,desk_core=trace`) or else from [`LogConfig::filter`].

mod fields;

pub use fields::RedactingFields;

use crate::error::{CodedError, ErrorCode};
use crate::paths::Paths;
use std::io::IsTerminal;
use std::path::PathBuf;
use tracing::Subscriber;
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;

/// The environment variable overriding the level filter.
pub const FILTER_ENV: &str = "ONESHOT_DESK_LOG";

/// How logging is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// Directory of the log files.
    pub dir: PathBuf,
    /// File names are `<prefix>.<YYYY-MM-DD>.log`.
    pub file_prefix: String,
    /// Daily files kept; older ones are deleted.
    pub retention_days: usize,
    /// Also write to stderr (the CLI).
    pub stderr: bool,
    /// Level filter when `ONESHOT_DESK_LOG` is not set.
    pub filter: String,
}

impl LogConfig {
    /// Files `<prefix>.<date>.log` in the platform log directory, 14 days kept, level `info`,
    /// no stderr.
    pub fn new(paths: &Paths, file_prefix: &str) -> Self {
        LogConfig {
            dir: paths.log_dir.clone(),
            file_prefix: file_prefix.to_string(),
            retention_days: 14,
            stderr: false,
            filter: "info".to_string(),
        }
    }
}

/// Keeps the background log writer alive; dropping it flushes what is pending. Hold it for
/// the life of the program.
#[must_use = "dropping the guard stops file logging"]
#[derive(Debug)]
pub struct LogGuard {
    _writer: WorkerGuard,
}

/// Logging could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoggingError {
    /// The level filter is not valid.
    #[error("The log filter \"{filter}\" is not valid")]
    InvalidFilter {
        /// The filter.
        filter: String,
        /// Why not.
        reason: String,
    },
    /// The log directory cannot be created or written.
    #[error("Cannot write log files in {}", dir.display())]
    Directory {
        /// The directory.
        dir: PathBuf,
        /// Why not.
        reason: String,
    },
    /// A global logger is already installed.
    #[error("Logging was already set up")]
    AlreadyInitialised,
}

impl CodedError for LoggingError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            LoggingError::InvalidFilter { .. } => "logging.invalid_filter",
            LoggingError::Directory { .. } => "logging.unwritable_dir",
            LoggingError::AlreadyInitialised => "logging.already_initialised",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            LoggingError::InvalidFilter { reason, .. } | LoggingError::Directory { reason, .. } => {
                Some(reason.clone())
            }
            LoggingError::AlreadyInitialised => None,
        }
    }
}

/// Installs the desk's logging for the whole process.
pub fn init(config: &LogConfig) -> Result<LogGuard, LoggingError> {
    let (subscriber, guard) = subscriber(config)?;
    tracing::subscriber::set_global_default(subscriber)
        .map_err(|_| LoggingError::AlreadyInitialised)?;
    Ok(guard)
}

/// The desk's logging as a subscriber, without installing it (for `with_default` in tests or
/// embedding).
pub fn subscriber(
    config: &LogConfig,
) -> Result<(Box<dyn Subscriber + Send + Sync>, LogGuard), LoggingError> {
    let filter_text = std::env::var(FILTER_ENV)
        .ok()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or_else(|| config.filter.clone());
    let filter = EnvFilter::try_new(&filter_text).map_err(|e| LoggingError::InvalidFilter {
        filter: filter_text.clone(),
        reason: e.to_string(),
    })?;

    let directory_error = |reason: String| LoggingError::Directory {
        dir: config.dir.clone(),
        reason,
    };
    std::fs::create_dir_all(&config.dir).map_err(|e| directory_error(e.to_string()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(&config.file_prefix)
        .filename_suffix("log")
        .max_log_files(config.retention_days.max(1))
        .build(&config.dir)
        .map_err(|e| directory_error(e.to_string()))?;
    // Lossless: a support case needs every line, and the desk logs little.
    let (writer, guard) = NonBlockingBuilder::default().lossy(false).finish(appender);

    let file_layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer)
        .fmt_fields(RedactingFields);
    let stderr_layer = config.stderr.then(|| {
        tracing_subscriber::fmt::layer()
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .with_writer(std::io::stderr)
            .fmt_fields(RedactingFields)
    });
    let subscriber = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer);
    Ok((Box::new(subscriber), LogGuard { _writer: guard }))
}
