//! `status [ID]` and `cancel ID`.

use crate::cli::{CancelArgs, StatusArgs};
use crate::{CliResult, Context};
use desk_core::flow::{FlowId, FlowSnapshot};

pub async fn status(context: &Context, args: StatusArgs) -> CliResult {
    if let Some(id) = args.id {
        let mut snapshot = context.desk.flow(FlowId(id)).await?;
        if snapshot.state.is_identification() {
            // The identification's status lives on the Optimizer: read it, or say it is old.
            match context.desk.refresh_flow(snapshot.id).await {
                Ok(live) => snapshot = live,
                Err(error) => context.out.info(&format!(
                    "(the Optimizer could not be asked: {}; showing the status last seen)",
                    error.code
                )),
            }
        }
        context.out.outcome(&snapshot, &describe(&snapshot));
        return Ok(());
    }
    let unfinished = context.desk.unfinished_flows().await?;
    let recent = context.desk.recent_flows(20).await?;
    let mut text = Vec::new();
    if unfinished.is_empty() {
        text.push("No unfinished flows.".to_string());
    } else {
        text.push("Unfinished flows:".to_string());
        text.extend(unfinished.iter().map(summary));
    }
    let finished: Vec<&FlowSnapshot> = recent.iter().filter(|f| f.finished).collect();
    if !finished.is_empty() {
        text.push("Recent finished flows:".to_string());
        text.extend(finished.iter().map(|f| summary(f)));
    }
    context.out.outcome(
        &serde_json::json!({"unfinished": unfinished, "recent": recent}),
        &text.join("\n"),
    );
    Ok(())
}

pub async fn cancel(context: &Context, args: CancelArgs) -> CliResult {
    let snapshot = context.desk.cancel(FlowId(args.id)).await?;
    context
        .out
        .outcome(&snapshot, &format!("flow {} cancelled", snapshot.id));
    Ok(())
}

pub fn summary(flow: &FlowSnapshot) -> String {
    format!(
        "  {:>4}  {:<16} {:<16} request {:<8} {}  (next: {})",
        flow.id,
        flow.kind.as_str(),
        flow.state.as_str(),
        flow.request_pk
            .map(|pk| pk.to_string())
            .unwrap_or_else(|| "-".into()),
        flow.customer_display_name,
        serde_json::to_value(flow.next_action)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    )
}

/// Where a flow stands, in full: for `status ID` and after a failure.
pub fn describe(flow: &FlowSnapshot) -> String {
    let mut lines = vec![
        format!("flow {}: {}", flow.id, flow.state.as_str()),
        format!("  customer: {}", flow.customer_display_name),
        format!(
            "  request: {} on {}",
            flow.request_pk
                .map(|pk| pk.to_string())
                .unwrap_or_else(|| "not created".into()),
            flow.optimizer_url
        ),
    ];
    if let Some(video) = &flow.videoid {
        lines.push(format!("  identification: {}", flow.kind.as_str()));
        if let Some(status) = &video.remote_status {
            let when = video
                .remote_status_at
                .map(|t| format!(" (seen {})", t.strftime("%Y-%m-%d %H:%M:%S UTC")))
                .unwrap_or_default();
            lines.push(format!("  status on the Optimizer: {status}{when}"));
        }
        if let Some(link) = &video.link {
            lines.push(format!("  link for the customer: {link}"));
        }
        if flow.kind == desk_core::journal::FlowKind::VideoidExternal {
            lines.push(format!("  evidences: {}", step_words(video.evidences)));
            if let Some(recording) = &video.video {
                lines.push(format!(
                    "  recording: {} ({} bytes, {}), {}",
                    recording.path.display(),
                    recording.size,
                    recording.media_type,
                    step_words(recording.upload)
                ));
            }
        }
        if let Some(reason) = &video.refusal_reason {
            lines.push(format!("  refused: {reason}"));
        }
    }
    for document in &flow.documents {
        let saved = document
            .saved_path
            .as_ref()
            .map(|p| format!(", saved {}", p.display()))
            .unwrap_or_default();
        let verified = match &document.signature {
            Some(s) if s.passed() => ", verified",
            Some(_) => ", verification FAILED",
            None => "",
        };
        lines.push(format!(
            "  document {}: upload {:?}, sign {:?}{saved}{verified}",
            document.name, document.upload, document.sign
        ));
    }
    if let Some(path) = &flow.contract.saved_path {
        lines.push(format!("  contract: saved {}", path.display()));
    }
    let safe = flow.saved_files();
    if !safe.is_empty() {
        lines.push(format!("  safe on this computer: {} file(s)", safe.len()));
    }
    if let Some(attention) = &flow.attention {
        lines.push(format!("  needs attention: {}", attention.explanation));
    } else if let Some(error) = &flow.last_error {
        lines.push(format!("  last error: {}: {}", error.code, error.message));
    }
    if !flow.finished {
        use desk_core::flow::NextAction;
        let id = flow.id;
        lines.push(match flow.next_action {
            NextAction::ReviewIdentification => format!(
                "  continue with: oneshot-desk-cli approve {id}   or   oneshot-desk-cli refuse \
                 {id} --reason TEXT"
            ),
            NextAction::UploadEvidences => format!(
                "  continue with: oneshot-desk-cli evidences {id} --evidences FILE [--video FILE]"
            ),
            NextAction::ChooseDocuments => {
                format!("  continue with: oneshot-desk-cli approve {id} --document FILE")
            }
            NextAction::ConfirmRecreate => format!(
                "  continue with: oneshot-desk-cli resume {id} --recreate   (only after checking \
                 that no request was created)"
            ),
            _ => format!("  continue with: oneshot-desk-cli resume {id}"),
        });
    }
    lines.join("\n")
}

/// A step of an external identification's uploads, in words.
fn step_words(step: desk_core::flow::StepStatus) -> &'static str {
    match step {
        desk_core::flow::StepStatus::Pending => "not uploaded yet",
        desk_core::flow::StepStatus::Done => "uploaded",
        desk_core::flow::StepStatus::Failed => "upload failed (see the last error)",
    }
}
