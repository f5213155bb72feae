//! The signatures section of [`crate::InspectReport`]: who signed, when, why, and whether the
//! signed byte range covers the whole file (a signature that does not was followed by later
//! changes).

use crate::document_id::DocumentId;
use crate::engine::PdfEngine;
use crate::error::PdfError;
use serde::Serialize;
use std::fmt;
use std::path::Path;

/// One signature of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureSummary {
    /// Position among the document's signatures (0-based, file order).
    pub index: u32,
    /// The signer's name from the signing certificate (common name, else organisation).
    pub signer: Option<String>,
    /// The signing time: the signed attribute or the dictionary's `/M`.
    pub signing_time: Option<jiff::Timestamp>,
    pub reason: Option<String>,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: Option<String>,
    /// `/ByteRange` as written: offset and length of each signed part.
    pub byte_range: Option<Vec<u64>>,
    /// Whether the signed range ends at the end of the file.
    pub covers_whole_file: Option<bool>,
    /// Which reader produced the entry.
    pub source: SignatureSource,
}

/// The reader behind a [`SignatureSummary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureSource {
    /// PDFium's signature objects (no certificate parsing).
    Pdfium,
}

impl PdfEngine {
    /// The signatures of an open document opened from `path`.
    pub(crate) async fn signature_summaries(
        &self,
        id: DocumentId,
        _path: &Path,
    ) -> Result<Vec<SignatureSummary>, PdfError> {
        let signatures = self.pdfium_signatures(id).await?;
        Ok(signatures
            .into_iter()
            .map(|s| SignatureSummary {
                index: s.index,
                signer: None,
                signing_time: s.signing_time,
                reason: s.reason,
                sub_filter: None,
                byte_range: None,
                covers_whole_file: None,
                source: SignatureSource::Pdfium,
            })
            .collect())
    }
}

impl fmt::Display for SignatureSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown = "unknown";
        writeln!(f, "  #{}", self.index + 1)?;
        writeln!(
            f,
            "    Signer:   {}",
            self.signer.as_deref().unwrap_or(unknown)
        )?;
        match &self.signing_time {
            Some(time) => writeln!(f, "    Signed:   {time}")?,
            None => writeln!(f, "    Signed:   {unknown}")?,
        }
        if let Some(reason) = &self.reason {
            writeln!(f, "    Reason:   {reason}")?;
        }
        if let Some(sub_filter) = &self.sub_filter {
            writeln!(f, "    Format:   {sub_filter}")?;
        }
        let coverage = match self.covers_whole_file {
            Some(true) => "the whole file",
            Some(false) => "NOT the whole file (changed after signing)",
            None => unknown,
        };
        writeln!(f, "    Covers:   {coverage}")
    }
}
