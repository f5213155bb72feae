//! The digest JSON of the hash flow (API.md §D.3), checked at upload.

use base64::Engine;
use serde_json::Value;

/// Digest algorithms accepted (`sha256` per GH2, `sha256WithRSAEncryption` per the newer guide).
pub const DIGEST_ALGORITHMS: &[&str] = &["sha256", "sha256WithRSAEncryption"];

/// Checks the shape: an object with a base64 `messageDigest` and a known `digestAlgorithm`.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("hashfile is not JSON ({e})"))?;
    let digest = value
        .get("messageDigest")
        .and_then(Value::as_str)
        .ok_or("hashfile without messageDigest")?;
    base64::engine::general_purpose::STANDARD
        .decode(digest)
        .map_err(|_| "hashfile messageDigest is not base64".to_string())?;
    let algorithm = value
        .get("digestAlgorithm")
        .and_then(Value::as_str)
        .unwrap_or("sha256");
    if !DIGEST_ALGORITHMS.contains(&algorithm) {
        return Err(format!(
            "hashfile digestAlgorithm {algorithm} not supported"
        ));
    }
    Ok(())
}
