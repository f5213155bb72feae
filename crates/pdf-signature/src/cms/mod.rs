//! Verifying a CMS SignedData (RFC 5652): find the signer and its certificate, compare the
//! message digest with the content's digest, verify the signature over the signed
//! attributes, and read the PAdES-relevant attributes and the signature timestamp.

mod algorithm;
mod attributes;
pub(crate) mod ber;
mod raw;
pub(crate) mod tst;

pub(crate) use algorithm::{Scheme, Verification, verify};

use crate::{CertificateSummary, DigestAlgorithm, Integrity, TimestampInfo, oids};
use attributes::SignedAttributes;
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::Decode;
use std::io;
use x509_cert::Certificate;

/// What the signed content is, for the message digest check.
pub(crate) enum Content<'a> {
    /// Detached content (a PDF byte range) hashed on demand with the signer's algorithm.
    Detached(&'a mut dyn FnMut(DigestAlgorithm) -> io::Result<Vec<u8>>),
    /// The digest of detached content, computed by the caller.
    Digest {
        digest: &'a [u8],
        algorithm: DigestAlgorithm,
    },
    /// The encapsulated content (timestamp tokens, `adbe.pkcs7.sha1`).
    Encapsulated,
}

/// Everything learnt from one CMS SignedData.
#[derive(Debug)]
pub(crate) struct CmsReport {
    pub(crate) integrity: Integrity,
    pub(crate) signer: Option<CertificateSummary>,
    pub(crate) chain: Vec<CertificateSummary>,
    pub(crate) digest_algorithm: Option<DigestAlgorithm>,
    pub(crate) signature_algorithm: Option<String>,
    pub(crate) has_signing_certificate_v2: bool,
    pub(crate) has_signing_certificate: bool,
    pub(crate) has_signing_time_attribute: bool,
    pub(crate) signing_time_attribute: Option<jiff::Timestamp>,
    pub(crate) timestamp: Option<TimestampInfo>,
    pub(crate) econtent_type: Option<const_oid::ObjectIdentifier>,
    pub(crate) econtent: Option<Vec<u8>>,
    pub(crate) warnings: Vec<String>,
}

impl CmsReport {
    fn undecodable(reason: impl Into<String>) -> Self {
        Self {
            integrity: Integrity::Undecodable(reason.into()),
            signer: None,
            chain: Vec::new(),
            digest_algorithm: None,
            signature_algorithm: None,
            has_signing_certificate_v2: false,
            has_signing_certificate: false,
            has_signing_time_attribute: false,
            signing_time_attribute: None,
            timestamp: None,
            econtent_type: None,
            econtent: None,
            warnings: Vec::new(),
        }
    }
}

/// How deep timestamp tokens are followed (a token inside a token's signer is not).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Depth {
    Signature,
    TimestampToken,
}

/// Examines a CMS `ContentInfo` (DER or BER; trailing zero padding allowed). Only reading
/// the detached content can fail; everything wrong with the CMS is in the report.
pub(crate) fn examine(bytes: &[u8], content: Content<'_>, depth: Depth) -> io::Result<CmsReport> {
    let Some(length) = ber::element_length(bytes) else {
        return Ok(CmsReport::undecodable("not a complete DER/BER element"));
    };
    let mut warnings = Vec::new();
    let converted = ber::to_der_if_needed(&bytes[..length]);
    if converted.is_some() {
        warnings
            .push("the CMS uses BER indefinite lengths (converted to DER for reading)".to_owned());
    }
    let der = converted.as_deref().unwrap_or(&bytes[..length]);
    let content_info = match ContentInfo::from_der(der) {
        Ok(ci) => ci,
        Err(e) => return Ok(CmsReport::undecodable(format!("ContentInfo: {e}"))),
    };
    if content_info.content_type != oids::ID_SIGNED_DATA {
        return Ok(CmsReport::undecodable(format!(
            "content type {} is not SignedData",
            content_info.content_type
        )));
    }
    let signed_data = match content_info.content.decode_as::<SignedData>() {
        Ok(sd) => sd,
        Err(e) => return Ok(CmsReport::undecodable(format!("SignedData: {e}"))),
    };
    let raw_infos = match raw::signer_infos(der) {
        Ok(infos) => infos,
        Err(e) => return Ok(CmsReport::undecodable(format!("SignerInfos: {e}"))),
    };
    let Some(raw_info) = raw_infos.first() else {
        return Ok(CmsReport::undecodable("the CMS has no signer"));
    };
    if raw_infos.len() > 1 {
        warnings.push(format!(
            "the CMS has {} signers; only the first is checked",
            raw_infos.len()
        ));
    }
    let info = match SignerInfo::from_der(raw_info.der) {
        Ok(info) => info,
        Err(e) => return Ok(CmsReport::undecodable(format!("SignerInfo: {e}"))),
    };

    let certificates = certificates_of(&signed_data);
    let signer_index = certificates.iter().position(|c| identifies(&info.sid, c));
    let summaries: Vec<Option<CertificateSummary>> = certificates
        .iter()
        .map(|c| CertificateSummary::from_certificate(c).ok())
        .collect();
    let signer = signer_index.and_then(|i| summaries[i].clone());
    let chain: Vec<CertificateSummary> = summaries
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != signer_index)
        .filter_map(|(_, s)| s.clone())
        .collect();

    let attributes = SignedAttributes::read(&info);
    warnings.extend(attributes.problems.iter().cloned());
    let econtent = signed_data
        .encap_content_info
        .econtent
        .as_ref()
        .map(|any| any.value().to_vec());
    let timestamp = if depth == Depth::Signature {
        signature_timestamp(&info, &mut warnings)
    } else {
        None
    };
    let mut report = CmsReport {
        integrity: Integrity::Intact,
        signer,
        chain,
        digest_algorithm: None,
        signature_algorithm: None,
        has_signing_certificate_v2: attributes.has_signing_certificate_v2,
        has_signing_certificate: attributes.signing_certificate.is_some(),
        has_signing_time_attribute: attributes.has_signing_time,
        signing_time_attribute: attributes.signing_time,
        timestamp,
        econtent_type: Some(signed_data.encap_content_info.econtent_type),
        econtent,
        warnings,
    };

    let Some(digest_algorithm) = DigestAlgorithm::from_oid(&info.digest_alg.oid) else {
        report.integrity =
            Integrity::UnsupportedAlgorithm(format!("digest algorithm {}", info.digest_alg.oid));
        return Ok(report);
    };
    report.digest_algorithm = Some(digest_algorithm);
    if digest_algorithm.is_weak() {
        report
            .warnings
            .push(format!("{digest_algorithm} is a weak digest algorithm"));
    }

    let content_digest = match content {
        Content::Detached(hash) => hash(digest_algorithm)?,
        Content::Digest { digest, algorithm } => {
            if algorithm != digest_algorithm {
                report.warnings.push(format!(
                    "the signature uses {digest_algorithm} but a {algorithm} digest was given"
                ));
                report.integrity = Integrity::DigestMismatch;
                return Ok(report);
            }
            digest.to_vec()
        }
        Content::Encapsulated => match &report.econtent {
            Some(econtent) => digest_algorithm.digest(econtent),
            None => {
                report.integrity = Integrity::Undecodable("no encapsulated content".to_owned());
                return Ok(report);
            }
        },
    };

    report.integrity = integrity(
        &info,
        raw_info.signed_attributes_to_verify.as_deref(),
        &attributes,
        digest_algorithm,
        &content_digest,
        signer_index.map(|i| &certificates[i]),
        &mut report,
    );
    if attributes
        .content_type
        .is_some_and(|ct| Some(ct) != report.econtent_type)
    {
        report.warnings.push(
            "the content-type attribute differs from the encapsulated content type".to_owned(),
        );
    }
    Ok(report)
}

fn integrity(
    info: &SignerInfo,
    signed_attributes_to_verify: Option<&[u8]>,
    attributes: &SignedAttributes,
    digest_algorithm: DigestAlgorithm,
    content_digest: &[u8],
    signer: Option<&Certificate>,
    report: &mut CmsReport,
) -> Integrity {
    // With signed attributes, the content digest is inside them and the signature covers them;
    // without, the signature covers the content digest directly.
    let signed_digest = match signed_attributes_to_verify {
        Some(_) => {
            let Some(message_digest) = &attributes.message_digest else {
                return Integrity::Undecodable(
                    "signed attributes without a message digest".to_owned(),
                );
            };
            if message_digest.as_slice() != content_digest {
                return Integrity::DigestMismatch;
            }
            None
        }
        None => Some(content_digest),
    };
    let Some(signer) = signer else {
        return Integrity::SignerCertificateMissing;
    };
    let key = &signer.tbs_certificate.subject_public_key_info;
    let scheme = match Scheme::for_signer(&info.signature_algorithm, digest_algorithm) {
        Ok(scheme) => scheme,
        Err(what) => return Integrity::UnsupportedAlgorithm(what),
    };
    report.signature_algorithm = Some(scheme.describe(key));
    let hashed = match (signed_digest, signed_attributes_to_verify) {
        (Some(digest), _) if scheme.hash() == digest_algorithm => digest.to_vec(),
        (Some(_), _) => {
            return Integrity::UnsupportedAlgorithm(
                "signature hash differs from the digest algorithm without signed attributes"
                    .to_owned(),
            );
        }
        (None, Some(signed)) => scheme.hash().digest(signed),
        (None, None) => return Integrity::Undecodable("nothing to verify".to_owned()),
    };
    match verify(key, scheme, &hashed, info.signature.as_bytes()) {
        Verification::Valid => {}
        Verification::Invalid => return Integrity::SignatureInvalid,
        Verification::Unsupported(what) => return Integrity::UnsupportedAlgorithm(what),
    }
    if let Some((algorithm, expected)) = &attributes.signing_certificate {
        let Some(algorithm) = algorithm else {
            report.warnings.push(
                "the signing-certificate attribute uses an unsupported hash; not checked"
                    .to_owned(),
            );
            return Integrity::Intact;
        };
        let der = der::Encode::to_der(signer).unwrap_or_default();
        if algorithm.digest(&der) != *expected {
            return Integrity::SigningCertificateMismatch;
        }
    }
    Integrity::Intact
}

fn certificates_of(signed_data: &SignedData) -> Vec<Certificate> {
    signed_data
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            CertificateChoices::Other(_) => None,
        })
        .collect()
}

/// Whether `certificate` is the one the signer identifier names.
fn identifies(sid: &SignerIdentifier, certificate: &Certificate) -> bool {
    let tbs = &certificate.tbs_certificate;
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            id.issuer == tbs.issuer && id.serial_number == tbs.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            use x509_cert::ext::pkix::SubjectKeyIdentifier;
            tbs.get::<SubjectKeyIdentifier>()
                .ok()
                .flatten()
                .is_some_and(|(_, own)| own.0 == ski.0)
        }
    }
}

/// The first signature timestamp token, checked against this signer's signature value.
fn signature_timestamp(info: &SignerInfo, warnings: &mut Vec<String>) -> Option<TimestampInfo> {
    let tokens = attributes::signature_timestamp_tokens(info);
    let token = tokens.first()?;
    if tokens.len() > 1 {
        warnings.push(format!(
            "{} signature timestamps; only the first is checked",
            tokens.len()
        ));
    }
    let signature_value = info.signature.as_bytes();
    let mut imprint = |algorithm: DigestAlgorithm| Ok(algorithm.digest(signature_value));
    match tst::examine(token, &mut imprint) {
        Ok(Ok(info)) => Some(info),
        Ok(Err(reason)) => {
            warnings.push(format!("the signature timestamp cannot be read: {reason}"));
            None
        }
        // Hashing an in-memory value cannot fail.
        Err(_) => None,
    }
}
