//! Detached CMS signatures (`.p7m`) from the hash-signing flow, checked against a digest.

use crate::cms::{self, Content, Depth};
use crate::{CertificateSummary, DigestAlgorithm, Integrity, SignatureError, TimestampInfo};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The result of checking a detached CMS signature against the digest of its document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetachedSignature {
    /// Whether the CMS signed the given digest and its signature verifies.
    pub integrity: Integrity,
    /// The signer's certificate.
    pub signer: Option<CertificateSummary>,
    /// Every other certificate carried in the CMS.
    pub chain: Vec<CertificateSummary>,
    /// The signer's digest algorithm.
    pub digest_algorithm: Option<DigestAlgorithm>,
    /// The signature algorithm, e.g. `RSA PKCS#1 v1.5`.
    pub signature_algorithm: Option<String>,
    /// The signed attributes carry ESS signing-certificate-v2.
    pub has_signing_certificate_v2: bool,
    /// The signing-time signed attribute, when present (claimed by the signer, not proven).
    pub claimed_signing_time: Option<jiff::Timestamp>,
    /// The signature timestamp token, when present.
    pub timestamp: Option<TimestampInfo>,
    /// Remarks that do not break integrity (weak digest, several signers, ...).
    pub warnings: Vec<String>,
}

/// Checks a detached CMS signature (`.p7m`: DER, PEM, or bare base64) against the digest of
/// the document it signs, computed by the caller with `algorithm`.
///
/// Returns an error only when the input is not a CMS signature at all or the digest has the
/// wrong length; a signature that does not match is reported in
/// [`DetachedSignature::integrity`].
pub fn verify_detached_digest(
    p7m: &[u8],
    digest: &[u8],
    algorithm: DigestAlgorithm,
) -> Result<DetachedSignature, SignatureError> {
    if digest.len() != algorithm.output_len() {
        return Err(SignatureError::DigestLength {
            algorithm,
            expected: algorithm.output_len(),
            actual: digest.len(),
        });
    }
    let der = binary_form(p7m)?;
    let content = Content::Digest { digest, algorithm };
    let report = cms::examine(&der, content, Depth::Signature)
        .map_err(|e| SignatureError::InvalidCms(e.to_string()))?;
    if let Integrity::Undecodable(reason) = &report.integrity {
        return Err(SignatureError::InvalidCms(reason.clone()));
    }
    Ok(DetachedSignature {
        integrity: report.integrity,
        signer: report.signer,
        chain: report.chain,
        digest_algorithm: report.digest_algorithm,
        signature_algorithm: report.signature_algorithm,
        has_signing_certificate_v2: report.has_signing_certificate_v2,
        claimed_signing_time: report.signing_time_attribute,
        timestamp: report.timestamp,
        warnings: report.warnings,
    })
}

/// The DER of a `.p7m` saved as DER, PEM (`-----BEGIN PKCS7-----`, `CMS`, ...) or base64.
fn binary_form(p7m: &[u8]) -> Result<Vec<u8>, SignatureError> {
    let trimmed = p7m.trim_ascii();
    if trimmed.first() == Some(&0x30) {
        return Ok(trimmed.to_vec());
    }
    if trimmed.starts_with(b"-----BEGIN") {
        return der::pem::decode_vec(trimmed)
            .map(|(_, der)| der)
            .map_err(|e| SignatureError::InvalidCms(format!("PEM: {e}")));
    }
    let text: Vec<u8> = trimmed
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&text)
        .map_err(|_| SignatureError::InvalidCms("neither DER, PEM nor base64".to_owned()))
}
