//! SHA-256 of files, streamed, and the check that a signed PDF still begins with the
//! original document (a PAdES signature is an incremental update appended to it).

use super::OutputError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::str::FromStr;

/// Read size when hashing: large enough that system calls cost nothing next to the hashing.
const CHUNK: usize = 1024 * 1024;

/// A SHA-256 digest; shown and serialised as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Sha256Digest(pub [u8; 32]);

impl Sha256Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Sha256Digest(Sha256::digest(bytes).into())
    }

    pub(crate) fn from_hasher(hasher: Sha256) -> Self {
        Sha256Digest(hasher.finalize().into())
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

/// The text is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("A SHA-256 digest is written as 64 hex digits")]
pub struct InvalidDigest;

impl FromStr for Sha256Digest {
    type Err = InvalidDigest;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.as_bytes();
        if text.len() != 64 {
            return Err(InvalidDigest);
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let high = (pair[0] as char).to_digit(16).ok_or(InvalidDigest)?;
            let low = (pair[1] as char).to_digit(16).ok_or(InvalidDigest)?;
            *byte = u8::try_from(high * 16 + low).map_err(|_| InvalidDigest)?;
        }
        Ok(Sha256Digest(bytes))
    }
}

impl From<Sha256Digest> for String {
    fn from(digest: Sha256Digest) -> Self {
        digest.to_string()
    }
}

impl TryFrom<String> for Sha256Digest {
    type Error = InvalidDigest;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

/// The SHA-256 and length of the file at `path`, read in chunks.
pub async fn sha256_file(path: &Path) -> Result<(Sha256Digest, u64), OutputError> {
    hash_prefix(path, u64::MAX).await
}

/// Whether the file at `signed_path` begins with exactly the original document: its first
/// `original_len` bytes hash to `original_sha256`. A file shorter than that does not.
pub async fn starts_with_original(
    signed_path: &Path,
    original_sha256: &Sha256Digest,
    original_len: u64,
) -> Result<bool, OutputError> {
    let (digest, read) = hash_prefix(signed_path, original_len).await?;
    Ok(read == original_len && digest == *original_sha256)
}

/// The digest and length of at most the first `limit` bytes of the file. The file is read in
/// one blocking task with plain reads (an async file would hand every chunk to a blocking
/// thread and back), so several files hash in parallel on several cores.
async fn hash_prefix(path: &Path, limit: u64) -> Result<(Sha256Digest, u64), OutputError> {
    let owned = path.to_path_buf();
    let hashed = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
        let mut reader = std::fs::File::open(&owned)?.take(limit);
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; CHUNK];
        let mut total = 0u64;
        loop {
            let n = reader.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            total += n as u64;
        }
        Ok((Sha256Digest::from_hasher(hasher), total))
    })
    .await;
    let read_error = |source| OutputError::Read {
        path: path.to_path_buf(),
        source,
    };
    match hashed {
        Ok(result) => result.map_err(read_error),
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => Err(read_error(std::io::Error::other(error))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_print_and_parse_as_hex() {
        let digest = Sha256Digest::of(b"abc");
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(digest.to_string(), hex);
        assert_eq!(hex.parse::<Sha256Digest>().unwrap(), digest);
        assert_eq!(hex.to_uppercase().parse::<Sha256Digest>().unwrap(), digest);
        assert_eq!(
            serde_json::to_string(&digest).unwrap(),
            format!("\"{hex}\"")
        );
        assert!("abc".parse::<Sha256Digest>().is_err());
        assert!("zz".repeat(32).parse::<Sha256Digest>().is_err());
    }

    #[tokio::test]
    async fn hashes_files_and_checks_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let original: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let mut signed = original.clone();
        signed.extend_from_slice(b"\n%% incremental update with the signature\n");
        let signed_path = dir.path().join("signed.pdf");
        std::fs::write(&signed_path, &signed).unwrap();

        let (digest, len) = sha256_file(&signed_path).await.unwrap();
        assert_eq!(
            (digest, len),
            (Sha256Digest::of(&signed), signed.len() as u64)
        );

        let original_digest = Sha256Digest::of(&original);
        let original_len = original.len() as u64;
        assert!(
            starts_with_original(&signed_path, &original_digest, original_len)
                .await
                .unwrap()
        );

        let mut tampered = signed.clone();
        tampered[1000] ^= 1;
        std::fs::write(&signed_path, &tampered).unwrap();
        assert!(
            !starts_with_original(&signed_path, &original_digest, original_len)
                .await
                .unwrap()
        );

        std::fs::write(&signed_path, &original[..1000]).unwrap();
        assert!(
            !starts_with_original(&signed_path, &original_digest, original_len)
                .await
                .unwrap()
        );

        let missing = sha256_file(&dir.path().join("missing.pdf"))
            .await
            .unwrap_err();
        assert!(matches!(missing, OutputError::Read { .. }));
    }
}
