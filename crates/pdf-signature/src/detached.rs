//! Detached CMS signatures (`.p7m`) from the hash-signing flow, checked against a digest.

use crate::{CertificateSummary, DigestAlgorithm, Integrity, TimestampInfo};
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
