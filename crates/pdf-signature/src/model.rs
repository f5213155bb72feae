//! What a signature looks like to the desk: the public, serialisable report types.

use crate::{CertificateSummary, DigestAlgorithm, TimestampInfo};
use serde::{Deserialize, Serialize};

/// One signature found in a PDF (one `/ByteRange` + `/Contents` signature dictionary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PdfSignature {
    /// A signature proper or an RFC 3161 document timestamp.
    pub kind: SignatureKind,
    /// `[a, b, c, d]`: the signed bytes are `[a, a+b)` and `[c, c+d)`; `a` is always 0.
    pub byte_range: [u64; 4],
    /// Length of the revision this signature signs (`c + d`): the file's first
    /// `signed_revision_length` bytes are exactly what was signed.
    pub signed_revision_length: u64,
    /// Whether the signed revision is the whole file (nothing was appended after signing).
    pub covers_whole_file: bool,
    /// File offset of the `/Contents` hex string (`a + b`).
    pub contents_offset: u64,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`, `adbe.pkcs7.detached`.
    pub sub_filter: Option<String>,
    /// The signature field's name `/T`, when the field dictionary could be found.
    pub field_name: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// `/ContactInfo`.
    pub contact_info: Option<String>,
    /// `/Name` (the signer's name as the signing software wrote it; not verified).
    pub name: Option<String>,
    /// The signing time the signer *claims* (not proven; see `timestamp`): `/M`, else the
    /// CMS signing-time attribute; for a document timestamp, the token's `genTime`.
    pub claimed_signing_time: Option<jiff::Timestamp>,
    /// The signature timestamp token (unsigned attribute), or for a document timestamp the
    /// token itself.
    pub timestamp: Option<TimestampInfo>,
    /// The signer's certificate, found in the CMS by the signer identifier.
    pub signer: Option<CertificateSummary>,
    /// Every other certificate carried in the CMS (intermediates, maybe the root).
    pub chain: Vec<CertificateSummary>,
    /// Whether the bytes and the cryptographic signature check out.
    pub integrity: Integrity,
    /// The CMS signed attributes carry an ESS signing-certificate-v2 attribute (PAdES wants it).
    pub has_signing_certificate_v2: bool,
    /// The signed attributes carry a signing-time attribute (PAdES baseline forbids it).
    pub has_signing_time_attribute: bool,
    /// The signer's digest algorithm.
    pub digest_algorithm: Option<DigestAlgorithm>,
    /// The signature algorithm, e.g. `RSA PKCS#1 v1.5`, `RSA-PSS`, `ECDSA P-256`.
    pub signature_algorithm: Option<String>,
    /// The PAdES baseline level the CMS shows, when it is a PAdES signature.
    pub pades_level: Option<PadesLevel>,
    /// Things the employee or IT should know that do not break integrity (weak digest, an
    /// encrypted document whose text fields were not decoded, ...).
    pub warnings: Vec<String>,
}

/// What kind of signature dictionary it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    /// A CMS signature by a person or organisation.
    Signature,
    /// An RFC 3161 document timestamp (`/SubFilter /ETSI.RFC3161`).
    DocumentTimestamp,
}

/// The PAdES baseline level, as far as the signature itself shows it.
///
/// Only B-B and B-T are recognised: B-LT and B-LTA depend on the document security store and
/// later document timestamps, which this crate does not evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PadesLevel {
    /// Basic: `ETSI.CAdES.detached` with a signing-certificate attribute.
    #[serde(rename = "B-B")]
    BB,
    /// B-B plus a signature timestamp.
    #[serde(rename = "B-T")]
    BT,
}

impl PadesLevel {
    /// `B-B` or `B-T`.
    pub fn name(self) -> &'static str {
        match self {
            Self::BB => "B-B",
            Self::BT => "B-T",
        }
    }
}

/// Whether a signature's bytes and cryptography hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", content = "detail", rename_all = "snake_case")]
pub enum Integrity {
    /// The signed bytes hash to the signed message digest and the signer's signature verifies.
    Intact,
    /// The signed bytes were changed after signing (message digest differs).
    DigestMismatch,
    /// The cryptographic signature does not verify with the signer's key.
    SignatureInvalid,
    /// The ESS signing-certificate attribute names a different certificate than the one used.
    SigningCertificateMismatch,
    /// The CMS does not carry the certificate of its signer.
    SignerCertificateMissing,
    /// An algorithm this crate does not implement (named in the detail).
    UnsupportedAlgorithm(String),
    /// The signature value cannot be decoded (detail says why).
    Undecodable(String),
}

impl Integrity {
    /// True only for [`Integrity::Intact`].
    pub fn is_intact(&self) -> bool {
        matches!(self, Self::Intact)
    }

    /// A stable code (`integrity.reason`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Intact => "integrity.intact",
            Self::DigestMismatch => "integrity.digest_mismatch",
            Self::SignatureInvalid => "integrity.signature_invalid",
            Self::SigningCertificateMismatch => "integrity.signing_certificate_mismatch",
            Self::SignerCertificateMissing => "integrity.signer_certificate_missing",
            Self::UnsupportedAlgorithm(_) => "integrity.unsupported_algorithm",
            Self::Undecodable(_) => "integrity.undecodable",
        }
    }
}
