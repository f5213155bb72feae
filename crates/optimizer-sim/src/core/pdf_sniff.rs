//! Cheap checks of an uploaded PDF, so encrypted or truncated files are refused at upload
//! (415) without reading a possibly huge file whole. The signer re-checks everything at sign.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// How much of each end is read.
const WINDOW: u64 = 64 * 1024;

/// Why an uploaded PDF cannot be signed.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PdfProblem {
    /// The trailer names an `/Encrypt` dictionary.
    #[error("encrypted PDF")]
    Encrypted,
    /// No `%%EOF` near the end: the file is truncated or not a PDF.
    #[error("broken PDF: no end-of-file marker")]
    Truncated,
    /// The file could not be read.
    #[error("unreadable PDF: {0}")]
    Io(String),
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads the first and last 64 KiB and looks for `/Encrypt` and `%%EOF`.
pub fn check(path: &Path) -> Result<(), PdfProblem> {
    let io = |e: std::io::Error| PdfProblem::Io(e.to_string());
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut head = Vec::new();
    (&mut file)
        .take(WINDOW)
        .read_to_end(&mut head)
        .map_err(io)?;
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(len.saturating_sub(WINDOW)))
        .map_err(io)?;
    file.read_to_end(&mut tail).map_err(io)?;
    if contains(&head, b"/Encrypt") || contains(&tail, b"/Encrypt") {
        return Err(PdfProblem::Encrypted);
    }
    if !contains(&tail, b"%%EOF") {
        return Err(PdfProblem::Truncated);
    }
    Ok(())
}
