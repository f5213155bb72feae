//! The simulated trust service provider: CA, TSA and the signing operations.

use std::path::Path;

use crate::{
    HashSignRequest, PdfSignOptions, SignedPdfInfo, SignerError, SignerIdentity, SignerSubject,
};

/// A throw-away certification authority with its time-stamping authority.
///
/// `Send + Sync`: share it behind an `Arc`. Key generation and signing are CPU and file work;
/// async callers should run them on a blocking thread.
pub struct TrustService {
    ca_certificate_pem: String,
}

impl TrustService {
    /// Creates a new CA and TSA. With a seed, keys, serial numbers and names are reproducible.
    pub fn generate(seed: Option<u64>) -> Result<Self, SignerError> {
        let _ = seed;
        Err(SignerError::Crypto("not implemented yet".into()))
    }

    /// Loads the CA and TSA persisted in `dir`, or creates and persists them.
    pub fn load_or_create(dir: &Path, seed: Option<u64>) -> Result<Self, SignerError> {
        let _ = (dir, seed);
        Err(SignerError::Persistence("not implemented yet".into()))
    }

    /// The CA certificate, PEM encoded (the trust root validators need).
    pub fn ca_certificate_pem(&self) -> String {
        self.ca_certificate_pem.clone()
    }

    /// Issues a fresh one-use signer certificate and key for `subject`.
    pub fn issue_signer(&self, subject: &SignerSubject) -> Result<SignerIdentity, SignerError> {
        let _ = subject;
        Err(SignerError::Crypto("not implemented yet".into()))
    }

    /// Signs the PDF at `input` (PAdES, incremental update) into `output`.
    pub fn sign_pdf(
        &self,
        signer: &SignerIdentity,
        input: &Path,
        output: &Path,
        options: &PdfSignOptions,
    ) -> Result<SignedPdfInfo, SignerError> {
        let _ = (signer, input, output, options);
        Err(SignerError::UnsupportedPdf("not implemented yet".into()))
    }

    /// Signs an uploaded digest; returns a detached DER CMS SignedData (`.p7m`).
    pub fn sign_digest(
        &self,
        signer: &SignerIdentity,
        request: &HashSignRequest,
    ) -> Result<Vec<u8>, SignerError> {
        let _ = (signer, request);
        Err(SignerError::Crypto("not implemented yet".into()))
    }
}
