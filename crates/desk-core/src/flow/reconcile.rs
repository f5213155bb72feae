//! Resuming: every journal intent without an outcome is a call that may or may not have
//! happened. Each is settled by reading the Optimizer's state back, never by repeating it:
//!
//! | step | how it is settled |
//! |---|---|
//! | `create` | cannot be read back (the API has no request search): needs the user, who may ask for `recreate` |
//! | `upload` | the request's document list, matched by file name and size |
//! | `otp` | assumed sent (the customer may have the code; another can follow after the minute) |
//! | `sign` | the request's status: `ISSUED` means signed, `ENROLLREADY` means not signed (in asynchronous mode: still signing, waited for) |
//! | `evidences` | the status: still `VIDEOPENDING` means they did not arrive (sent again); another status means they did. Corrections sent from `VIDEOINCOMPLETE`/`VIDEOERROR` leave no trace in the status, so they are sent again: an upload of evidences replaces the previous ones |
//! | `video` | the status: `VIDEOREVIEW` means it arrived; otherwise it is sent again (an upload replaces the previous recording) |
//! | `approve` | the status: `ENROLLREADY` (or later) means approved, `VIDEOREVIEW` not approved (the RAO decides again), `CANCELLED` cancelled |
//! | `refuse` | the status: `CANCELLED` means refused, otherwise not (the RAO decides again) |
//! | reads and deletes | done again (harmless) |

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::NoticeLevel;
use crate::flow::model::{AttentionKind, FlowState};
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::flow::steps::upload::mark_uploaded;
use crate::journal::StepRecord;
use oneshot_client::RequestStatus;

pub(crate) async fn reconcile(run: &mut FlowRun, recreate: bool) -> DeskResult<()> {
    let journal = run.desk.journal.clone();
    let id = run.id();
    let pending: Vec<StepRecord> = blocking(move || journal.pending_steps(id)).await?;
    run.clear_error();
    for step in pending {
        match step.step.as_str() {
            "create" => settle_create(run, &step, recreate).await?,
            "upload" => settle_upload(run, &step).await?,
            "otp" => {
                run.close_step(step.id, Err("otp.outcome_unknown")).await?;
                if run.details.otp.sent_at.is_none() {
                    run.details.otp.sent_at = Some(step.started_at);
                    run.details.otp.sends += 1;
                }
                if run.state == FlowState::Reviewed {
                    run.state = FlowState::OtpSent;
                }
                run.save().await?;
            }
            "sign" => settle_sign(run, &step).await?,
            "evidences" | "video" | "approve" | "refuse" => {
                super::videoid::settle::settle(run, &step).await?
            }
            _ => {
                // Reads and deletes are simply made again by the steps that follow.
                run.close_step(step.id, Err("flow.interrupted")).await?;
            }
        }
    }
    if run.state == FlowState::Draft && recreate {
        run.notice(
            NoticeLevel::Warning,
            "flow.recreate",
            "Creating the request again at the user's request".into(),
        );
    }
    if run.state == FlowState::Draft
        && !recreate
        && run
            .details
            .attention
            .as_ref()
            .is_some_and(|a| a.kind == AttentionKind::CreateOutcomeUnknown)
    {
        return Err(create_unknown(run).await);
    }
    Ok(())
}

async fn settle_create(run: &mut FlowRun, step: &StepRecord, recreate: bool) -> DeskResult<()> {
    if run.record.request_pk.is_some() {
        return run.close_step(step.id, Ok(())).await;
    }
    if !recreate {
        return Err(create_unknown(run).await);
    }
    run.close_step(step.id, Err("flow.recreated")).await
}

async fn create_unknown(run: &mut FlowRun) -> DeskError {
    let error = DeskError::new(
        "flow.create_unknown",
        "The answer to the create call was lost; the desk cannot tell whether the request \
         exists. Create it again (resume with recreate) or cancel.",
    );
    run.needs_attention(
        AttentionKind::CreateOutcomeUnknown,
        "create",
        error,
        "The answer to the create call was lost, so the desk cannot know whether the request \
         exists on the Optimizer (the API cannot look it up). Ask the Optimizer's operator if \
         unsure, then create it again or cancel.",
    )
    .await
}

async fn settle_upload(run: &mut FlowRun, step: &StepRecord) -> DeskResult<()> {
    let client = run.client()?;
    let pk = run.pk()?;
    let call = run.describe(Call::ListDocuments(pk.0));
    let listed = match run
        .call(
            "list_documents",
            call,
            CallKind::Idempotent,
            client.list_documents(pk),
        )
        .await
    {
        Ok(listed) => listed,
        Err(failure) => return Err(run.call_failed("upload", failure).await),
    };
    let claimed: Vec<String> = run
        .details
        .documents
        .iter()
        .filter_map(|d| d.remote_uid.clone())
        .collect();
    let mut found = 0;
    for index in 0..run.details.documents.len() {
        if run.details.documents[index].remote_uid.is_some() {
            continue;
        }
        let (name, size) = {
            let d = &run.details.documents[index];
            (d.name.clone(), d.size)
        };
        let matched = listed.iter().find(|remote| {
            !claimed.contains(&remote.uid.0)
                && remote.file_name.as_deref() == Some(name.as_str())
                && remote.size.is_none_or(|s| s == size)
                && !run
                    .details
                    .documents
                    .iter()
                    .any(|d| d.remote_uid.as_deref() == Some(remote.uid.as_str()))
        });
        if let Some(remote) = matched {
            mark_uploaded(run, index, remote.uid.0.clone()).await?;
            found += 1;
        }
    }
    run.notice(
        NoticeLevel::Info,
        "flow.reconciled",
        format!("Upload settled from the Optimizer's list: {found} document(s) had arrived"),
    );
    run.close_step(
        step.id,
        if found > 0 {
            Ok(())
        } else {
            Err("upload.not_performed")
        },
    )
    .await?;
    run.save().await
}

async fn settle_sign(run: &mut FlowRun, step: &StepRecord) -> DeskResult<()> {
    let client = run.client()?;
    let pk = run.pk()?;
    let call = run.describe(Call::GetRequest(pk.0));
    let record = match run
        .call(
            "get_request",
            call,
            CallKind::Idempotent,
            client.get_request(pk),
        )
        .await
    {
        Ok(record) => record,
        Err(failure) => return Err(run.call_failed("sign", failure).await),
    };
    match record.status {
        RequestStatus::Issued => {
            run.close_step(step.id, Ok(())).await?;
            run.notice(
                NoticeLevel::Info,
                "flow.reconciled",
                "The request is ISSUED: the lost signing call had been performed".into(),
            );
            if !run.state.is_signed() {
                crate::flow::steps::otp_sign::mark_signed(run).await?;
            }
            Ok(())
        }
        RequestStatus::EnrollReady if run.details.asynchronous => {
            // Asynchronous: the signing may have been accepted and still run.
            run.close_step(step.id, Err("sign.outcome_unknown")).await?;
            run.notice(
                NoticeLevel::Info,
                "flow.reconciled",
                "The request is not signed yet: waiting for an asynchronous signing that may be \
                 running"
                    .into(),
            );
            run.details.signing_queued_at = Some(step.started_at);
            run.save().await
        }
        RequestStatus::EnrollReady => {
            run.close_step(step.id, Err("sign.not_performed")).await?;
            run.notice(
                NoticeLevel::Info,
                "flow.reconciled",
                "The request is not signed: the lost signing call had not been performed".into(),
            );
            run.save().await
        }
        other => {
            let error = DeskError::new(
                "request.unexpected_status",
                format!(
                    "The request is in status {} on the Optimizer",
                    other.as_str()
                ),
            );
            Err(run
                .needs_attention(
                    AttentionKind::StepFailed,
                    "sign",
                    error,
                    "The request is in a state the desk does not expect; check it with the \
                     Optimizer's operator.",
                )
                .await)
        }
    }
}
