//! What the desk shows about a certificate, and the DER it came from.

use crate::{hex, name, oids};
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use x509_cert::Certificate;

/// A certificate as people read it, with its DER for chain checks and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {
    /// The subject's common name (CN), usually the signer's full name.
    pub common_name: Option<String>,
    /// What to call the subject: the CN, else given name and surname, else the organisation,
    /// else the whole subject.
    pub display_name: String,
    /// The subject distinguished name, RFC 4514 style (`CN=...,O=...,C=ES`).
    pub subject: String,
    /// The issuer distinguished name.
    pub issuer: String,
    /// The serial number, lower-case hex, without leading zero bytes.
    pub serial_hex: String,
    /// Start of validity.
    pub not_before: jiff::Timestamp,
    /// End of validity.
    pub not_after: jiff::Timestamp,
    /// The subject key, e.g. `RSA 2048`, `EC P-256`.
    pub key_algorithm: String,
    /// Whether the certificate says it is a CA (basicConstraints cA).
    pub is_ca: bool,
    /// SHA-256 of the DER, lower-case hex.
    pub sha256_fingerprint: String,
    /// The certificate itself (DER; base64 in JSON).
    #[serde(with = "crate::serde_base64")]
    pub der: Vec<u8>,
}

impl CertificateSummary {
    /// Summarises a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, der::Error> {
        let certificate = Certificate::from_der(der)?;
        Self::from_certificate(&certificate)
    }

    /// The parsed certificate again (it was decodable when summarised).
    pub(crate) fn certificate(&self) -> Result<Certificate, der::Error> {
        Certificate::from_der(&self.der)
    }

    pub(crate) fn from_certificate(certificate: &Certificate) -> Result<Self, der::Error> {
        let tbs = &certificate.tbs_certificate;
        let der = certificate.to_der()?;
        let serial = tbs.serial_number.as_bytes();
        let first_significant = serial.iter().position(|&b| b != 0).unwrap_or(serial.len());
        let serial_hex = match hex::encode(&serial[first_significant..]) {
            empty if empty.is_empty() => "00".to_owned(),
            digits => digits,
        };
        Ok(Self {
            common_name: name::common_name(&tbs.subject),
            display_name: name::display_name(&tbs.subject),
            subject: name::to_display_string(&tbs.subject),
            issuer: name::to_display_string(&tbs.issuer),
            serial_hex,
            not_before: to_timestamp(tbs.validity.not_before),
            not_after: to_timestamp(tbs.validity.not_after),
            key_algorithm: key_algorithm(&tbs.subject_public_key_info),
            is_ca: is_ca(certificate),
            sha256_fingerprint: hex::encode(&sha2::Sha256::digest(&der)),
            der,
        })
    }
}

/// A certificate time as a timestamp; X.509 times are within jiff's range by construction
/// (years 1950..=9999), so the clamp only guards against a malformed value.
pub(crate) fn to_timestamp(time: x509_cert::time::Time) -> jiff::Timestamp {
    let seconds = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::MAX)
}

fn is_ca(certificate: &Certificate) -> bool {
    use x509_cert::ext::pkix::BasicConstraints;
    certificate
        .tbs_certificate
        .get::<BasicConstraints>()
        .ok()
        .flatten()
        .is_some_and(|(_, constraints)| constraints.ca)
}

fn key_algorithm(spki: &spki::SubjectPublicKeyInfoOwned) -> String {
    let oid = spki.algorithm.oid;
    if oid == oids::RSA_ENCRYPTION || oid == oids::RSASSA_PSS {
        use rsa::pkcs1::DecodeRsaPublicKey;
        use rsa::traits::PublicKeyParts;
        return match rsa::RsaPublicKey::from_pkcs1_der(spki.subject_public_key.raw_bytes()) {
            Ok(key) => format!("RSA {}", key.n().bits()),
            Err(_) => "RSA (undecodable key)".to_owned(),
        };
    }
    if oid == oids::EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
        return match curve {
            Some(c) if c == oids::SECP256R1 => "EC P-256".to_owned(),
            Some(c) if c == oids::SECP384R1 => "EC P-384".to_owned(),
            Some(c) if c == oids::SECP521R1 => "EC P-521".to_owned(),
            Some(c) => format!("EC {c}"),
            None => "EC (unnamed curve)".to_owned(),
        };
    }
    if oid == oids::ED25519 {
        return "Ed25519".to_owned();
    }
    oid.to_string()
}
