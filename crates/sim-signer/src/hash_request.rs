//! The hash-signature request: the `hashfile` JSON of the One-Shot hash flow (P7M).
//!
//! The reference documents one example, `{"messageDigest": "<base64>", "digestAlgorithm":
//! "sha256", "addAuthAttribute": 1, "addSigningTime": 1, "otherAuthAttributes": []}`, and says
//! little more, so parsing is tolerant (see [`HashSignRequest::from_json`]).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode};
use serde_json::Value;
use x509_cert::attr::Attribute;

use crate::SignerError;
use crate::pki::cms_sign::DigestAlgorithm;
use crate::pki::oids;

/// A parsed `hashfile`: the digest to sign and which CMS signed attributes to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashSignRequest {
    pub(crate) digest: Vec<u8>,
    pub(crate) algorithm: DigestAlgorithm,
    pub(crate) add_auth_attributes: bool,
    pub(crate) add_signing_time: bool,
    /// DER of each extra signed attribute.
    other_attributes: Vec<Vec<u8>>,
}

fn invalid(message: impl Into<String>) -> SignerError {
    SignerError::InvalidHashFile(message.into())
}

impl HashSignRequest {
    /// Parses the JSON uploaded as `hashfile`.
    ///
    /// Accepted:
    /// - `messageDigest` (required): base64 (standard or URL-safe alphabet, padding optional) of
    ///   either the raw digest, or the DER `Attribute` messageDigest
    ///   (`SEQUENCE { 1.2.840.113549.1.9.4, SET { OCTET STRING } }`, the form of the documented
    ///   example), or a DER `OCTET STRING`; a hex string of the raw digest is accepted too.
    /// - `digestAlgorithm`: `sha256` / `sha384` / `sha512`, with or without a dash, or the
    ///   `shaNNNWithRSAEncryption` names, or the digest or signature OIDs. Default `sha256`.
    ///   SHA-1 and others are refused.
    /// - `addAuthAttribute`: 1/0, true/false or "1"/"0"/"true"/"false"; default 1. With 0 the
    ///   signature is made directly over the digest (no signed attributes).
    /// - `addSigningTime`: same forms; default 1, as in the documented example. Ignored when
    ///   `addAuthAttribute` is 0 (a signing time needs signed attributes).
    /// - `otherAuthAttributes`: array of base64 DER `Attribute`s, or of objects
    ///   `{"oid": "1.2.3", "value": "<base64 DER of the value>"}`; default empty. They may not
    ///   repeat contentType, messageDigest, signingTime or signing-certificate-v2.
    ///
    /// Unknown fields are ignored.
    pub fn from_json(bytes: &[u8]) -> Result<Self, SignerError> {
        let json: Value =
            serde_json::from_slice(bytes).map_err(|e| invalid(format!("not JSON: {e}")))?;
        let object = json
            .as_object()
            .ok_or_else(|| invalid("the hash file must be a JSON object"))?;

        let algorithm = match object.get("digestAlgorithm") {
            None | Some(Value::Null) => DigestAlgorithm::Sha256,
            Some(Value::String(name)) => parse_algorithm(name)?,
            Some(other) => {
                return Err(invalid(format!(
                    "digestAlgorithm must be a string, got {other}"
                )));
            }
        };
        let encoded = match object.get("messageDigest") {
            Some(Value::String(text)) => text,
            Some(other) => {
                return Err(invalid(format!(
                    "messageDigest must be a base64 string, got {other}"
                )));
            }
            None => return Err(invalid("messageDigest is missing")),
        };
        let digest = parse_digest(encoded, algorithm)?;
        let add_auth_attributes = flag(object.get("addAuthAttribute"), "addAuthAttribute", true)?;
        let add_signing_time =
            flag(object.get("addSigningTime"), "addSigningTime", true)? && add_auth_attributes;
        let other_attributes = match object.get("otherAuthAttributes") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(parse_other_attribute)
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(invalid(format!(
                    "otherAuthAttributes must be an array, got {other}"
                )));
            }
        };
        if !other_attributes.is_empty() && !add_auth_attributes {
            return Err(invalid("otherAuthAttributes need addAuthAttribute = 1"));
        }
        Ok(HashSignRequest {
            digest,
            algorithm,
            add_auth_attributes,
            add_signing_time,
            other_attributes,
        })
    }

    /// The raw digest that will be signed.
    pub fn digest(&self) -> &[u8] {
        &self.digest
    }

    /// The digest algorithm's name (`sha256`, `sha384` or `sha512`).
    pub fn digest_algorithm(&self) -> &'static str {
        match self.algorithm {
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sha384 => "sha384",
            DigestAlgorithm::Sha512 => "sha512",
        }
    }

    pub(crate) fn other_attributes(&self) -> Result<Vec<Attribute>, SignerError> {
        self.other_attributes
            .iter()
            .map(|der| {
                Attribute::from_der(der).map_err(|e| invalid(format!("otherAuthAttributes: {e}")))
            })
            .collect()
    }
}

fn parse_algorithm(name: &str) -> Result<DigestAlgorithm, SignerError> {
    let normal: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    match normal.as_str() {
        "sha256"
        | "sha256withrsaencryption"
        | "sha256withrsa"
        | "2.16.840.1.101.3.4.2.1"
        | "1.2.840.113549.1.1.11" => Ok(DigestAlgorithm::Sha256),
        "sha384"
        | "sha384withrsaencryption"
        | "sha384withrsa"
        | "2.16.840.1.101.3.4.2.2"
        | "1.2.840.113549.1.1.12" => Ok(DigestAlgorithm::Sha384),
        "sha512"
        | "sha512withrsaencryption"
        | "sha512withrsa"
        | "2.16.840.1.101.3.4.2.3"
        | "1.2.840.113549.1.1.13" => Ok(DigestAlgorithm::Sha512),
        _ => Err(invalid(format!(
            "digestAlgorithm {name:?} is not supported (use sha256, sha384 or sha512)"
        ))),
    }
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let unpadded = compact.trim_end_matches('=');
    let padded = format!("{unpadded}{}", "=".repeat((4 - unpadded.len() % 4) % 4));
    STANDARD
        .decode(&padded)
        .or_else(|_| URL_SAFE.decode(&padded))
        .ok()
}

fn parse_digest(text: &str, algorithm: DigestAlgorithm) -> Result<Vec<u8>, SignerError> {
    let want = algorithm.output_len();
    let text = text.trim();
    if let Some(bytes) = decode_base64(text) {
        if bytes.len() == want {
            return Ok(bytes);
        }
        if let Ok(attribute) = Attribute::from_der(&bytes) {
            if attribute.oid != oids::MESSAGE_DIGEST {
                return Err(invalid(format!(
                    "messageDigest holds a {} attribute, not messageDigest",
                    attribute.oid
                )));
            }
            let value = attribute
                .values
                .iter()
                .next()
                .filter(|_| attribute.values.len() == 1)
                .ok_or_else(|| {
                    invalid("the messageDigest attribute must have exactly one value")
                })?;
            let digest = value.decode_as::<OctetString>().map_err(|e| {
                invalid(format!(
                    "the messageDigest attribute value is not an OCTET STRING: {e}"
                ))
            })?;
            return checked_len(digest.into_bytes(), want);
        }
        if let Ok(octets) = OctetString::from_der(&bytes) {
            return checked_len(octets.into_bytes(), want);
        }
    }
    if text.len() == want * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let bytes = (0..want)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>();
        if let Ok(bytes) = bytes {
            return Ok(bytes);
        }
    }
    Err(invalid(format!(
        "messageDigest must be the base64 of a {want}-byte digest or of a DER messageDigest attribute"
    )))
}

fn checked_len(digest: Vec<u8>, want: usize) -> Result<Vec<u8>, SignerError> {
    if digest.len() == want {
        Ok(digest)
    } else {
        Err(invalid(format!(
            "the digest has {} bytes; the digest algorithm gives {want}",
            digest.len()
        )))
    }
}

fn flag(value: Option<&Value>, name: &str, default: bool) -> Result<bool, SignerError> {
    match value {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => Ok(true),
        Some(Value::Number(n)) if n.as_u64() == Some(0) => Ok(false),
        Some(Value::String(s)) if matches!(s.trim(), "1" | "true" | "True" | "TRUE") => Ok(true),
        Some(Value::String(s)) if matches!(s.trim(), "0" | "false" | "False" | "FALSE") => {
            Ok(false)
        }
        Some(other) => Err(invalid(format!("{name} must be 0 or 1, got {other}"))),
    }
}

/// Attributes the signer sets itself; a client may not supply them.
const RESERVED: [ObjectIdentifier; 4] = [
    oids::CONTENT_TYPE,
    oids::MESSAGE_DIGEST,
    oids::SIGNING_TIME,
    oids::SIGNING_CERTIFICATE_V2,
];

fn parse_other_attribute(item: &Value) -> Result<Vec<u8>, SignerError> {
    let attribute = match item {
        Value::String(text) => {
            let der = decode_base64(text)
                .ok_or_else(|| invalid("otherAuthAttributes entries must be base64"))?;
            Attribute::from_der(&der).map_err(|e| {
                invalid(format!(
                    "otherAuthAttributes entry is not a DER Attribute: {e}"
                ))
            })?
        }
        Value::Object(fields) => {
            let oid_text = fields
                .get("oid")
                .or_else(|| fields.get("type"))
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("otherAuthAttributes objects need \"oid\""))?;
            let oid = ObjectIdentifier::new(oid_text.trim())
                .map_err(|e| invalid(format!("otherAuthAttributes oid {oid_text:?}: {e}")))?;
            let value_text = fields.get("value").and_then(Value::as_str).ok_or_else(|| {
                invalid("otherAuthAttributes objects need \"value\" (base64 DER)")
            })?;
            let der = decode_base64(value_text)
                .ok_or_else(|| invalid("otherAuthAttributes value must be base64"))?;
            let value = Any::from_der(&der)
                .map_err(|e| invalid(format!("otherAuthAttributes value is not DER: {e}")))?;
            let mut values = SetOfVec::new();
            values
                .insert(value)
                .map_err(|e| invalid(format!("otherAuthAttributes value: {e}")))?;
            Attribute { oid, values }
        }
        other => {
            return Err(invalid(format!(
                "otherAuthAttributes entries must be strings or objects, got {other}"
            )));
        }
    };
    if RESERVED.contains(&attribute.oid) {
        return Err(invalid(format!(
            "otherAuthAttributes may not set {} (the signer sets it)",
            attribute.oid
        )));
    }
    der::Encode::to_der(&attribute).map_err(|e| invalid(format!("otherAuthAttributes: {e}")))
}
