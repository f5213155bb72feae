//! `inspect`: everything worth knowing about a PDF file in one report, serialisable for
//! `--json` and printable for people. The CLI's `inspect` command is a few lines over this.

use crate::engine::{EngineConfig, PdfEngine};
use crate::error::PdfError;
use crate::info::{DocumentMetadata, PageSize};
use crate::library::LibraryInfo;
use crate::signatures::SignatureSummary;
use secrecy::SecretString;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// What `oneshot-desk-cli inspect FILE` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectReport {
    pub file: PathBuf,
    pub file_size: u64,
    pub page_count: u32,
    /// Runs of consecutive pages of the same size (a 1300-page manual is one line).
    pub page_sizes: Vec<PageSizeRun>,
    pub metadata: DocumentMetadata,
    pub signatures: Vec<SignatureSummary>,
    pub library: LibraryInfo,
}

/// Pages `first..=last` (1-based, as people count) share `size`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageSizeRun {
    pub first: u32,
    pub last: u32,
    pub size: PageSize,
}

impl PdfEngine {
    /// Opens `path`, gathers the report and closes the document again.
    pub async fn inspect(
        &self,
        path: &Path,
        password: Option<SecretString>,
    ) -> Result<InspectReport, PdfError> {
        let file_size = std::fs::metadata(path)
            .map_err(|source| PdfError::Io {
                action: "reading",
                path: path.into(),
                source,
            })?
            .len();
        let info = self.open_file(path, password).await?;
        let sizes = self.page_sizes(info.id).await;
        let signatures = self.signature_summaries(info.id, path).await;
        self.close(info.id)?;
        Ok(InspectReport {
            file: path.to_path_buf(),
            file_size,
            page_count: info.page_count,
            page_sizes: size_runs(&sizes?),
            metadata: info.metadata,
            signatures: signatures?,
            library: self.library().clone(),
        })
    }
}

/// [`PdfEngine::inspect`] with a default engine: the whole of the CLI's `inspect`.
pub async fn inspect(
    path: &Path,
    password: Option<SecretString>,
) -> Result<InspectReport, PdfError> {
    PdfEngine::start(EngineConfig::default())?
        .inspect(path, password)
        .await
}

fn size_runs(sizes: &[PageSize]) -> Vec<PageSizeRun> {
    let mut runs: Vec<PageSizeRun> = Vec::new();
    for (index, size) in sizes.iter().enumerate() {
        let number = index as u32 + 1;
        match runs.last_mut() {
            // Sizes within 1/100 point are the same paper.
            Some(run)
                if (run.size.width - size.width).abs() < 0.01
                    && (run.size.height - size.height).abs() < 0.01 =>
            {
                run.last = number;
            }
            _ => runs.push(PageSizeRun {
                first: number,
                last: number,
                size: *size,
            }),
        }
    }
    runs
}

/// The usual name of a paper size, when it is one (either orientation, within 1 mm).
pub fn paper_name(size: PageSize) -> Option<&'static str> {
    const PAPERS: &[(&str, f32, f32)] = &[
        ("A3", 841.89, 1190.55),
        ("A4", 595.28, 841.89),
        ("A5", 419.53, 595.28),
        ("Letter", 612.0, 792.0),
        ("Legal", 612.0, 1008.0),
    ];
    let (short, long) = if size.width <= size.height {
        (size.width, size.height)
    } else {
        (size.height, size.width)
    };
    PAPERS
        .iter()
        .find(|(_, w, h)| (short - w).abs() < 3.0 && (long - h).abs() < 3.0)
        .map(|(name, _, _)| *name)
}

impl fmt::Display for InspectReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "File:       {}", self.file.display())?;
        writeln!(f, "Size:       {} bytes", self.file_size)?;
        writeln!(f, "Pages:      {}", self.page_count)?;
        for run in &self.page_sizes {
            let pages = if run.first == run.last {
                format!("page {}", run.first)
            } else {
                format!("pages {}-{}", run.first, run.last)
            };
            let paper = paper_name(run.size)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            writeln!(
                f,
                "            {pages}: {:.1} x {:.1} pt{paper}",
                run.size.width, run.size.height
            )?;
        }
        let m = &self.metadata;
        let fields = [
            ("Title", &m.title),
            ("Author", &m.author),
            ("Subject", &m.subject),
            ("Keywords", &m.keywords),
            ("Creator", &m.creator),
            ("Producer", &m.producer),
        ];
        for (label, value) in fields {
            if let Some(value) = value {
                writeln!(f, "{:<12}{value}", format!("{label}:"))?;
            }
        }
        let dates = [
            ("Created", &m.creation_time, &m.creation_date),
            ("Modified", &m.modification_time, &m.modification_date),
        ];
        for (label, parsed, raw) in dates {
            match (parsed, raw) {
                (Some(time), _) => writeln!(f, "{:<12}{time}", format!("{label}:"))?,
                (None, Some(raw)) => writeln!(f, "{:<12}{raw}", format!("{label}:"))?,
                (None, None) => {}
            }
        }
        if let Some(version) = &m.pdf_version {
            writeln!(f, "PDF version: {version}")?;
        }
        writeln!(f, "Encrypted:  {}", if m.encrypted { "yes" } else { "no" })?;
        if self.signatures.is_empty() {
            writeln!(f, "Signatures: none")?;
        } else {
            writeln!(f, "Signatures: {}", self.signatures.len())?;
            for signature in &self.signatures {
                write!(f, "{signature}")?;
            }
        }
        write!(f, "Engine:     {}", self.library)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_equal_sizes_collapse_into_runs() {
        let a4 = PageSize {
            width: 595.28,
            height: 841.89,
        };
        let landscape = PageSize {
            width: 841.89,
            height: 595.28,
        };
        let runs = size_runs(&[a4, a4, landscape, a4]);
        assert_eq!(
            runs.iter().map(|r| (r.first, r.last)).collect::<Vec<_>>(),
            vec![(1, 2), (3, 3), (4, 4)]
        );
        assert_eq!(paper_name(a4), Some("A4"));
        assert_eq!(paper_name(landscape), Some("A4"));
        assert_eq!(
            paper_name(PageSize {
                width: 100.0,
                height: 100.0
            }),
            None
        );
    }
}
