//! Checks of the files a flow sends, made before anything leaves the desk: ID photos must be
//! JPEG or PNG (by their bytes, not their names) with readable dimensions, documents must be
//! unencrypted, complete PDFs. Each refusal has a stable code the UI words.

use crate::error::{CodedError, ErrorCode};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Largest ID photo accepted.
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// Largest document accepted. The Optimizer documents no limit; this keeps a mistaken pick
/// (a disk image, a video) from being sent.
pub const MAX_DOCUMENT_BYTES: u64 = 512 * 1024 * 1024;
/// Bytes examined at each end of a PDF for its header, trailer and end marker.
const PDF_WINDOW: u64 = 64 * 1024;

/// Why a file cannot be sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The file cannot be opened or read.
    #[error("Cannot read {}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Not a JPEG or PNG image (or one whose dimensions cannot be read).
    #[error("{} is not a JPEG or PNG photo", path.display())]
    ImageType {
        /// The file.
        path: PathBuf,
    },
    /// The photo is larger than [`MAX_IMAGE_BYTES`].
    #[error("{} is larger than {} MB", path.display(), MAX_IMAGE_BYTES / 1024 / 1024)]
    ImageTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// The file is empty.
    #[error("{} is empty", path.display())]
    PdfEmpty {
        /// The file.
        path: PathBuf,
    },
    /// Not a PDF.
    #[error("{} is not a PDF document", path.display())]
    NotPdf {
        /// The file.
        path: PathBuf,
    },
    /// A password-protected (encrypted) PDF, which cannot be signed.
    #[error("{} is password-protected (encrypted) and cannot be signed", path.display())]
    PdfEncrypted {
        /// The file.
        path: PathBuf,
    },
    /// A PDF without its end (the `startxref` pointer and the `%%EOF` marker): cut short while
    /// copying or downloading, or not a PDF past its first line.
    #[error("{} is damaged or incomplete (it does not end as a PDF does)", path.display())]
    PdfDamaged {
        /// The file.
        path: PathBuf,
    },
    /// The document is larger than [`MAX_DOCUMENT_BYTES`].
    #[error("{} is larger than {} MB", path.display(), MAX_DOCUMENT_BYTES / 1024 / 1024)]
    PdfTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
}

impl CodedError for InputError {
    fn code(&self) -> ErrorCode {
        ErrorCode::from_static(match self {
            InputError::Unreadable { .. } => "input.unreadable",
            InputError::ImageType { .. } => "image.unsupported_type",
            InputError::ImageTooLarge { .. } => "image.too_large",
            InputError::PdfEmpty { .. } => "pdf.empty",
            InputError::NotPdf { .. } => "pdf.not_a_pdf",
            InputError::PdfEncrypted { .. } => "pdf.encrypted",
            InputError::PdfDamaged { .. } => "pdf.damaged",
            InputError::PdfTooLarge { .. } => "pdf.too_large",
        })
    }

    fn detail(&self) -> Option<String> {
        match self {
            InputError::Unreadable { source, .. } => Some(source.to_string()),
            InputError::ImageTooLarge { size, .. } | InputError::PdfTooLarge { size, .. } => {
                Some(format!("{size} bytes"))
            }
            _ => None,
        }
    }
}

/// The kind of a checked photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
}

/// A photo that passed [`check_id_image`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckedImage {
    /// JPEG or PNG.
    pub kind: ImageKind,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Size in bytes.
    pub size: u64,
}

/// Checks an ID photo: JPEG or PNG by its first bytes, at most [`MAX_IMAGE_BYTES`], with
/// dimensions readable from its header.
pub fn check_id_image(path: &Path) -> Result<CheckedImage, InputError> {
    let unreadable = |source| InputError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_IMAGE_BYTES {
        return Err(InputError::ImageTooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut head = vec![0u8; 64 * 1024];
    let read = read_up_to(&mut file, &mut head).map_err(unreadable)?;
    head.truncate(read);
    let kind = if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageKind::Jpeg
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageKind::Png
    } else {
        return Err(InputError::ImageType {
            path: path.to_path_buf(),
        });
    };
    // A JPEG's size marker may follow large metadata blocks: read the header from the file.
    let dimensions = imagesize::blob_size(&head)
        .or_else(|_| imagesize::size(path))
        .ok()
        .filter(|d| d.width > 0 && d.height > 0)
        .ok_or_else(|| InputError::ImageType {
            path: path.to_path_buf(),
        })?;
    Ok(CheckedImage {
        kind,
        width: dimensions.width,
        height: dimensions.height,
        size,
    })
}

/// A document that passed [`check_document`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckedDocument {
    /// Size in bytes.
    pub size: u64,
}

/// Checks a document: a PDF by its header (`%PDF-` in the first KiB, as readers allow), not
/// empty, complete (`startxref`, an offset and `%%EOF` near the end), not encrypted (`/Encrypt` in a trailer or
/// cross-reference stream at either end of the file), at most [`MAX_DOCUMENT_BYTES`].
///
/// The encryption test reads only the first and last 64 KiB, where trailers and the
/// cross-reference streams of linearized files live; it does not parse the PDF.
pub fn check_document(path: &Path) -> Result<CheckedDocument, InputError> {
    let unreadable = |source| InputError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let metadata = file.metadata().map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(unreadable(std::io::Error::other("not a regular file")));
    }
    let size = metadata.len();
    if size == 0 {
        return Err(InputError::PdfEmpty {
            path: path.to_path_buf(),
        });
    }
    if size > MAX_DOCUMENT_BYTES {
        return Err(InputError::PdfTooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let mut head = vec![0u8; PDF_WINDOW.min(size) as usize];
    file.read_exact(&mut head).map_err(unreadable)?;
    let header_zone = &head[..head.len().min(1024)];
    if find(header_zone, b"%PDF-").is_none() {
        return Err(InputError::NotPdf {
            path: path.to_path_buf(),
        });
    }
    let tail = if size > PDF_WINDOW {
        let mut tail = vec![0u8; PDF_WINDOW as usize];
        file.seek(SeekFrom::End(-(PDF_WINDOW as i64)))
            .map_err(unreadable)?;
        file.read_exact(&mut tail).map_err(unreadable)?;
        tail
    } else {
        head.clone()
    };
    let last_kib = &tail[tail.len().saturating_sub(1024)..];
    // Every PDF ends with `startxref`, the offset of its cross-reference data, and `%%EOF`
    // (ISO 32000-1, 7.5.5; linearized files too). Without them the Optimizer is sent a file that
    // only starts like a PDF. The offset itself is not checked: readers repair a wrong one.
    if find(last_kib, b"%%EOF").is_none() || !has_startxref(last_kib) {
        return Err(InputError::PdfDamaged {
            path: path.to_path_buf(),
        });
    }
    if has_encrypt_key(&head) || has_encrypt_key(&tail) {
        return Err(InputError::PdfEncrypted {
            path: path.to_path_buf(),
        });
    }
    Ok(CheckedDocument { size })
}

/// `startxref`, white space, then digits.
fn has_startxref(bytes: &[u8]) -> bool {
    let needle = b"startxref";
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], needle) {
        let rest = &bytes[from + at + needle.len()..];
        let digits = rest.trim_ascii_start();
        if digits.len() < rest.len() && digits.first().is_some_and(u8::is_ascii_digit) {
            return true;
        }
        from += at + needle.len();
    }
    false
}

/// `/Encrypt` as a whole name (not `/EncryptMetadata`): followed by white space or a
/// delimiter.
fn has_encrypt_key(bytes: &[u8]) -> bool {
    let needle = b"/Encrypt";
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], needle) {
        let end = from + at + needle.len();
        match bytes.get(end) {
            None => return true,
            Some(next) if next.is_ascii_whitespace() || b"/<[(%".contains(next) => return true,
            Some(_) => from = end,
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CodedError;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn photos_are_recognised_by_their_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let image = check_id_image(&write(dir.path(), "front.jpg", &png(640, 400))).unwrap();
        assert_eq!(
            (image.kind, image.width, image.height),
            (ImageKind::Png, 640, 400)
        );
        let gif = write(dir.path(), "front.png", b"GIF89a\x01\x00\x01\x00");
        assert_eq!(
            check_id_image(&gif).unwrap_err().code(),
            "image.unsupported_type"
        );
        let broken = write(dir.path(), "broken.png", b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            check_id_image(&broken).unwrap_err().code(),
            "image.unsupported_type"
        );
        let big = dir.path().join("big.png");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_IMAGE_BYTES + 1).unwrap();
        assert_eq!(check_id_image(&big).unwrap_err().code(), "image.too_large");
        assert_eq!(
            check_id_image(&dir.path().join("missing.png"))
                .unwrap_err()
                .code(),
            "input.unreadable"
        );
    }

    #[test]
    fn documents_must_be_complete_unencrypted_pdfs() {
        let dir = tempfile::tempdir().unwrap();
        let good = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n9\n%%EOF\n";
        assert!(check_document(&write(dir.path(), "a.pdf", good)).is_ok());
        let meta = b"%PDF-1.7\n<</EncryptMetadata false>>\ntrailer <<>>\nstartxref 9\r\n%%EOF\n";
        assert!(check_document(&write(dir.path(), "m.pdf", meta)).is_ok());
        let cases: [(&[u8], &str); 6] = [
            (b"", "pdf.empty"),
            (b"PK\x03\x04 not a pdf %%EOF", "pdf.not_a_pdf"),
            (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "pdf.damaged"),
            (b"%PDF-1.7\n\x00\xff garbage\n%%EOF\n", "pdf.damaged"),
            (b"%PDF-1.7\ngarbage\nstartxref\n%%EOF\n", "pdf.damaged"),
            (
                b"%PDF-1.7\ntrailer <</Root 1 0 R /Encrypt 5 0 R>>\nstartxref\n9\n%%EOF\n",
                "pdf.encrypted",
            ),
        ];
        for (i, (bytes, code)) in cases.iter().enumerate() {
            let path = write(dir.path(), &format!("{i}.pdf"), bytes);
            assert_eq!(check_document(&path).unwrap_err().code(), *code);
        }
    }

    #[test]
    fn large_documents_are_checked_at_both_ends() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(300 * 1024, b' ');
        bytes.extend(b"trailer\n<</Size 3/Encrypt<</Filter/Standard>>>>\nstartxref\n9\n%%EOF\n");
        let path = write(dir.path(), "big.pdf", &bytes);
        assert_eq!(check_document(&path).unwrap_err().code(), "pdf.encrypted");
    }
}
