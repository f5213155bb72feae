//! `inspect FILE [--trust CA]`.

use super::pdf::{desk_error, password, readable_file};
use crate::cli::InspectArgs;
use crate::{CliResult, Context};
use desk_core::DeskError;
use serde::Serialize;

/// The whole report: the document as PDFium reads it (pages, metadata) and the desk's checks
/// (signable, SHA-256, signatures verified, chains against `--trust`).
#[derive(Serialize)]
struct Report<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a pdf_engine::InspectReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_error: Option<&'a DeskError>,
    #[serde(flatten)]
    desk: &'a desk_core::inspect::PdfReport,
}

pub async fn run(context: &Context, args: InspectArgs) -> CliResult {
    readable_file(&args.file)?;
    let mut roots = Vec::new();
    for path in &args.trust {
        roots.push(std::fs::read(path).map_err(|e| {
            DeskError::new(
                "input.unreadable",
                format!("Cannot read {}", path.display()),
            )
            .with_detail(e.to_string())
        })?);
    }
    let password = password(args.password_stdin)?;
    // Pages and metadata need PDFium; without it (or for a broken file) the signature checks
    // below still run, and the reason is reported.
    let document = pdf_engine::inspect(&args.file, password)
        .await
        .map_err(desk_error);
    let report = desk_core::inspect::inspect_pdf(&args.file, roots).await?;
    let mut text = vec![format!("file: {}", report.path.display())];
    match &document {
        Ok(document) => text.extend(describe(document)),
        Err(error) => text.push(format!(
            "pages: unreadable ({}: {})",
            error.code, error.message
        )),
    }
    text.extend([
        format!("size: {} bytes", report.size),
        format!("sha256: {}", report.sha256),
        match &report.not_signable {
            None => "can be sent for signing: yes".to_string(),
            Some(error) => format!("can be sent for signing: no ({})", error.code),
        },
    ]);
    if let Some(error) = &report.signature_error {
        text.push(format!(
            "signatures: unreadable ({}: {})",
            error.code, error.message
        ));
    }
    text.push(format!("signatures: {}", report.signatures.len()));
    for (i, signature) in report.signatures.iter().enumerate() {
        let signer = signature
            .signer
            .as_ref()
            .map(|c| c.display_name.clone())
            .unwrap_or_else(|| "unknown signer".into());
        let time = signature
            .timestamp
            .as_ref()
            .map(|t| t.gen_time)
            .or(signature.claimed_signing_time)
            .map(|t| t.to_string())
            .unwrap_or_else(|| "no time".into());
        let trust = match report.trusted.get(i) {
            Some(true) => ", trusted",
            Some(false) => ", NOT trusted",
            None => "",
        };
        text.push(format!(
            "  #{}: {signer}, {time}, {}, {}{}{trust}",
            i + 1,
            signature.integrity.code(),
            if signature.covers_whole_file {
                "covers the whole file"
            } else {
                "does not cover the whole file"
            },
            signature
                .pades_level
                .map(|l| format!(", PAdES {}", l.name()))
                .unwrap_or_default(),
        ));
    }
    let full = Report {
        document: document.as_ref().ok(),
        document_error: document.as_ref().err(),
        desk: &report,
    };
    context.out.outcome(&full, &text.join("\n"));
    Ok(())
}

/// Pages (runs of equal sizes) and metadata, one line each.
fn describe(document: &pdf_engine::InspectReport) -> Vec<String> {
    let mut lines = vec![format!("pages: {}", document.page_count)];
    for run in &document.page_sizes {
        let pages = if run.first == run.last {
            format!("page {}", run.first)
        } else {
            format!("pages {}-{}", run.first, run.last)
        };
        let paper = pdf_engine::paper_name(run.size)
            .map(|name| format!(" ({name})"))
            .unwrap_or_default();
        lines.push(format!(
            "  {pages}: {:.0} x {:.0} pt{paper}",
            run.size.width, run.size.height
        ));
    }
    let metadata = &document.metadata;
    for (name, value) in [
        ("title", &metadata.title),
        ("author", &metadata.author),
        ("producer", &metadata.producer),
        ("creator", &metadata.creator),
        ("pdf version", &metadata.pdf_version),
    ] {
        if let Some(value) = value.as_ref().filter(|v| !v.trim().is_empty()) {
            lines.push(format!("{name}: {value}"));
        }
    }
    if let Some(created) = metadata.creation_time {
        lines.push(format!("created: {created}"));
    }
    lines.push(format!(
        "encrypted: {}",
        if metadata.encrypted { "yes" } else { "no" }
    ));
    lines
}
