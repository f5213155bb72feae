//! The one error type of the crate, with stable string codes for the simulator's responses.

/// Everything that can go wrong while issuing certificates, signing or writing PDFs.
///
/// Messages never contain key material; they name the problem in words an operator can act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignerError {
    /// The input PDF is encrypted (has an `/Encrypt` dictionary); it cannot be signed here.
    #[error("the PDF is encrypted; remove the password protection before signing")]
    Encrypted,
    /// The input is not a PDF or its structure is too damaged to update safely.
    #[error("the file is not a readable PDF: {0}")]
    Malformed(String),
    /// The PDF is well formed but uses something this signer does not handle.
    #[error("the PDF cannot be signed: {0}")]
    UnsupportedPdf(String),
    /// The hash-signature JSON (`hashfile`) is not usable.
    #[error("invalid hash file: {0}")]
    InvalidHashFile(String),
    /// Reading or writing a file failed.
    #[error("file access failed: {0}")]
    Io(#[from] std::io::Error),
    /// A cryptographic or ASN.1 operation failed.
    #[error("cryptographic operation failed: {0}")]
    Crypto(String),
    /// The persisted trust service (CA/TSA keys) could not be read or written.
    #[error("trust service storage: {0}")]
    Persistence(String),
    /// The certificate subject data is unusable (empty name, bad country code, ...).
    #[error("invalid certificate subject: {0}")]
    InvalidSubject(String),
    /// The visible-signature request does not fit the document (page out of range, empty
    /// rectangle, unreadable PNG, ...).
    #[error("invalid signature appearance: {0}")]
    InvalidAppearance(String),
}

impl SignerError {
    /// A stable machine-readable code (`area.reason`).
    pub fn code(&self) -> &'static str {
        match self {
            SignerError::Encrypted => "pdf.encrypted",
            SignerError::Malformed(_) => "pdf.malformed",
            SignerError::UnsupportedPdf(_) => "pdf.unsupported",
            SignerError::InvalidHashFile(_) => "hash.invalid_file",
            SignerError::Io(_) => "io.failed",
            SignerError::Crypto(_) => "crypto.failed",
            SignerError::Persistence(_) => "trust.persistence",
            SignerError::InvalidSubject(_) => "cert.invalid_subject",
            SignerError::InvalidAppearance(_) => "sign.invalid_appearance",
        }
    }

    pub(crate) fn malformed(what: impl Into<String>) -> Self {
        SignerError::Malformed(what.into())
    }
}
