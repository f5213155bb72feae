//! One check's outcome and the whole run's.

use crate::ConnectionReport;
use crate::error::DeskError;
use serde::Serialize;

/// What the caller found about PDFium: its description (`PDFium 159.0.8149.0 (...)`) or why
/// it cannot be loaded.
pub type PdfiumStatus = Result<String, DeskError>;

/// One line of the diagnostics: a named check, OK or failed with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Check {
    /// `optimizer`, `layout`, `tls`, `proxy`, `keyring`, `pdfium`, `output folder`,
    /// `disk space` or `rao token` (stable: scripts and the window key on it).
    pub name: String,
    /// Whether it passed.
    pub ok: bool,
    /// What was found, or why it failed (English, for IT).
    pub detail: String,
    /// The error's code when it failed (`optimizer.unreachable`, `output.not_writable`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

impl Check {
    /// A passed check.
    pub fn ok(name: &str, detail: impl Into<String>) -> Self {
        Check {
            name: name.to_string(),
            ok: true,
            detail: detail.into(),
            code: None,
        }
    }

    /// A failed check, worded by `error`.
    pub fn fail(name: &str, error: &DeskError) -> Self {
        Check {
            name: name.to_string(),
            ok: false,
            detail: error.message.clone(),
            code: Some(error.code.to_string()),
        }
    }
}

/// Every check of one run, and the connection test they were drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Diagnosis {
    /// Whether every check passed.
    pub ok: bool,
    /// The checks, in a fixed order.
    pub checks: Vec<Check>,
    /// The Optimizer connection test (layout and version when reached).
    pub connection: ConnectionReport,
}
