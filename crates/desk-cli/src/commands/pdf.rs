//! What `render` and `inspect` share: PDFium's errors as the desk's, and the optional password.

use crate::secrets::read_secret;
use desk_core::DeskError;
use pdf_engine::{PdfError, SecretString};

/// A pdf-engine error with its stable code (`pdf.encrypted`, `pdf.library_missing`, ...).
pub fn desk_error(error: PdfError) -> DeskError {
    DeskError::new(error.code(), error.to_string())
}

/// The PDF's password when `--password-stdin` was given.
pub fn password(wanted: bool) -> Result<Option<SecretString>, DeskError> {
    if !wanted {
        return Ok(None);
    }
    read_secret("PDF password: ")?.map(Some).ok_or_else(|| {
        DeskError::new(
            "cli.input",
            "--password-stdin was given but nothing was read",
        )
    })
}

/// The file to read, refused up front with the same code as every other input the desk cannot
/// read (`input.unreadable`): a missing file or a folder is the user's mistake, not PDFium's.
pub fn readable_file(path: &std::path::Path) -> Result<(), DeskError> {
    let unreadable = |detail: String| {
        DeskError::new(
            "input.unreadable",
            format!("Cannot read {}", path.display()),
        )
        .with_detail(detail)
    };
    let metadata = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if !metadata.is_file() {
        return Err(unreadable("not a regular file".into()));
    }
    std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    Ok(())
}
