//! RSA keys, the random source and serial numbers.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rsa::RsaPrivateKey;
use x509_cert::serial_number::SerialNumber;

use crate::SignerError;

/// CA key size: a root lives long, so it gets more than the end-entity keys.
pub(crate) const CA_KEY_BITS: usize = 3072;
/// Key size of the TSA and of every signer certificate (what qualified one-shot certificates use).
pub(crate) const LEAF_KEY_BITS: usize = 2048;

/// The random source: ChaCha20, seeded for reproducible runs or from the OS otherwise.
pub(crate) fn new_rng(seed: Option<u64>) -> ChaCha20Rng {
    match seed {
        Some(seed) => ChaCha20Rng::seed_from_u64(seed),
        None => ChaCha20Rng::from_entropy(),
    }
}

pub(crate) fn generate_key(
    rng: &mut ChaCha20Rng,
    bits: usize,
) -> Result<RsaPrivateKey, SignerError> {
    RsaPrivateKey::new(rng, bits)
        .map_err(|e| SignerError::Crypto(format!("RSA key generation: {e}")))
}

/// 16 random bytes, positive and without a leading zero octet, as RFC 5280 wants (≤ 20 octets).
pub(crate) fn random_serial_bytes(rng: &mut ChaCha20Rng) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[0] = (bytes[0] & 0x7f) | 0x40;
    bytes
}

pub(crate) fn random_serial(rng: &mut ChaCha20Rng) -> Result<SerialNumber, SignerError> {
    SerialNumber::new(&random_serial_bytes(rng))
        .map_err(|e| SignerError::Crypto(format!("serial number: {e}")))
}
