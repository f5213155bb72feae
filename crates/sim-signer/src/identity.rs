//! A one-use signer: its certificate and private key.

use der::Decode;
use rsa::RsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use x509_cert::Certificate;

use crate::SignerError;
use crate::pem_bundle;
use crate::pki::certs::Credential;
use crate::pki::names;

const CERTIFICATE_LABEL: &str = "CERTIFICATE";
const PRIVATE_KEY_LABEL: &str = "PRIVATE KEY";

/// A signer certificate with its private key, issued by [`crate::TrustService::issue_signer`].
///
/// `Debug` never shows the key. [`SignerIdentity::to_pem`] / [`SignerIdentity::from_pem`] let the
/// simulator persist it between calls.
#[derive(Clone)]
pub struct SignerIdentity {
    pub(crate) credential: Credential,
    common_name: String,
}

impl std::fmt::Debug for SignerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignerIdentity")
            .field("common_name", &self.common_name)
            .field("serial", &self.serial_hex())
            .finish_non_exhaustive()
    }
}

impl SignerIdentity {
    pub(crate) fn new(credential: Credential, common_name: String) -> Self {
        SignerIdentity {
            credential,
            common_name,
        }
    }

    /// The certificate, DER encoded.
    pub fn certificate_der(&self) -> &[u8] {
        &self.credential.certificate_der
    }

    /// The certificate, PEM encoded.
    pub fn certificate_pem(&self) -> String {
        pem_bundle::encode(&[(CERTIFICATE_LABEL, &self.credential.certificate_der)])
    }

    /// The certificate serial number as upper-case hex (no separators).
    pub fn serial_hex(&self) -> String {
        self.credential
            .certificate
            .tbs_certificate
            .serial_number
            .as_bytes()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// The subject common name ("Given Surname1 Surname2").
    pub fn common_name(&self) -> &str {
        &self.common_name
    }

    /// Certificate and PKCS#8 private key as one PEM text, for persistence. Keep it private.
    pub fn to_pem(&self) -> String {
        let key = self
            .credential
            .key
            .to_pkcs8_der()
            .expect("an RSA key always encodes as PKCS#8");
        pem_bundle::encode(&[
            (CERTIFICATE_LABEL, &self.credential.certificate_der),
            (PRIVATE_KEY_LABEL, key.as_bytes()),
        ])
    }

    /// Reads what [`SignerIdentity::to_pem`] wrote; checks that key and certificate match.
    pub fn from_pem(pem: &str) -> Result<Self, SignerError> {
        let blocks = pem_bundle::decode(pem)?;
        let [certificate, key] = blocks.as_slice() else {
            return Err(SignerError::Persistence(format!(
                "a signer identity has one certificate and one private key, found {} PEM blocks",
                blocks.len()
            )));
        };
        if certificate.label != CERTIFICATE_LABEL || key.label != PRIVATE_KEY_LABEL {
            return Err(SignerError::Persistence(format!(
                "expected CERTIFICATE then PRIVATE KEY, found {} then {}",
                certificate.label, key.label
            )));
        }
        let credential = credential_from_der(&certificate.der, &key.der)?;
        let common_name = names::common_name_of(&credential.certificate.tbs_certificate.subject)
            .unwrap_or_default();
        Ok(SignerIdentity {
            credential,
            common_name,
        })
    }
}

/// A credential from a DER certificate and a DER PKCS#8 key; fails when they do not match.
pub(crate) fn credential_from_der(
    certificate: &[u8],
    key: &[u8],
) -> Result<Credential, SignerError> {
    let certificate = Certificate::from_der(certificate)
        .map_err(|e| SignerError::Persistence(format!("certificate: {e}")))?;
    let key = RsaPrivateKey::from_pkcs8_der(key)
        .map_err(|e| SignerError::Persistence(format!("private key: {e}")))?;
    Credential::new(key, certificate)
}
