//! Asynchronous signing (`videoid.async_mode`, API.md §D.4): the Optimizer accepts the sign call
//! at once and signs in the background; the end is announced by webhook. The desk waits for the
//! webhook for a while (`StatusFollowing::webhook_grace`), then reads the request back on its
//! slowing schedule — a webhook that never arrives only makes the wait longer — up to
//! `StatusFollowing::signing_limit`, after which the flow is left to be resumed.

use crate::error::{DeskError, DeskResult};
use crate::events::NoticeLevel;
use crate::flow::model::{AttentionKind, FlowState};
use crate::flow::run::FlowRun;
use crate::flow::steps::otp_sign::mark_signed;
use crate::flow::videoid::status::{hint_for, read};
use backon::{BackoffBuilder, ExponentialBuilder};
use oneshot_client::RequestStatus;

/// Whether the signing ended: reads the request once.
pub(crate) async fn check_once(run: &mut FlowRun) -> DeskResult<bool> {
    let record = read(run).await?;
    match record.status {
        RequestStatus::Issued => {
            run.details.signing_queued_at = None;
            run.notice(
                NoticeLevel::Info,
                "sign.completed",
                "The Optimizer finished signing".into(),
            );
            mark_signed(run).await?;
            Ok(true)
        }
        // Still signing (a background signing that failed also leaves it here).
        RequestStatus::EnrollReady => Ok(false),
        other => {
            run.details.signing_queued_at = None;
            let error = DeskError::new(
                "request.unexpected_status",
                format!("The request is in status {other} on the Optimizer"),
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

/// Waits for the end of an accepted asynchronous signing.
pub(crate) async fn wait(run: &mut FlowRun) -> DeskResult<()> {
    let mut hints = run.desk.hub.subscribe();
    let following = run.desk.following.clone();
    let pk = run.pk()?.0;
    let receiver = if run.details.asynchronous {
        run.desk.ensure_webhooks().await.ok().flatten()
    } else {
        None
    };
    let deadline = tokio::time::Instant::now() + following.signing_limit;
    run.set_activity(Some("signing"));
    if receiver.is_some() {
        // The webhook is the expected way; the first read waits for it a while.
        tokio::select! {
            () = run.cancel.cancelled() => return Err(interrupted(run).await),
            () = tokio::time::sleep(following.webhook_grace) => {
                run.notice(
                    NoticeLevel::Info,
                    "sign.no_webhook",
                    "No webhook announced the end of the signing yet; reading the request back"
                        .into(),
                );
            }
            () = hint_for(&mut hints, pk) => {}
        }
    }
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(following.first_poll)
        .with_max_delay(following.max_poll)
        .with_jitter()
        .without_max_times()
        .build();
    loop {
        match check_once(run).await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(error) if error.code == "request.unexpected_status" => return Err(error),
            Err(error) => {
                tracing::info!(flow = %run.id(), code = %error.code, "status read failed; trying again later");
            }
        }
        if tokio::time::Instant::now() >= deadline {
            let error = DeskError::new(
                "sign.not_confirmed",
                "The Optimizer has not confirmed the signature yet",
            );
            return Err(run
                .needs_attention(
                    AttentionKind::OutcomeUnknown,
                    "sign",
                    error,
                    "The Optimizer accepted the signing but has not finished it; resuming checks \
                     again. If it never finishes, send the customer a new code and sign again.",
                )
                .await);
        }
        let delay = delays.next().unwrap_or(following.max_poll);
        tokio::select! {
            () = run.cancel.cancelled() => return Err(interrupted(run).await),
            () = tokio::time::sleep_until(deadline) => {}
            () = tokio::time::sleep(delay) => {}
            () = hint_for(&mut hints, pk) => {}
        }
    }
}

async fn interrupted(run: &mut FlowRun) -> DeskError {
    let step = if run.state == FlowState::OtpSent {
        "sign"
    } else {
        run.state.as_str()
    };
    run.needs_attention(
        AttentionKind::Interrupted,
        step,
        DeskError::new("cancelled", "The work was interrupted"),
        "The wait for the signing was interrupted; resuming checks whether it finished.",
    )
    .await
}
