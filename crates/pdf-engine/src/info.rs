//! What the engine tells about a document: pages, metadata, text, search hits, signatures.

use crate::document_id::DocumentId;
use serde::Serialize;

/// An opened document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentInfo {
    pub id: DocumentId,
    pub page_count: u32,
    /// The first page's displayed size; every page's is one [`crate::PdfEngine::page_sizes`]
    /// call away (measuring 1300 pages costs ~100 ms, too much to spend before the first page).
    pub first_page_size: Option<PageSize>,
    pub metadata: DocumentMetadata,
}

/// A page's displayed size in PDF points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageSize {
    pub width: f32,
    pub height: f32,
}

impl PageSize {
    /// The pixel size of a whole-page render at `scale` (before any extra rotation).
    pub fn pixels_at(self, scale: f32) -> (u64, u64) {
        // f32 and `round` as pdfium-render sizes its bitmaps, so both agree to the pixel.
        (
            (self.width * scale).round().max(0.0) as u64,
            (self.height * scale).round().max(0.0) as u64,
        )
    }
}

/// The document information dictionary and file-level facts. Dates are as written in the PDF
/// (`D:YYYYMMDDHHmmSS+hh'mm'`), with [`DocumentMetadata::creation_time`] and
/// [`DocumentMetadata::modification_time`] parsed when well formed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DocumentMetadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub keywords: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    pub creation_date: Option<String>,
    pub modification_date: Option<String>,
    pub creation_time: Option<jiff::Timestamp>,
    pub modification_time: Option<jiff::Timestamp>,
    /// `1.7`, `2.0`, ... from the file header.
    pub pdf_version: Option<String>,
    /// Whether the file is encrypted (it may still open without a password).
    pub encrypted: bool,
}

/// A rectangle on the displayed page in PDF points, origin at the top-left corner, y downwards:
/// multiply by the render scale to get pixels of a whole-page render.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageRect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// How to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    pub match_case: bool,
    pub whole_word: bool,
    /// Stop after this many hits (a one-letter query in a 1000-page manual).
    pub max_hits: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            match_case: false,
            whole_word: false,
            max_hits: 1000,
        }
    }
}

/// One occurrence of the query. A hit spanning lines has one rectangle per line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub page: u32,
    pub text: String,
    pub rects: Vec<PageRect>,
}

/// The result of a search; `truncated` when `max_hits` stopped it early.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub truncated: bool,
}

/// One signature field's signature, as far as PDFium reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdfiumSignature {
    /// Position among the document's signatures (0-based, file order).
    pub index: u32,
    pub reason: Option<String>,
    /// `/M` as written (`D:...`), and parsed when well formed.
    pub signing_date: Option<String>,
    pub signing_time: Option<jiff::Timestamp>,
    /// Size of the `/Contents` (the CMS blob) in bytes.
    pub contents_len: usize,
}

/// Parses a PDF date string (`D:YYYYMMDDHHmmSSOHH'mm'`, every part after the year optional).
pub fn parse_pdf_date(text: &str) -> Option<jiff::Timestamp> {
    let s = text.trim().trim_start_matches("D:");
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let part = |from: usize, len: usize, default: i32| -> Option<i32> {
        digits
            .get(from..from + len)
            .map_or(Some(default), |p| p.parse().ok())
    };
    let year = part(0, 4, 0)?;
    let month = part(4, 2, 1)?;
    let day = part(6, 2, 1)?;
    let hour = part(8, 2, 0)?;
    let minute = part(10, 2, 0)?;
    let second = part(12, 2, 0)?;
    let rest = &s[digits.len()..];
    let offset_seconds = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let nums: Vec<i32> = rest[1..]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
                .filter_map(|p| p.parse().ok())
                .collect();
            let secs =
                nums.first().copied().unwrap_or(0) * 3600 + nums.get(1).copied().unwrap_or(0) * 60;
            if sign == '-' { -secs } else { secs }
        }
        _ => 0, // `Z` or nothing: UTC (the spec leaves "unknown" to the reader).
    };
    let datetime = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second.min(59)).ok()?,
        0,
    )
    .ok()?;
    let offset = jiff::tz::Offset::from_seconds(offset_seconds).ok()?;
    offset.to_timestamp(datetime).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_parse_with_offsets_and_partial_precision() {
        let t = parse_pdf_date("D:20240131120000+01'00'").unwrap();
        assert_eq!(t.to_string(), "2024-01-31T11:00:00Z");
        let t = parse_pdf_date("D:20240131120000Z").unwrap();
        assert_eq!(t.to_string(), "2024-01-31T12:00:00Z");
        let t = parse_pdf_date("D:2023").unwrap();
        assert_eq!(t.to_string(), "2023-01-01T00:00:00Z");
        let t = parse_pdf_date("D:20230615083000-05'30").unwrap();
        assert_eq!(t.to_string(), "2023-06-15T14:00:00Z");
        assert_eq!(parse_pdf_date("yesterday"), None);
        assert_eq!(parse_pdf_date("D:20241399"), None);
    }
}
