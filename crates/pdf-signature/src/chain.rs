//! Whether a signer's certificate chains up to a trust root the desk was given.

use serde::{Deserialize, Serialize};

/// The outcome of [`crate::verify_chain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChainStatus {
    /// Every issuer signature verifies up to a trust root and every certificate was valid at
    /// `checked_at`.
    Trusted {
        /// Subject of the trust root reached.
        root: String,
        /// Subjects from the signer up to (and including) the root.
        path: Vec<String>,
        /// The time the validity periods were checked at.
        checked_at: jiff::Timestamp,
    },
    /// No chain to any of the given roots could be built.
    Untrusted {
        /// Why, in words.
        reason: String,
    },
    /// A certificate in the chain was outside its validity period at `checked_at`.
    OutsideValidity {
        /// The certificate's subject.
        subject: String,
        /// The time the validity periods were checked at.
        checked_at: jiff::Timestamp,
    },
    /// An issuer's signature on a certificate in the chain does not verify.
    BadIssuerSignature {
        /// The subject of the certificate whose signature fails.
        subject: String,
    },
    /// The signature carries no signer certificate to start from.
    NoSignerCertificate,
    /// None of the given trust roots could be read as a certificate.
    NoUsableTrustRoot {
        /// Why, in words.
        reason: String,
    },
}

impl ChainStatus {
    /// True only for [`ChainStatus::Trusted`].
    pub fn is_trusted(&self) -> bool {
        matches!(self, Self::Trusted { .. })
    }

    /// A stable code (`chain.reason`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Trusted { .. } => "chain.trusted",
            Self::Untrusted { .. } => "chain.untrusted",
            Self::OutsideValidity { .. } => "chain.outside_validity",
            Self::BadIssuerSignature { .. } => "chain.bad_issuer_signature",
            Self::NoSignerCertificate => "chain.no_signer_certificate",
            Self::NoUsableTrustRoot { .. } => "chain.no_usable_trust_root",
        }
    }
}
