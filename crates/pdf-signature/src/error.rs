//! The one error type of this crate: reasons a file or a CMS blob cannot be examined at all.
//!
//! A signature that is present but broken is *not* an error: it is reported through
//! [`crate::Integrity`] so the caller can still show what was found.

use std::path::PathBuf;

/// Why signatures could not be read. Each variant has a stable [`code`](SignatureError::code).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input does not start with a `%PDF-` header (within its first 1024 bytes).
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// A signature dictionary names bytes beyond the end of the file: the file was cut short.
    #[error("the file is truncated: a signature covers {expected} bytes but the file has {actual}")]
    Truncated {
        /// Length the signature's byte range implies.
        expected: u64,
        /// Actual length of the input.
        actual: u64,
    },
    /// A signature dictionary lives inside a compressed object stream, which PDF forbids and
    /// this reader does not support (the signature would otherwise be silently missed).
    #[error(
        "unsupported PDF: a signature dictionary is inside the compressed object stream at byte {offset}"
    )]
    SignatureInObjectStream {
        /// File offset of the object stream's `obj` header.
        offset: u64,
    },
    /// The `/Contents` of a signature is larger than this reader accepts.
    #[error("the signature value at byte {offset} is too large ({length} bytes)")]
    ContentsTooLarge {
        /// File offset of the `/Contents` hex string.
        offset: u64,
        /// Its length in bytes of the file.
        length: u64,
    },
    /// A detached CMS (`.p7m`) could not be decoded.
    #[error("the CMS signature cannot be decoded: {0}")]
    InvalidCms(String),
    /// The digest handed to [`crate::verify_detached_digest`] has the wrong length.
    #[error("a {algorithm} digest is {expected} bytes, {actual} were given")]
    DigestLength {
        /// The algorithm named by the caller.
        algorithm: crate::DigestAlgorithm,
        /// Its digest length.
        expected: usize,
        /// The length given.
        actual: usize,
    },
}

impl SignatureError {
    /// A stable machine-readable code (`area.reason`) for the UI and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Io { .. } => "signature.io",
            Self::NotPdf => "signature.not_pdf",
            Self::Truncated { .. } => "signature.truncated",
            Self::SignatureInObjectStream { .. } => "signature.in_object_stream",
            Self::ContentsTooLarge { .. } => "signature.contents_too_large",
            Self::InvalidCms(_) => "signature.invalid_cms",
            Self::DigestLength { .. } => "signature.digest_length",
        }
    }
}
