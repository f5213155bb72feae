//! A PDF as the desk sees it: size, SHA-256, whether it could be sent for signing, and every
//! signature it carries (pdf-signature), for `oneshot-desk-cli inspect` and the window's
//! document details.

use crate::error::{DeskError, DeskResult};
use crate::output::{Sha256Digest, sha256_file};
use serde::Serialize;
use std::path::{Path, PathBuf};

pub use pdf_signature::{ChainStatus, PdfSignature};

/// What [`inspect_pdf`] found.
#[derive(Debug, Clone, Serialize)]
pub struct PdfReport {
    /// The file.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: Sha256Digest,
    /// Why it could not be sent for signing (`pdf.encrypted`, ...); `None` when it could.
    pub not_signable: Option<DeskError>,
    /// Its signatures, in revision order.
    pub signatures: Vec<PdfSignature>,
    /// Why its signatures could not be read (`signature.truncated`, ...), if so.
    pub signature_error: Option<DeskError>,
    /// For each signature, whether its chain leads to one of the given roots (empty when no
    /// roots were given).
    pub trusted: Vec<bool>,
}

/// Examines `path`; `roots` are CA certificates (PEM or DER) to check signer chains against.
pub async fn inspect_pdf(path: &Path, roots: Vec<Vec<u8>>) -> DeskResult<PdfReport> {
    let (sha256, size) = sha256_file(path).await?;
    let owned = path.to_path_buf();
    let (not_signable, signatures) = crate::desk::blocking(move || {
        let check = crate::inputs::check_document(&owned)
            .err()
            .map(DeskError::from);
        (check, pdf_signature::read_signatures(&owned))
    })
    .await;
    let (signatures, signature_error) = match signatures {
        Ok(signatures) => (signatures, None),
        Err(error) => (
            Vec::new(),
            Some(DeskError::new(error.code(), error.to_string())),
        ),
    };
    let trusted = if roots.is_empty() {
        Vec::new()
    } else {
        signatures
            .iter()
            .map(|s| pdf_signature::verify_chain(s, &roots).is_trusted())
            .collect()
    };
    Ok(PdfReport {
        path: path.to_path_buf(),
        size,
        sha256,
        not_signable,
        signatures,
        signature_error,
        trusted,
    })
}
