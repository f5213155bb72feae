//! The CMS attributes PAdES and CAdES rely on: message digest, content type, signing time,
//! ESS signing certificate (v1 and v2) and the signature timestamp token.

use super::raw::children;
use crate::{DigestAlgorithm, oids};
use cms::signed_data::SignerInfo;
use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, Encode, Tag, Tagged};
use x509_cert::attr::{Attribute, Attributes};

/// What the signed attributes say.
#[derive(Debug, Default)]
pub(crate) struct SignedAttributes {
    pub(crate) message_digest: Option<Vec<u8>>,
    pub(crate) content_type: Option<ObjectIdentifier>,
    pub(crate) signing_time: Option<jiff::Timestamp>,
    pub(crate) has_signing_time: bool,
    /// `(hash algorithm, certificate hash)` of the first ESS certificate id, from v2 or v1.
    pub(crate) signing_certificate: Option<(Option<DigestAlgorithm>, Vec<u8>)>,
    pub(crate) has_signing_certificate_v2: bool,
    pub(crate) has_signing_certificate_v1: bool,
    /// Attributes that could not be read, in words.
    pub(crate) problems: Vec<String>,
}

impl SignedAttributes {
    pub(crate) fn read(info: &SignerInfo) -> Self {
        let mut out = Self::default();
        let Some(attributes) = &info.signed_attrs else {
            return out;
        };
        for attribute in attributes.iter() {
            let Some(value) = single_value(attribute) else {
                out.problems.push(format!(
                    "attribute {} does not have exactly one value",
                    attribute.oid
                ));
                continue;
            };
            match attribute.oid {
                oids::ID_MESSAGE_DIGEST => match value.decode_as::<OctetStringRef<'_>>() {
                    Ok(digest) => out.message_digest = Some(digest.as_bytes().to_vec()),
                    Err(e) => out.problems.push(format!("message digest: {e}")),
                },
                oids::ID_CONTENT_TYPE => out.content_type = value.decode_as().ok(),
                oids::ID_SIGNING_TIME => {
                    out.has_signing_time = true;
                    out.signing_time = value
                        .to_der()
                        .ok()
                        .and_then(|der| x509_cert::time::Time::from_der(&der).ok())
                        .map(crate::certificate::to_timestamp);
                }
                oids::ID_AA_SIGNING_CERTIFICATE_V2 => {
                    out.has_signing_certificate_v2 = true;
                    match first_ess_cert_id(value, true) {
                        Some(id) => out.signing_certificate = Some(id),
                        None => out
                            .problems
                            .push("undecodable signing-certificate-v2".to_owned()),
                    }
                }
                oids::ID_AA_SIGNING_CERTIFICATE => {
                    out.has_signing_certificate_v1 = true;
                    if out.signing_certificate.is_none() {
                        match first_ess_cert_id(value, false) {
                            Some(id) => out.signing_certificate = Some(id),
                            None => out
                                .problems
                                .push("undecodable signing-certificate".to_owned()),
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// The timestamp tokens among the unsigned attributes (DER of each `ContentInfo`).
pub(crate) fn signature_timestamp_tokens(info: &SignerInfo) -> Vec<Vec<u8>> {
    let Some(attributes) = &info.unsigned_attrs else {
        return Vec::new();
    };
    attributes_with(attributes, oids::ID_AA_SIGNATURE_TIMESTAMP_TOKEN)
        .flat_map(|attribute| attribute.values.iter())
        .filter_map(|value| der::Encode::to_der(value).ok())
        .collect()
}

fn attributes_with(
    attributes: &Attributes,
    oid: ObjectIdentifier,
) -> impl Iterator<Item = &Attribute> {
    attributes.iter().filter(move |a| a.oid == oid)
}

fn single_value(attribute: &Attribute) -> Option<&der::Any> {
    let mut values = attribute.values.iter();
    let first = values.next()?;
    values.next().is_none().then_some(first)
}

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, ... }` where
/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, ... }`
/// (RFC 5035); v1's `ESSCertID` has only a SHA-1 `certHash`. Returns the algorithm (`None`
/// when it is one this crate does not implement) and the hash of the first id.
fn first_ess_cert_id(value: &der::Any, v2: bool) -> Option<(Option<DigestAlgorithm>, Vec<u8>)> {
    let outer = AnyRef::from(value);
    let certs = children(outer.value()).ok()?.into_iter().next()?;
    let first_id = children(certs.value()).ok()?.into_iter().next()?;
    let fields = children(first_id.value()).ok()?;
    let mut fields = fields.into_iter().peekable();
    let mut algorithm = Some(if v2 {
        DigestAlgorithm::Sha256
    } else {
        DigestAlgorithm::Sha1
    });
    if v2 && fields.peek().is_some_and(|f| f.tag() == Tag::Sequence) {
        let identifier = fields.next()?;
        let algorithm_id = identifier
            .decode_as::<spki::AlgorithmIdentifierRef<'_>>()
            .ok()?;
        algorithm = DigestAlgorithm::from_oid(&algorithm_id.oid);
    }
    let hash = fields.next()?;
    (hash.tag() == Tag::OctetString).then(|| (algorithm, hash.value().to_vec()))
}
