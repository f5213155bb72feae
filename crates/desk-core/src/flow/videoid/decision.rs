//! The RAO's decision on an identification: approve (the request becomes `ENROLLREADY` and the
//! documents follow) or refuse with a reason (the request is `CANCELLED`). Both calls change the
//! request and are never repeated blindly: a lost answer is settled by reading the status back.

use super::status;
use crate::error::{DeskError, DeskResult};
use crate::events::NoticeLevel;
use crate::flow::classic::create::CUSTOMER_FILE;
use crate::flow::input::{RaoApproval, RaoAuthInput, TokenChoice};
use crate::flow::model::{FlowState, StatusSource};
use crate::flow::ops::wrong_state;
use crate::flow::routes::Call;
use crate::flow::run::{CallFailure, CallKind, FlowRun};
use jiff::Timestamp;
use oneshot_client::{ErrorCode, RaoAuth, RaoDecision};

pub(crate) async fn approve(run: &mut FlowRun, approval: RaoApproval) -> DeskResult<()> {
    if run.state != FlowState::VideoReview {
        return Err(wrong_state(run, "approve the identification"));
    }
    let decision = decision(run, approval, None).await?;
    let client = run.client()?;
    let ids = run.video_ref()?;
    run.set_activity(Some("approving"));
    let call = run.describe(Call::Approve(ids.videoid_pk.0, ids.request_pk.0));
    match run
        .call(
            "approve",
            call,
            CallKind::NonIdempotent,
            client.approve_videoid(&ids, &decision),
        )
        .await
    {
        Ok(()) => approved(run, StatusSource::Answer).await,
        Err(CallFailure::Failed(error)) => Err(refused_call(run, error).await),
        Err(failure) => Err(run.call_failed("approve", failure).await),
    }
}

/// Records the approval: the flow goes on with the documents.
pub(crate) async fn approved(run: &mut FlowRun, source: StatusSource) -> DeskResult<()> {
    let video = run.details.videoid.get_or_insert_default();
    video.approved_at = Some(Timestamp::now());
    video.remote_status = Some("ENROLLREADY".into());
    video.remote_status_at = video.approved_at;
    video.remote_status_source = Some(source);
    video.link = None;
    // The contact data was kept for the evidences; the identification is over.
    let _ = tokio::fs::remove_file(run.working_dir().join(CUSTOMER_FILE)).await;
    run.clear_error();
    run.enter(FlowState::Approved).await
}

pub(crate) async fn refuse(
    run: &mut FlowRun,
    approval: RaoApproval,
    reason: String,
) -> DeskResult<()> {
    if !run.state.is_identification() {
        return Err(wrong_state(run, "refuse the identification"));
    }
    let reason = reason.trim().to_string();
    if reason.is_empty() {
        return Err(DeskError::new(
            "videoid.reason_missing",
            "Say why the identification is refused",
        ));
    }
    if reason.chars().any(char::is_control) || reason.chars().count() > 500 {
        return Err(DeskError::new(
            "videoid.reason_invalid",
            "The reason must be one line of at most 500 characters",
        ));
    }
    let decision = decision(run, approval, Some(reason.clone())).await?;
    let client = run.client()?;
    let ids = run.video_ref()?;
    // Kept before the call: a lost answer is settled later with the reason known.
    run.details.videoid.get_or_insert_default().refusal_reason = Some(reason);
    run.save().await?;
    run.set_activity(Some("refusing"));
    let call = run.describe(Call::Refuse(ids.videoid_pk.0, ids.request_pk.0));
    match run
        .call(
            "refuse",
            call,
            CallKind::NonIdempotent,
            client.refuse_videoid(&ids, &decision),
        )
        .await
    {
        Ok(()) => refused(run, StatusSource::Answer).await,
        Err(CallFailure::Failed(error)) => {
            run.details.videoid.get_or_insert_default().refusal_reason = None;
            Err(refused_call(run, error).await)
        }
        Err(failure) => Err(run.call_failed("refuse", failure).await),
    }
}

/// Records the refusal: the flow ends.
pub(crate) async fn refused(run: &mut FlowRun, source: StatusSource) -> DeskResult<()> {
    let video = run.details.videoid.get_or_insert_default();
    video.remote_status = Some("CANCELLED".into());
    video.remote_status_at = Some(Timestamp::now());
    video.remote_status_source = Some(source);
    video.link = None;
    run.clear_error();
    status::end(run, FlowState::Refused).await
}

/// The Optimizer refused the call: wrong credentials are the employee's to fix (the flow stays
/// where it is); a request no longer in the status the call needs is read back.
async fn refused_call(run: &mut FlowRun, error: oneshot_client::Error) -> DeskError {
    let stale = error.http_status() == Some(412) || error.code() == ErrorCode::RequestNotFound;
    let error: DeskError = error.into();
    if stale {
        run.notice(
            NoticeLevel::Warning,
            error.code.as_str(),
            "The request is no longer where the desk thought; reading it back".into(),
        );
        if let Err(read) = status::refresh(run, StatusSource::Polling).await {
            tracing::warn!(flow = %run.id(), code = %read.code, "status read after a refused call failed");
        }
    }
    run.plain_error(error).await
}

/// The RAO's credentials and id for the call.
async fn decision(
    run: &FlowRun,
    approval: RaoApproval,
    reason: Option<String>,
) -> DeskResult<RaoDecision> {
    let rao_id = approval
        .rao_id
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
        .or_else(|| {
            run.desk
                .read_settings()
                .values()
                .rao
                .id
                .as_ref()
                .map(|id| id.as_str().to_string())
        })
        .ok_or_else(|| {
            DeskError::new(
                "rao.no_id",
                "The RAO's id is needed to decide on an identification: set rao.id or give it",
            )
        })?;
    let auth = match approval.auth {
        RaoAuthInput::Token(choice) => {
            let choice = match (choice, &run.details.token_label) {
                (TokenChoice::Default, Some(label)) => TokenChoice::Label(label.clone()),
                (choice, _) => choice,
            };
            RaoAuth::token(run.desk.resolve_token(&choice).await?.0)
        }
        RaoAuthInput::Credentials {
            username,
            password,
            pin,
        } => {
            let username = username.trim().to_string();
            if username.is_empty() {
                return Err(DeskError::new(
                    "rao.incomplete_credentials",
                    "The RAO's username is empty",
                ));
            }
            RaoAuth::credentials(username, password, pin)
        }
    };
    Ok(RaoDecision {
        auth,
        rao_id,
        reason,
    })
}
