//! Fast, safe PDF rendering, text and signature inspection over PDFium.
//!
//! One thread per process owns PDFium ([`PdfEngine`] handles send it commands); pages come back
//! as encoded images ([`ImageFormat`]) from a byte-bounded cache, the next pages are rendered
//! ahead, and every kind of bad input ends in a typed [`PdfError`] with a stable code. See the
//! crate README for the library lookup order, the formats chosen and the measured figures.

mod cache;
mod document_id;
mod encode;
mod engine;
mod error;
mod info;
mod inspect;
pub mod library;
mod pdfium_ops;
mod render_file;
mod render_spec;
mod signatures;
mod stored_jpeg;
mod worker;

pub use document_id::{DocumentId, InvalidDocumentId};
pub use encode::JPEG_QUALITY;
pub use engine::{CacheStats, EngineConfig, PdfEngine};
pub use error::{PdfError, Result, SearchedLocation};
pub use info::{
    DocumentInfo, DocumentMetadata, PageRect, PageSize, PdfiumSignature, SearchHit, SearchOptions,
    SearchResults, parse_pdf_date,
};
pub use inspect::{InspectReport, PageSizeRun, inspect, paper_name};
pub use library::{LibraryInfo, LibraryOptions, PdfiumVersion};
pub use render_file::{RenderToFile, render_to_file};
pub use render_spec::{
    CancelToken, ImageFormat, POINTS_PER_INCH, Priority, Region, RenderRequest, RenderedImage,
    Rotation, scale_for_dpi,
};
pub use secrecy::SecretString;
pub use signatures::{SignatureSource, SignatureSummary};

/// Finds and binds PDFium as an engine would, for `doctor` and "About": the library in use, or
/// [`PdfError::LibraryMissing`] listing every place looked at.
pub fn check_library(options: &LibraryOptions) -> Result<LibraryInfo> {
    worker::client(options).map(|client| client.library)
}

/// The pdfium-render crate this engine is built on (for [`PdfEngine::with_pdfium`]).
pub use pdfium_render;
