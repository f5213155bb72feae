//! Following an identification: the request is read back (`get_request`) and its status moves
//! the flow. Reads follow a slowing schedule (exponential backoff with jitter, `backon`); a
//! webhook naming the request makes the next read happen at once. Webhooks are never trusted on
//! their own: they only trigger a read.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::NoticeLevel;
use crate::flow::model::{FlowState, StatusSource};
use crate::flow::routes::Call;
use crate::flow::run::{CallFailure, CallKind, FlowRun};
use crate::flow::steps::finish::remove_working_dir;
use backon::{BackoffBuilder, ExponentialBuilder};
use jiff::Timestamp;
use oneshot_client::{RequestRecord, RequestStatus, StatusChange};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Reads the request back. A failed read is only recorded as the flow's last error: the
/// identification goes on whatever the connection does.
pub(crate) async fn read(run: &mut FlowRun) -> DeskResult<RequestRecord> {
    let client = run.client()?;
    let pk = run.pk()?;
    let call = run.describe(Call::GetRequest(pk.0));
    match run
        .call("status", call, CallKind::Idempotent, client.get_request(pk))
        .await
    {
        Ok(record) => Ok(record),
        Err(CallFailure::Local(error)) => Err(error),
        Err(CallFailure::Failed(error) | CallFailure::Unknown(error, _)) => {
            Err(run.plain_error(error.into()).await)
        }
    }
}

/// Reads the request back and moves the flow with its status.
pub(crate) async fn refresh(run: &mut FlowRun, source: StatusSource) -> DeskResult<()> {
    let record = read(run).await?;
    apply(run, &record, source).await
}

/// Moves the flow with the request's status, as read back.
pub(crate) async fn apply(
    run: &mut FlowRun,
    record: &RequestRecord,
    source: StatusSource,
) -> DeskResult<()> {
    let before = run.state;
    let video = run.details.videoid.get_or_insert_default();
    let changed = video.remote_status.as_deref() != Some(record.status.as_str());
    video.remote_status = Some(record.status.as_str().to_string());
    video.remote_status_at = Some(Timestamp::now());
    video.remote_status_source = Some(source);
    let next = match &record.status {
        RequestStatus::VideoPending => FlowState::VideoPending,
        RequestStatus::VideoIncomplete => FlowState::VideoIncomplete,
        RequestStatus::VideoError => FlowState::VideoError,
        // Legacy two-step VideoID: validated (CREATED) still waits for the approval.
        RequestStatus::VideoReview | RequestStatus::Created => FlowState::VideoReview,
        // Approved elsewhere (another RAO, the RA's own tools).
        RequestStatus::EnrollReady => FlowState::Approved,
        RequestStatus::Cancelled => FlowState::Cancelled,
        RequestStatus::Issued | RequestStatus::Renewed | RequestStatus::Other(_) => {
            let error = DeskError::new(
                "request.unexpected_status",
                format!(
                    "The identification's request is in status {} on the Optimizer",
                    record.status
                ),
            );
            run.notice(
                NoticeLevel::Warning,
                "request.unexpected_status",
                error.message.clone(),
            );
            return Err(run.plain_error(error).await);
        }
    };
    if next == FlowState::VideoReview || next == FlowState::Approved {
        take_identity(run, record).await?;
    }
    if next != FlowState::VideoPending
        && next != FlowState::VideoIncomplete
        && next != FlowState::VideoError
        && let Some(video) = run.details.videoid.as_mut()
    {
        // The link is no use once the identification is over.
        video.link = None;
    }
    if changed || next != before {
        run.notice(
            NoticeLevel::Info,
            "videoid.status",
            format!(
                "The identification's request is {} ({})",
                record.status,
                match source {
                    StatusSource::Polling => "read back",
                    StatusSource::Webhook => "announced by webhook, read back",
                    StatusSource::Answer => "after the desk's call",
                }
            ),
        );
    }
    if next == before {
        return run.save().await;
    }
    run.clear_error();
    if next == FlowState::Cancelled {
        return end(run, FlowState::Cancelled).await;
    }
    run.enter(next).await
}

/// Ends the flow in `state` (cancelled or refused on the Optimizer): working files go, the
/// journal record is closed.
pub(crate) async fn end(run: &mut FlowRun, state: FlowState) -> DeskResult<()> {
    remove_working_dir(run).await;
    run.enter(state).await?;
    let journal = run.desk.journal.clone();
    let id = run.id();
    let name = state.as_str();
    blocking(move || journal.finish_request(id, name)).await?;
    let journal = run.desk.journal.clone();
    run.record = blocking(move || journal.request(id)).await?;
    Ok(())
}

/// The identification named the customer: the flow (and the list) show that name, and the
/// output folder's pattern uses it.
async fn take_identity(run: &mut FlowRun, record: &RequestRecord) -> DeskResult<()> {
    let given = record.given_name.clone().unwrap_or_default();
    let surname = [record.surname_1.clone(), record.surname_2.clone()]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if given.trim().is_empty() && surname.is_empty() {
        return Ok(());
    }
    run.details.given_name = given.trim().to_string();
    run.details.surname = surname;
    let name = format!("{} {}", run.details.given_name, run.details.surname)
        .trim()
        .to_string();
    if name != run.record.customer_display_name && crate::customer::is_plain_text(&name) {
        let journal = run.desk.journal.clone();
        let id = run.id();
        blocking(move || journal.set_customer_display_name(id, &name)).await?;
    }
    Ok(())
}

/// Waits until the identification's status differs from the one the flow is in (or for
/// `timeout`, or until the work is interrupted), reading it back on the schedule and whenever a
/// webhook names the request. Failed reads are recorded and tried again later.
pub(crate) async fn wait(run: &mut FlowRun, timeout: Option<Duration>) -> DeskResult<()> {
    // Subscribed before the first read, so a webhook arriving meanwhile is not missed.
    let mut hints = run.desk.hub.subscribe();
    if let Err(error) = run.desk.ensure_webhooks().await {
        run.notice(
            NoticeLevel::Warning,
            error.code.as_str(),
            format!("No webhooks: {}", error.message),
        );
    }
    let start = run.state;
    let pk = run.pk()?.0;
    let following = run.desk.following.clone();
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(following.first_poll)
        .with_max_delay(following.max_poll)
        .with_jitter()
        .without_max_times()
        .build();
    let deadline = timeout.map(|t| tokio::time::Instant::now() + t);
    run.set_activity(Some(if start == FlowState::VideoReview {
        "waiting_for_review"
    } else {
        "waiting_for_customer"
    }));
    let mut source = StatusSource::Polling;
    loop {
        match refresh(run, source).await {
            Ok(()) if run.state != start => return Ok(()),
            Ok(()) => {}
            Err(error) if error.code == "journal.database" || error.code == "flow.no_request" => {
                return Err(error);
            }
            Err(error) => {
                tracing::info!(flow = %run.id(), code = %error.code, "status read failed; trying again later");
            }
        }
        let delay = delays.next().unwrap_or(following.max_poll);
        let until_deadline = async {
            match deadline {
                Some(deadline) => tokio::time::sleep_until(deadline).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = run.cancel.cancelled() => return Ok(()),
            () = until_deadline => return Ok(()),
            () = tokio::time::sleep(delay) => source = StatusSource::Polling,
            () = hint_for(&mut hints, pk) => source = StatusSource::Webhook,
        }
    }
}

/// Resolves when a webhook names request `pk` (or some were missed, which may include it).
pub(crate) async fn hint_for(hints: &mut broadcast::Receiver<Arc<StatusChange>>, pk: u64) {
    loop {
        match hints.recv().await {
            Ok(change) if change.request_pk.0 == pk => return,
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => return,
            // No receiver any more: only the schedule is left.
            Err(broadcast::error::RecvError::Closed) => std::future::pending::<()>().await,
        }
    }
}
