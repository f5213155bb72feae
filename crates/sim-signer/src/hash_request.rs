//! The hash-signature request (`hashfile` JSON of the One-Shot hash flow).

use crate::SignerError;

/// A parsed `hashfile`: what to sign and which CMS signed attributes to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashSignRequest {
    pub(crate) digest: Vec<u8>,
    pub(crate) add_auth_attributes: bool,
    pub(crate) add_signing_time: bool,
}

impl HashSignRequest {
    /// Parses the JSON uploaded as `hashfile`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, SignerError> {
        let _ = bytes;
        Err(SignerError::InvalidHashFile("not implemented yet".into()))
    }
}
