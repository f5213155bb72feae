//! RFC 3161 timestamp tokens: the signature timestamp of PAdES B-T and document timestamps.

use crate::{CertificateSummary, DigestAlgorithm, Integrity};
use serde::{Deserialize, Serialize};

/// What a timestamp token says and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimestampInfo {
    /// The time the TSA vouches for (`genTime`).
    pub gen_time: jiff::Timestamp,
    /// The TSA's name: its certificate's common name, else the token's `tsa` field.
    pub tsa_name: Option<String>,
    /// Whether the token's message imprint equals the digest of what it timestamps (the
    /// signature value for a signature timestamp; the byte range for a document timestamp).
    pub imprint_ok: bool,
    /// The imprint's digest algorithm.
    pub imprint_algorithm: Option<DigestAlgorithm>,
    /// The token's own CMS signature by the TSA.
    pub integrity: Integrity,
    /// The token's serial number, lower-case hex.
    pub serial_hex: String,
    /// The TSA policy object identifier.
    pub policy: String,
    /// The TSA certificate, when the token carries it.
    pub tsa_certificate: Option<CertificateSummary>,
    /// The other certificates the token carries.
    pub chain: Vec<CertificateSummary>,
}

impl TimestampInfo {
    /// The token is intact and timestamps exactly what it should.
    pub fn is_valid(&self) -> bool {
        self.imprint_ok && self.integrity.is_intact()
    }
}
