//! The one error type of the crate. Every variant has a stable code (`pdf.<reason>`) that the UI
//! words per code; messages are for logs and IT staff and never contain passwords.

use std::path::PathBuf;

/// What went wrong, with a stable [`PdfError::code`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// No usable PDFium library was found; `searched` lists every place looked at and why each
    /// one was not used.
    #[error("the PDFium library could not be loaded; looked at:\n{}", format_searched(.searched))]
    LibraryMissing { searched: Vec<SearchedLocation> },

    /// The bytes are not a PDF at all (no `%PDF-` header), including empty files.
    #[error("not a PDF file: {reason}")]
    NotAPdf { reason: String },

    /// The document is encrypted and needs a password to open.
    #[error("the document is protected by a password")]
    Encrypted,

    /// A password was given but does not open the document.
    #[error("the password does not open the document")]
    WrongPassword,

    /// The document uses an encryption scheme PDFium does not support.
    #[error("the document uses an unsupported security handler")]
    UnsupportedEncryption,

    /// The file claims to be a PDF but PDFium cannot make sense of it (or of one of its pages).
    #[error("the PDF is damaged: {reason}")]
    Malformed { reason: String },

    /// A page index beyond the document's last page.
    #[error("page {page} is out of range (the document has {page_count} pages)")]
    PageOutOfRange { page: u32, page_count: u32 },

    /// The requested render would exceed the configured pixel budget.
    #[error("a {width}x{height} render exceeds the limit of {max_pixels} pixels")]
    TooLargeRender {
        width: u64,
        height: u64,
        max_pixels: u64,
    },

    /// A request whose parameters make no sense (negative scale, empty region, empty query...).
    #[error("invalid request: {reason}")]
    InvalidRequest { reason: String },

    /// The request was cancelled (its token was cancelled or its caller stopped waiting).
    #[error("the request was cancelled")]
    Cancelled,

    /// No open document has this id (never opened, or already closed).
    #[error("no open document with id {id}")]
    UnknownDocument { id: String },

    /// Reading or writing a file failed.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An encoder failed on a rendered bitmap.
    #[error("encoding the page image failed: {reason}")]
    Encode { reason: String },

    /// The PDFium worker thread is gone (it panicked); the process should restart the engine.
    #[error("the PDF engine has stopped")]
    EngineStopped,

    /// PDFium reported a failure that fits none of the above.
    #[error("PDFium failed: {reason}")]
    Internal { reason: String },
}

impl PdfError {
    /// The stable code of this error, e.g. `pdf.encrypted`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::LibraryMissing { .. } => "pdf.library_missing",
            Self::NotAPdf { .. } => "pdf.not_a_pdf",
            Self::Encrypted => "pdf.encrypted",
            Self::WrongPassword => "pdf.wrong_password",
            Self::UnsupportedEncryption => "pdf.unsupported_encryption",
            Self::Malformed { .. } => "pdf.malformed",
            Self::PageOutOfRange { .. } => "pdf.page_out_of_range",
            Self::TooLargeRender { .. } => "pdf.too_large_render",
            Self::InvalidRequest { .. } => "pdf.invalid_request",
            Self::Cancelled => "pdf.cancelled",
            Self::UnknownDocument { .. } => "pdf.unknown_document",
            Self::Io { .. } => "pdf.io",
            Self::Encode { .. } => "pdf.encode_failed",
            Self::EngineStopped => "pdf.engine_stopped",
            Self::Internal { .. } => "pdf.internal",
        }
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            reason: reason.into(),
        }
    }

    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        Self::Malformed {
            reason: reason.into(),
        }
    }

    pub(crate) fn internal(reason: impl std::fmt::Display) -> Self {
        Self::Internal {
            reason: reason.to_string(),
        }
    }
}

/// One place the library lookup tried, and what it found there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SearchedLocation {
    /// Where the candidate came from (setting, environment variable, bundled resources, ...).
    pub source: crate::library::LookupSource,
    /// The path tried, or a description for the system search.
    pub place: String,
    /// Why it was not used ("not found", or the loader's error).
    pub outcome: String,
}

fn format_searched(searched: &[SearchedLocation]) -> String {
    searched
        .iter()
        .map(|s| format!("  - {} ({}): {}", s.place, s.source, s.outcome))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Shorthand for results of this crate.
pub type Result<T, E = PdfError> = std::result::Result<T, E>;
