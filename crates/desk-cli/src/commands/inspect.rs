//! `inspect FILE [--trust CA]`.

use crate::cli::InspectArgs;
use crate::{CliResult, Context};
use desk_core::DeskError;

pub async fn run(context: &Context, args: InspectArgs) -> CliResult {
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
    let report = desk_core::inspect::inspect_pdf(&args.file, roots).await?;
    let mut text = vec![
        format!("file: {}", report.path.display()),
        format!("size: {} bytes", report.size),
        format!("sha256: {}", report.sha256),
        match &report.not_signable {
            None => "can be sent for signing: yes".to_string(),
            Some(error) => format!("can be sent for signing: no ({})", error.code),
        },
    ];
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
    context.out.outcome(&report, &text.join("\n"));
    Ok(())
}
