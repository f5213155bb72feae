//! What the caller asks of a PAdES signature, and what it gets back.

use std::time::SystemTime;

/// How one PDF is signed.
#[derive(Debug, Clone)]
pub struct PdfSignOptions {
    /// A visible signature box; `None` makes an invisible signature (zero rectangle, hidden).
    pub appearance: Option<VisibleAppearance>,
    /// `/Reason` of the signature dictionary.
    pub reason: Option<String>,
    /// `/Location` of the signature dictionary.
    pub location: Option<String>,
    /// Adds an RFC 3161 timestamp from the in-process TSA (PAdES B-T instead of B-B).
    pub timestamp: bool,
    /// The claimed signing time, written to `/M` (PAdES forbids the CMS signing-time attribute).
    pub signing_time: SystemTime,
}

/// A visible signature box drawn on one page.
#[derive(Debug, Clone)]
pub struct VisibleAppearance {
    /// 0-based page index.
    pub page: u32,
    /// `x1, y1, x2, y2` in points, origin at the bottom-left corner of the page.
    pub rect: [f32; 4],
    /// Text lines, already expanded by the caller (no `%(CN)s` variables left).
    pub text_lines: Vec<String>,
    /// An optional PNG drawn inside the box (its alpha channel is kept).
    pub image_png: Option<Vec<u8>>,
}

/// The outcome of [`crate::TrustService::sign_pdf`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPdfInfo {
    /// Size of the signed output file.
    pub signed_bytes: u64,
    /// Size of the original input file (the output starts with exactly these bytes).
    pub original_bytes: u64,
    /// Name (`/T`) of the signature field that was added.
    pub field_name: String,
}
