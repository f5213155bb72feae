//! A received multipart form: text fields plus files already streamed to staging.

use super::store::ReceivedFile;
use std::collections::BTreeMap;

/// One file part.
pub struct FilePart {
    /// Form field name.
    pub name: String,
    /// Client file name (may be empty).
    pub filename: String,
    /// Declared content type.
    pub content_type: Option<String>,
    /// The bytes, on disk.
    pub file: ReceivedFile,
}

/// A whole form.
#[derive(Default)]
pub struct Form {
    /// Text fields (last value wins), trimmed.
    pub fields: BTreeMap<String, String>,
    /// File parts in arrival order.
    pub files: Vec<FilePart>,
}

impl Form {
    /// A non-empty text field.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Whether the field was sent at all (even empty).
    pub fn has(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// Takes the file part named `name` (the last one when sent twice, like text fields).
    pub fn take_file(&mut self, name: &str) -> Option<FilePart> {
        let index = self.files.iter().rposition(|f| f.name == name)?;
        Some(self.files.remove(index))
    }
}

/// Whether the bytes start like a JPEG or PNG image.
pub fn is_jpeg_or_png(head: &[u8]) -> bool {
    head.starts_with(&[0xff, 0xd8, 0xff]) || head.starts_with(b"\x89PNG\r\n\x1a\n")
}

/// Whether the bytes start like a PDF (the header may follow a little junk, as readers allow).
pub fn is_pdf(head: &[u8]) -> bool {
    head.windows(5).any(|w| w == b"%PDF-")
}

/// A name for the part in error messages: its extension or content type.
pub fn describe_type(part: &FilePart) -> String {
    std::path::Path::new(&part.filename)
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .or_else(|| part.content_type.clone())
        .unwrap_or_else(|| "unknown".into())
}
