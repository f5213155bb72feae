//! Reading and writing several PEM blocks in one text, and atomic file replacement.

use std::io::Write;
use std::path::Path;

use crate::SignerError;

/// One decoded PEM block.
pub(crate) struct PemBlock {
    pub(crate) label: String,
    pub(crate) der: Vec<u8>,
}

/// Encodes `blocks` as consecutive PEM blocks with LF line endings.
pub(crate) fn encode(blocks: &[(&str, &[u8])]) -> String {
    let mut text = String::new();
    for (label, der) in blocks {
        // Only fails for labels that are not plain ASCII words, and ours are constants.
        let block = der::pem::encode_string(label, der::pem::LineEnding::LF, der)
            .expect("PEM encoding of a constant label");
        text.push_str(&block);
    }
    text
}

/// Decodes every `-----BEGIN ...-----` block of `text`, in order; text between blocks is ignored.
pub(crate) fn decode(text: &str) -> Result<Vec<PemBlock>, SignerError> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start..];
        let label_end = after[11..]
            .find("-----")
            .ok_or_else(|| SignerError::Persistence("unterminated PEM header".into()))?;
        let label = &after[11..11 + label_end];
        let footer = format!("-----END {label}-----");
        let end = after.find(&footer).ok_or_else(|| {
            SignerError::Persistence(format!("PEM block {label} has no end line"))
        })?;
        let block = &after[..end + footer.len()];
        let (decoded_label, der) = der::pem::decode_vec(block.as_bytes())
            .map_err(|e| SignerError::Persistence(format!("PEM block {label}: {e}")))?;
        blocks.push(PemBlock {
            label: decoded_label.to_owned(),
            der,
        });
        rest = &after[end + footer.len()..];
    }
    Ok(blocks)
}

/// Why [`write_private_file_new`] did not write.
pub(crate) enum NewFileError {
    /// The file already exists (left untouched).
    Exists,
    Other(SignerError),
}

/// Creates `path` atomically (temporary file in the same directory, fsync, link) readable by the
/// owner only, since it holds private keys; never replaces an existing file.
pub(crate) fn write_private_file_new(path: &Path, contents: &str) -> Result<(), NewFileError> {
    let file = prepared(path, contents, 0o600).map_err(NewFileError::Other)?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(NewFileError::Exists),
        Err(e) => Err(NewFileError::Other(persistence(
            path,
            "cannot create",
            e.error,
        ))),
    }
}

/// Replaces `path` atomically with a world-readable file.
pub(crate) fn write_file(path: &Path, contents: &str) -> Result<(), SignerError> {
    let file = prepared(path, contents, 0o644)?;
    file.persist(path)
        .map_err(|e| persistence(path, "cannot replace", e.error))?;
    Ok(())
}

fn prepared(
    path: &Path,
    contents: &str,
    mode: u32,
) -> Result<tempfile::NamedTempFile, SignerError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| persistence(path, "cannot create a file next to", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| persistence(path, "cannot set permissions of", e))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    file.write_all(contents.as_bytes())
        .map_err(|e| persistence(path, "cannot write", e))?;
    file.as_file()
        .sync_all()
        .map_err(|e| persistence(path, "cannot flush", e))?;
    Ok(file)
}

fn persistence(path: &Path, what: &str, e: std::io::Error) -> SignerError {
    SignerError::Persistence(format!("{what} {}: {e}", path.display()))
}
