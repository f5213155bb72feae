//! The signatures section of [`crate::InspectReport`]: who signed, when, why, and whether the
//! signed byte range covers the whole file (a signature that does not was followed by later
//! changes). The pure-Rust `pdf-signature` crate reads them (byte range, CMS, signer
//! certificate, integrity); when it cannot examine a file at all, PDFium's signature objects
//! still give reason and time.

use crate::document_id::DocumentId;
use crate::engine::PdfEngine;
use crate::error::PdfError;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// One signature (or document timestamp) of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureSummary {
    /// Position among the document's signatures (0-based, revision order).
    pub index: u32,
    /// `signature` or `document_timestamp`; `None` when only PDFium read it.
    pub kind: Option<String>,
    /// The signature field's name (`/T`).
    pub field_name: Option<String>,
    /// The signer's name from the signing certificate (CN, else given name + surname, else
    /// organisation).
    pub signer: Option<String>,
    /// The signing time: the signature timestamp's time when there is one (proven by a TSA),
    /// else the time the signer claims (`/M` or the signing-time attribute).
    pub signing_time: Option<jiff::Timestamp>,
    /// Whether `signing_time` comes from a timestamp authority.
    pub time_from_timestamp: bool,
    pub reason: Option<String>,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: Option<String>,
    /// `/ByteRange`: offset and length of each signed part.
    pub byte_range: Option<[u64; 4]>,
    /// Whether the signed range ends at the end of the file (nothing appended after signing).
    pub covers_whole_file: Option<bool>,
    /// The integrity verdict's code (`integrity.intact`, `integrity.digest_mismatch`, ...):
    /// whether the signed bytes and the CMS signature check out. Not a trust decision.
    pub integrity: Option<String>,
    /// `B-B` or `B-T` when the CMS is a PAdES signature.
    pub pades_level: Option<String>,
    pub warnings: Vec<String>,
    /// Which reader produced the entry.
    pub source: SignatureSource,
}

/// The reader behind a [`SignatureSummary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureSource {
    /// The `pdf-signature` crate: byte ranges, CMS and certificates.
    PdfSignature,
    /// PDFium's signature objects (reason and time only), used when `pdf-signature` cannot
    /// examine the file.
    Pdfium,
}

impl SignatureSummary {
    fn from_pdf_signature(index: usize, s: pdf_signature::PdfSignature) -> Self {
        let (signing_time, time_from_timestamp) = match &s.timestamp {
            Some(ts) if ts.integrity.is_intact() && ts.imprint_ok => (Some(ts.gen_time), true),
            _ => (s.claimed_signing_time, false),
        };
        Self {
            index: index as u32,
            kind: Some(
                match s.kind {
                    pdf_signature::SignatureKind::Signature => "signature",
                    pdf_signature::SignatureKind::DocumentTimestamp => "document_timestamp",
                }
                .to_string(),
            ),
            field_name: s.field_name,
            signer: s.signer.map(|c| c.display_name).or(s.name),
            signing_time,
            time_from_timestamp,
            reason: s.reason,
            sub_filter: s.sub_filter,
            byte_range: Some(s.byte_range),
            covers_whole_file: Some(s.covers_whole_file),
            integrity: Some(s.integrity.code().to_string()),
            pades_level: s.pades_level.map(|l| l.name().to_string()),
            warnings: s.warnings,
            source: SignatureSource::PdfSignature,
        }
    }

    fn from_pdfium(s: crate::info::PdfiumSignature) -> Self {
        Self {
            index: s.index,
            kind: None,
            field_name: None,
            signer: None,
            signing_time: s.signing_time,
            time_from_timestamp: false,
            reason: s.reason,
            sub_filter: None,
            byte_range: None,
            covers_whole_file: None,
            integrity: None,
            pades_level: None,
            warnings: Vec::new(),
            source: SignatureSource::Pdfium,
        }
    }
}

/// Reads the signatures of the file at `path` with `pdf-signature`, off the caller's thread
/// (it streams the whole file, which for a large PDF takes a while).
pub(crate) async fn read_signatures(path: &Path) -> Result<Vec<SignatureSummary>, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let path: PathBuf = path.to_path_buf();
    std::thread::Builder::new()
        .name("pdf-signature".into())
        .spawn(move || {
            let result = pdf_signature::read_signatures(&path)
                .map(|list| {
                    list.into_iter()
                        .enumerate()
                        .map(|(i, s)| SignatureSummary::from_pdf_signature(i, s))
                        .collect()
                })
                .map_err(|e| format!("{}: {e}", e.code()));
            let _ = tx.send(result);
        })
        .map_err(|e| format!("cannot start the signature reader: {e}"))?;
    rx.await
        .map_err(|_| "the signature reader stopped".to_string())?
}

impl PdfEngine {
    /// The signatures of the open document `id`, which was opened from `path`.
    pub(crate) async fn signature_summaries(
        &self,
        id: DocumentId,
        path: &Path,
    ) -> Result<Vec<SignatureSummary>, PdfError> {
        match read_signatures(path).await {
            Ok(summaries) => Ok(summaries),
            Err(reason) => {
                tracing::warn!(%reason, "pdf-signature cannot read the signatures; using PDFium's");
                let signatures = self.pdfium_signatures(id).await?;
                Ok(signatures
                    .into_iter()
                    .map(SignatureSummary::from_pdfium)
                    .collect())
            }
        }
    }
}

impl fmt::Display for SignatureSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown = "unknown";
        let kind = match self.kind.as_deref() {
            Some("document_timestamp") => " (document timestamp)",
            _ => "",
        };
        let field = self
            .field_name
            .as_deref()
            .map(|n| format!(" field {n}"))
            .unwrap_or_default();
        writeln!(f, "  #{}{field}{kind}", self.index + 1)?;
        writeln!(
            f,
            "    Signer:    {}",
            self.signer.as_deref().unwrap_or(unknown)
        )?;
        match &self.signing_time {
            Some(time) if self.time_from_timestamp => {
                writeln!(f, "    Signed:    {time} (timestamp)")?
            }
            Some(time) => writeln!(f, "    Signed:    {time} (as claimed by the signer)")?,
            None => writeln!(f, "    Signed:    {unknown}")?,
        }
        if let Some(reason) = &self.reason {
            writeln!(f, "    Reason:    {reason}")?;
        }
        if let Some(sub_filter) = &self.sub_filter {
            let level = self
                .pades_level
                .as_deref()
                .map(|l| format!(", PAdES {l}"))
                .unwrap_or_default();
            writeln!(f, "    Format:    {sub_filter}{level}")?;
        }
        let coverage = match self.covers_whole_file {
            Some(true) => "the whole file",
            Some(false) => "NOT the whole file (changed after signing)",
            None => unknown,
        };
        writeln!(f, "    Covers:    {coverage}")?;
        if let Some(integrity) = &self.integrity {
            writeln!(f, "    Integrity: {integrity}")?;
        }
        for warning in &self.warnings {
            writeln!(f, "    Warning:   {warning}")?;
        }
        if self.source == SignatureSource::Pdfium {
            writeln!(f, "    (read by PDFium only: signer and coverage unknown)")?;
        }
        Ok(())
    }
}
