//! From located signature dictionaries to [`PdfSignature`] reports: hashing the byte ranges
//! (streamed) and checking each CMS.

use crate::cms::{self, Content, Depth};
use crate::pdf::source::ByteSource;
use crate::pdf::{self, Failure, Located};
use crate::{DigestAlgorithm, Integrity, PadesLevel, PdfSignature, SignatureKind};
use std::io;

/// Read size when hashing byte ranges.
const HASH_CHUNK: usize = 1 << 20;

/// Reads and checks every signature of the PDF in `source`.
pub(crate) fn read_all(source: &mut dyn ByteSource) -> Result<Vec<PdfSignature>, Failure> {
    let findings = pdf::locate(source)?;
    let file_len = source.len();
    let mut out = Vec::with_capacity(findings.signatures.len());
    for located in findings.signatures {
        out.push(report(source, located, file_len, findings.encrypted)?);
    }
    Ok(out)
}

fn report(
    source: &mut dyn ByteSource,
    located: Located,
    file_len: u64,
    encrypted: bool,
) -> io::Result<PdfSignature> {
    let [a, b, c, d] = located.byte_range;
    let dictionary_missing = located.dictionary.is_none();
    let dictionary = located.dictionary.unwrap_or_default();
    let sub_filter = dictionary.sub_filter.clone();
    let kind = if sub_filter.as_deref() == Some("ETSI.RFC3161")
        || dictionary.type_name.as_deref() == Some("DocTimeStamp")
    {
        SignatureKind::DocumentTimestamp
    } else {
        SignatureKind::Signature
    };
    let mut signature = PdfSignature {
        kind,
        byte_range: located.byte_range,
        signed_revision_length: c + d,
        covers_whole_file: c + d == file_len,
        contents_offset: b,
        sub_filter,
        field_name: located.field_name,
        reason: dictionary.reason.clone(),
        location: dictionary.location.clone(),
        contact_info: dictionary.contact_info.clone(),
        name: dictionary.name.clone(),
        claimed_signing_time: dictionary.signing_time,
        timestamp: None,
        signer: None,
        chain: Vec::new(),
        integrity: Integrity::Intact,
        has_signing_certificate_v2: false,
        has_signing_time_attribute: false,
        digest_algorithm: None,
        signature_algorithm: None,
        pades_level: None,
        warnings: Vec::new(),
    };
    if dictionary_missing {
        signature.warnings.push(
            "the signature dictionary could not be parsed; its entries are not shown".to_owned(),
        );
    }
    if encrypted {
        signature.warnings.push(
            "the document is encrypted; the signature's text entries are not decrypted".to_owned(),
        );
    }
    if dictionary.signing_time_text.is_some() && dictionary.signing_time.is_none() {
        signature
            .warnings
            .push("/M is not a valid PDF date".to_owned());
    }
    let contents = match located.contents {
        Ok(contents) => contents,
        Err(reason) => {
            signature.integrity = Integrity::Undecodable(reason);
            return Ok(signature);
        }
    };
    let mut hash_range =
        |algorithm: DigestAlgorithm| hash_byte_range(source, [a, b, c, d], algorithm);
    match kind {
        SignatureKind::DocumentTimestamp => match cms::tst::examine(&contents, &mut hash_range)? {
            Ok(token) => {
                signature.integrity = if !token.integrity.is_intact() {
                    token.integrity.clone()
                } else if !token.imprint_ok {
                    Integrity::DigestMismatch
                } else {
                    Integrity::Intact
                };
                signature.digest_algorithm = token.imprint_algorithm;
                signature.signer = token.tsa_certificate.clone();
                signature.chain = token.chain.clone();
                signature.claimed_signing_time =
                    signature.claimed_signing_time.or(Some(token.gen_time));
                signature.timestamp = Some(token);
            }
            Err(reason) => signature.integrity = Integrity::Undecodable(reason),
        },
        SignatureKind::Signature => {
            let report = match signature.sub_filter.as_deref() {
                Some("adbe.x509.rsa_sha1") => {
                    signature.integrity = Integrity::UnsupportedAlgorithm(
                        "adbe.x509.rsa_sha1 signatures (PKCS#1 without CMS)".to_owned(),
                    );
                    return Ok(signature);
                }
                // The signed content is the SHA-1 digest of the byte range, encapsulated.
                Some("adbe.pkcs7.sha1") => {
                    let mut report =
                        cms::examine(&contents, Content::Encapsulated, Depth::Signature)?;
                    if report.integrity.is_intact() {
                        let expected = hash_range(DigestAlgorithm::Sha1)?;
                        if report.econtent.as_deref() != Some(expected.as_slice()) {
                            report.integrity = Integrity::DigestMismatch;
                        }
                    }
                    report
                }
                _ => cms::examine(
                    &contents,
                    Content::Detached(&mut hash_range),
                    Depth::Signature,
                )?,
            };
            let is_pades = signature.sub_filter.as_deref() == Some("ETSI.CAdES.detached");
            signature.pades_level = (is_pades && report.has_signing_certificate).then(|| {
                if report.timestamp.is_some() {
                    PadesLevel::BT
                } else {
                    PadesLevel::BB
                }
            });
            if is_pades && report.has_signing_time_attribute {
                signature
                    .warnings
                    .push("PAdES signatures should not carry a signing-time attribute".to_owned());
            }
            signature.claimed_signing_time = signature
                .claimed_signing_time
                .or(report.signing_time_attribute);
            signature.integrity = report.integrity;
            signature.signer = report.signer;
            signature.chain = report.chain;
            signature.timestamp = report.timestamp;
            signature.has_signing_certificate_v2 = report.has_signing_certificate_v2;
            signature.has_signing_time_attribute = report.has_signing_time_attribute;
            signature.digest_algorithm = report.digest_algorithm;
            signature.signature_algorithm = report.signature_algorithm;
            signature.warnings.extend(report.warnings);
        }
    }
    Ok(signature)
}

/// The digest of `[a, a+b) ++ [c, c+d)`, read in chunks.
fn hash_byte_range(
    source: &mut dyn ByteSource,
    [a, b, c, d]: [u64; 4],
    algorithm: DigestAlgorithm,
) -> io::Result<Vec<u8>> {
    let mut hasher = algorithm.hasher();
    let mut buf = vec![0u8; HASH_CHUNK];
    for (start, len) in [(a, b), (c, d)] {
        let mut offset = start;
        let end = start + len;
        while offset < end {
            let want = usize::try_from(end - offset)
                .unwrap_or(usize::MAX)
                .min(HASH_CHUNK);
            let got = source.read_at(offset, &mut buf[..want])?;
            if got == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file shrank while being read",
                ));
            }
            hasher.update(&buf[..got]);
            offset += got as u64;
        }
    }
    Ok(hasher.finish())
}
