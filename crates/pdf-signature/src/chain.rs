//! Whether a signer's certificate chains up to a trust root the desk was given.

use crate::cms::{Scheme, Verification, verify};
use crate::{CertificateSummary, DetachedSignature, PdfSignature, TimestampInfo};
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

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

/// Anything that carries a signer certificate and the certificates that came with it.
pub trait SignerCertificates {
    /// The signer's certificate.
    fn signer_certificate(&self) -> Option<&CertificateSummary>;
    /// The other certificates carried with the signature (candidate intermediates).
    fn carried_certificates(&self) -> &[CertificateSummary];
    /// When to check validity periods: the signature timestamp's time when there is a valid
    /// one (the only proven signing time), otherwise now.
    fn validation_time(&self) -> jiff::Timestamp;
}

impl SignerCertificates for PdfSignature {
    fn signer_certificate(&self) -> Option<&CertificateSummary> {
        self.signer.as_ref()
    }

    fn carried_certificates(&self) -> &[CertificateSummary] {
        &self.chain
    }

    fn validation_time(&self) -> jiff::Timestamp {
        proven_time(self.timestamp.as_ref())
    }
}

impl SignerCertificates for DetachedSignature {
    fn signer_certificate(&self) -> Option<&CertificateSummary> {
        self.signer.as_ref()
    }

    fn carried_certificates(&self) -> &[CertificateSummary] {
        &self.chain
    }

    fn validation_time(&self) -> jiff::Timestamp {
        proven_time(self.timestamp.as_ref())
    }
}

fn proven_time(timestamp: Option<&TimestampInfo>) -> jiff::Timestamp {
    timestamp
        .filter(|t| t.is_valid())
        .map_or_else(jiff::Timestamp::now, |t| t.gen_time)
}

/// Most certificates between a signer and a root that are followed.
const MAX_PATH: usize = 10;

/// Checks that the signer's certificate chains to one of `trust_roots` (each DER, or PEM with
/// one or more certificates) through the certificates the signature carries, with every
/// issuer signature valid and every certificate valid at the signature's
/// [`validation_time`](SignerCertificates::validation_time).
///
/// Revocation (CRL, OCSP) is not checked.
pub fn verify_chain<R: AsRef<[u8]>>(
    signature: &impl SignerCertificates,
    trust_roots: &[R],
) -> ChainStatus {
    verify_chain_at(signature, trust_roots, signature.validation_time())
}

/// [`verify_chain`] with validity periods checked at `at`.
pub fn verify_chain_at<R: AsRef<[u8]>>(
    signature: &impl SignerCertificates,
    trust_roots: &[R],
    at: jiff::Timestamp,
) -> ChainStatus {
    let roots = match parse_roots(trust_roots) {
        Ok(roots) => roots,
        Err(reason) => return ChainStatus::NoUsableTrustRoot { reason },
    };
    let Some(signer) = signature.signer_certificate() else {
        return ChainStatus::NoSignerCertificate;
    };
    let Ok(signer_certificate) = signer.certificate() else {
        return ChainStatus::Untrusted {
            reason: "the signer certificate cannot be decoded".to_owned(),
        };
    };
    let carried: Vec<(Certificate, &CertificateSummary)> = signature
        .carried_certificates()
        .iter()
        .filter_map(|s| s.certificate().ok().map(|c| (c, s)))
        .collect();

    let mut path = vec![signer.subject.clone()];
    let mut current = signer_certificate;
    let mut current_summary = signer.clone();
    for _ in 0..MAX_PATH {
        if !(current_summary.not_before <= at && at <= current_summary.not_after) {
            return ChainStatus::OutsideValidity {
                subject: current_summary.subject,
                checked_at: at,
            };
        }
        if roots
            .iter()
            .any(|(_, root)| root.der == current_summary.der)
        {
            return ChainStatus::Trusted {
                root: current_summary.subject,
                path,
                checked_at: at,
            };
        }
        let mut bad_signature = false;
        for (root_certificate, root) in &roots {
            if root_certificate.tbs_certificate.subject != current.tbs_certificate.issuer {
                continue;
            }
            if !issued_by(&current, root_certificate) {
                bad_signature = true;
                continue;
            }
            if !(root.not_before <= at && at <= root.not_after) {
                return ChainStatus::OutsideValidity {
                    subject: root.subject.clone(),
                    checked_at: at,
                };
            }
            path.push(root.subject.clone());
            return ChainStatus::Trusted {
                root: root.subject.clone(),
                path,
                checked_at: at,
            };
        }
        let next = carried.iter().find(|(candidate, summary)| {
            summary.der != current_summary.der
                && candidate.tbs_certificate.subject == current.tbs_certificate.issuer
                && issued_by(&current, candidate)
        });
        let Some((issuer, issuer_summary)) = next else {
            bad_signature |= carried.iter().any(|(candidate, summary)| {
                summary.der != current_summary.der
                    && candidate.tbs_certificate.subject == current.tbs_certificate.issuer
            });
            return if bad_signature {
                ChainStatus::BadIssuerSignature {
                    subject: current_summary.subject,
                }
            } else {
                ChainStatus::Untrusted {
                    reason: format!(
                        "no trust root or carried certificate issued \"{}\" (issuer \"{}\")",
                        current_summary.subject, current_summary.issuer
                    ),
                }
            };
        };
        if !issuer_summary.is_ca {
            return ChainStatus::Untrusted {
                reason: format!(
                    "\"{}\" issued a certificate but is not a CA",
                    issuer_summary.subject
                ),
            };
        }
        if path.contains(&issuer_summary.subject) {
            return ChainStatus::Untrusted {
                reason: "the certificate chain loops".to_owned(),
            };
        }
        path.push(issuer_summary.subject.clone());
        current = issuer.clone();
        current_summary = (*issuer_summary).clone();
    }
    ChainStatus::Untrusted {
        reason: format!("no trust root within {MAX_PATH} certificates"),
    }
}

/// Whether `issuer`'s key verifies the signature on `certificate`.
fn issued_by(certificate: &Certificate, issuer: &Certificate) -> bool {
    let Ok(scheme) = Scheme::for_certificate(&certificate.signature_algorithm) else {
        return false;
    };
    let Ok(tbs) = certificate.tbs_certificate.to_der() else {
        return false;
    };
    let hashed = scheme.hash().digest(&tbs);
    let Some(signature) = certificate.signature.as_bytes() else {
        return false;
    };
    verify(
        &issuer.tbs_certificate.subject_public_key_info,
        scheme,
        &hashed,
        signature,
    ) == Verification::Valid
}

/// Every certificate in the given DER or PEM blobs; an error only when none is usable.
fn parse_roots<R: AsRef<[u8]>>(
    inputs: &[R],
) -> Result<Vec<(Certificate, CertificateSummary)>, String> {
    let mut roots = Vec::new();
    let mut problems = Vec::new();
    for input in inputs {
        let bytes = input.as_ref();
        let trimmed = bytes.trim_ascii_start();
        let parsed = if trimmed.starts_with(b"-----BEGIN") {
            Certificate::load_pem_chain(trimmed).map_err(|e| e.to_string())
        } else {
            Certificate::from_der(bytes)
                .map(|c| vec![c])
                .map_err(|e| e.to_string())
        };
        match parsed {
            Ok(certificates) => {
                for certificate in certificates {
                    match CertificateSummary::from_certificate(&certificate) {
                        Ok(summary) => roots.push((certificate, summary)),
                        Err(e) => problems.push(e.to_string()),
                    }
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if roots.is_empty() {
        let detail = if problems.is_empty() {
            "no trust roots were given".to_owned()
        } else {
            problems.join("; ")
        };
        return Err(detail);
    }
    Ok(roots)
}
