//! `doctor`: one line per check, OK or FAIL with the reason (the checks are desk-core's).

use crate::{CliResult, Context, Failure, exit};
use desk_core::DeskError;
use desk_core::diagnostics::PdfiumStatus;

pub async fn run(context: &Context) -> CliResult {
    let diagnosis = context.desk.diagnose(&context.token, pdfium()).await;
    let text = diagnosis
        .checks
        .iter()
        .map(|c| {
            let status = if c.ok { "OK  " } else { "FAIL" };
            let code = c
                .code
                .as_ref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            format!("{status} {:<14} {}{code}", c.name, c.detail)
        })
        .collect::<Vec<_>>()
        .join("\n");
    context.out.outcome(
        &serde_json::json!({"ok": diagnosis.ok, "checks": diagnosis.checks}),
        &text,
    );
    if diagnosis.ok {
        Ok(())
    } else {
        Err(Failure {
            error: DeskError::new("doctor.failed", "some checks failed"),
            exit: exit::FAILED,
        })
    }
}

/// PDFium as this program finds it (desk-core does not load it).
pub fn pdfium() -> PdfiumStatus {
    pdf_engine::check_library(&pdf_engine::LibraryOptions::default())
        .map(|library| library.to_string())
        .map_err(super::pdf::desk_error)
}
