//! The flows' operations. Each takes the flow's lock (one operation at a time; a second gets
//! `flow.busy`, except that the employee's actions end a running wait), loads the flow from the
//! journal, works, and returns the snapshot.

use super::FlowId;
use super::input::{
    ClassicInput, RaoApproval, ResumeOptions, SignAuthInput, TokenChoice, VideoIdInput,
};
use super::model::{AttentionKind, FlowSnapshot, FlowState, StatusSource};
use super::registry::FlowGuard;
use super::run::FlowRun;
use super::steps::{async_sign, cancel, finish, otp_sign, upload};
use super::{classic, reconcile, videoid};
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::evidences::EvidencesInput;
use crate::journal::FlowKind;
use oneshot_client::{DeliveryMethod, TokenUid};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub(crate) struct Flows;

impl Flows {
    pub(crate) async fn start_classic(
        desk: Arc<DeskInner>,
        input: ClassicInput,
    ) -> DeskResult<FlowSnapshot> {
        let (id, token) = classic::start::journal_new_flow(&desk, input).await?;
        let guard = desk.flows.try_begin(id).ok_or_else(|| busy(id))?;
        let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
        run.busy = true;
        let result = advance(&mut run, Some(token)).await;
        conclude(run, guard, result)
    }

    pub(crate) async fn start_videoid(
        desk: Arc<DeskInner>,
        input: VideoIdInput,
    ) -> DeskResult<FlowSnapshot> {
        let id = videoid::start::journal_new_flow(&desk, input).await?;
        let guard = desk.flows.try_begin(id).ok_or_else(|| busy(id))?;
        let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
        run.busy = true;
        let result = advance(&mut run, None).await;
        conclude(run, guard, result)
    }

    pub(crate) async fn confirm_review(
        desk: Arc<DeskInner>,
        id: FlowId,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            if run.state != FlowState::ContractFetched {
                return Err(wrong_state(&run, "confirm the review"));
            }
            if !run
                .details
                .contract
                .review_path
                .as_ref()
                .is_some_and(|p| p.is_file())
            {
                // The working copy was lost (data folder cleaned): fetch it again first.
                run.enter(FlowState::Uploaded).await?;
                return upload::fetch_contract(&mut run).await;
            }
            run.clear_error();
            run.enter(FlowState::Reviewed).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn send_otp(
        desk: Arc<DeskInner>,
        id: FlowId,
        delivery: Option<DeliveryMethod>,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = otp_sign::send_otp(&mut run, delivery).await;
        conclude(run, guard, result)
    }

    pub(crate) async fn sign(
        desk: Arc<DeskInner>,
        id: FlowId,
        auth: SignAuthInput,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            otp_sign::sign(&mut run, auth).await?;
            advance(&mut run, None).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn resume(
        desk: Arc<DeskInner>,
        id: FlowId,
        options: ResumeOptions,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            if run.state.is_final() {
                // A crash between saving the final state and closing the journal record.
                if run.record.finished_at.is_none() {
                    let journal = run.desk.journal.clone();
                    let (id, state) = (run.id(), run.state.as_str());
                    blocking(move || journal.finish_request(id, state)).await?;
                }
                return Ok(());
            }
            reconcile::reconcile(&mut run, options.recreate).await?;
            let token =
                if run.state == FlowState::Draft && run.record.flow_kind == FlowKind::Classic {
                    let choice = match (options.token, &run.details.token_label) {
                        (Some(choice), _) => choice,
                        (None, Some(label)) => TokenChoice::Label(label.clone()),
                        (None, None) => TokenChoice::Default,
                    };
                    Some(run.desk.resolve_token(&choice).await?.0)
                } else {
                    None
                };
            if run.state.is_identification() {
                // Where the identification stands now, before anything else is done.
                videoid::status::refresh(&mut run, StatusSource::Polling).await?;
            }
            advance(&mut run, token).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn cancel(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<FlowSnapshot> {
        desk.flows.interrupt(id);
        let guard = desk.flows.begin(id).await;
        let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
        run.busy = true;
        let result = cancel::cancel(&mut run).await;
        conclude(run, guard, result)
    }

    /// Reads the request's status once (a VideoID identification, an asynchronous signing)
    /// and moves the flow accordingly.
    pub(crate) async fn refresh(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            if run.state.is_identification() {
                videoid::status::refresh(&mut run, StatusSource::Polling).await?;
                advance(&mut run, None).await
            } else if run.details.signing_queued_at.is_some() && !run.state.is_signed() {
                async_sign::check_once(&mut run).await?;
                advance(&mut run, None).await
            } else {
                Ok(())
            }
        }
        .await;
        conclude(run, guard, result)
    }

    /// A webhook named the flow's request: its status is read back (webhooks are only hints)
    /// and, for an identification, the flow moves with it. Nothing else is started.
    pub(crate) async fn refresh_from_webhook(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<()> {
        let Some(guard) = desk.flows.try_begin(id) else {
            // Whatever works on the flow now hears the webhook itself.
            return Ok(());
        };
        // The employee's action arriving meanwhile (approve, a wait, cancel) waits for this
        // read instead of failing as busy.
        guard.set_background();
        let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
        if !run.state.is_identification() {
            return Ok(());
        }
        let result = videoid::status::refresh(&mut run, StatusSource::Webhook).await;
        conclude(run, guard, result).map(drop)
    }

    pub(crate) async fn wait_for_identification(
        desk: Arc<DeskInner>,
        id: FlowId,
        timeout: Option<Duration>,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            if !run.state.is_identification() {
                return Ok(());
            }
            guard.set_waiting(true);
            run.busy = false;
            let waited = videoid::status::wait(&mut run, timeout).await;
            guard.set_waiting(false);
            run.busy = true;
            waited?;
            if run.cancel.is_cancelled() {
                // Ended for the employee's next action (or by `interrupt`): nothing to report.
                return Ok(());
            }
            advance(&mut run, None).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn provide_evidences(
        desk: Arc<DeskInner>,
        id: FlowId,
        evidences: Option<EvidencesInput>,
        video: Option<PathBuf>,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            videoid::external::provide(&mut run, evidences, video).await?;
            advance(&mut run, None).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn set_documents(
        desk: Arc<DeskInner>,
        id: FlowId,
        documents: Vec<PathBuf>,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            videoid::start::set_documents(&mut run, &documents).await?;
            if run.state == FlowState::Approved {
                return advance(&mut run, None).await;
            }
            Ok(())
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn approve(
        desk: Arc<DeskInner>,
        id: FlowId,
        approval: RaoApproval,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            videoid::decision::approve(&mut run, approval).await?;
            advance(&mut run, None).await
        }
        .await;
        conclude(run, guard, result)
    }

    pub(crate) async fn refuse(
        desk: Arc<DeskInner>,
        id: FlowId,
        approval: RaoApproval,
        reason: String,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = videoid::decision::refuse(&mut run, approval, reason).await;
        conclude(run, guard, result)
    }

    pub(crate) async fn download_video(
        desk: Arc<DeskInner>,
        id: FlowId,
        folder: &Path,
    ) -> DeskResult<PathBuf> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = videoid::video::download(&mut run, folder).await;
        drop(guard);
        run.busy = false;
        run.activity = None;
        run.emit();
        result
    }

    pub(crate) async fn snapshot(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<FlowSnapshot> {
        let busy = desk.flows.is_busy(id) && !desk.flows.is_waiting(id);
        let mut run = FlowRun::load(desk, id, Default::default()).await?;
        run.busy = busy;
        Ok(run.snapshot())
    }

    pub(crate) async fn unfinished(desk: Arc<DeskInner>) -> DeskResult<Vec<FlowSnapshot>> {
        let journal = desk.journal.clone();
        let records = blocking(move || journal.unfinished_requests()).await?;
        Ok(Self::snapshots(desk, records.into_iter().map(|r| r.id)).await)
    }

    pub(crate) async fn recent(
        desk: Arc<DeskInner>,
        limit: usize,
    ) -> DeskResult<Vec<FlowSnapshot>> {
        let journal = desk.journal.clone();
        let records = blocking(move || journal.recent_requests(limit)).await?;
        Ok(Self::snapshots(desk, records.into_iter().map(|r| r.id)).await)
    }

    /// The snapshots of `ids`; a flow that cannot be read (a damaged record, one saved by a
    /// newer desk) is left out of the list with a warning rather than hiding every other flow.
    async fn snapshots(
        desk: Arc<DeskInner>,
        ids: impl Iterator<Item = FlowId>,
    ) -> Vec<FlowSnapshot> {
        let mut out = Vec::new();
        for id in ids {
            match Self::snapshot(desk.clone(), id).await {
                Ok(snapshot) => out.push(snapshot),
                Err(error) => {
                    tracing::warn!(flow = %id, code = %error.code, "flow left out of the list: {}", error.message);
                    desk.emit(crate::events::DeskEvent::Notice(crate::events::Notice {
                        flow: Some(id),
                        level: crate::events::NoticeLevel::Warning,
                        code: error.code.to_string(),
                        message: format!("Flow {id} cannot be shown: {}", error.message),
                    }));
                }
            }
        }
        out
    }

    pub(crate) async fn practice_code(
        desk: Arc<DeskInner>,
        id: FlowId,
    ) -> DeskResult<crate::practice::PracticeCode> {
        let run = FlowRun::load(desk.clone(), id, Default::default()).await?;
        if !run.details.practice {
            return Err(DeskError::new(
                "practice.off",
                "This flow does not run in practice mode",
            ));
        }
        let pk = run.pk()?;
        let ca = desk.connection().ca_certificate;
        crate::practice::fetch_practice_code(&run.record.optimizer_url, pk.0, ca.as_deref()).await
    }
}

/// Runs the steps that need no one, from wherever the flow is, until it waits for the user,
/// the customer or the RAO, finishes, or fails.
async fn advance(run: &mut FlowRun, mut token: Option<TokenUid>) -> DeskResult<()> {
    loop {
        if run.cancel.is_cancelled() {
            let error = DeskError::new("cancelled", "The work was interrupted");
            return Err(run
                .needs_attention(
                    AttentionKind::Interrupted,
                    run.state.as_str(),
                    error,
                    "The work was interrupted; resuming continues where it stopped.",
                )
                .await);
        }
        match run.state {
            FlowState::Draft => match run.record.flow_kind {
                FlowKind::Classic => {
                    let token = token.take().ok_or_else(|| {
                        DeskError::new("rao.no_token", "Creating the request needs a RAO token")
                    })?;
                    classic::create::create(run, token).await?;
                }
                FlowKind::VideoidEidas | FlowKind::VideoidExternal => {
                    videoid::create::create(run).await?
                }
            },
            FlowState::VideoPending | FlowState::VideoIncomplete | FlowState::VideoError => {
                if !videoid::external::upload_next(run).await? {
                    return Ok(());
                }
            }
            FlowState::Approved if run.details.documents.is_empty() => return Ok(()),
            FlowState::Created | FlowState::Approved => upload::upload(run).await?,
            FlowState::Uploaded => upload::fetch_contract(run).await?,
            FlowState::Reviewed | FlowState::OtpSent if run.details.signing_queued_at.is_some() => {
                async_sign::wait(run).await?
            }
            // The retrieval (up to four transfers at once) lives on the heap, not in every
            // operation's future.
            FlowState::Signed => Box::pin(finish::retrieve(run)).await?,
            FlowState::Retrieved => finish::verify(run).await?,
            FlowState::Verified => finish::clean(run).await?,
            FlowState::Cleaned => finish::finish(run).await?,
            FlowState::VideoReview
            | FlowState::ContractFetched
            | FlowState::Reviewed
            | FlowState::OtpSent
            | FlowState::Done
            | FlowState::Cancelled
            | FlowState::Refused => return Ok(()),
        }
    }
}

async fn begin(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<(FlowRun, FlowGuard)> {
    let guard = desk
        .flows
        .begin_or_preempt(id)
        .await
        .ok_or_else(|| busy(id))?;
    let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
    run.busy = true;
    Ok((run, guard))
}

/// Ends an operation: the final snapshot (not busy) is emitted and returned, or the error.
fn conclude(
    mut run: FlowRun,
    guard: FlowGuard,
    result: DeskResult<()>,
) -> DeskResult<FlowSnapshot> {
    drop(guard);
    run.busy = false;
    run.activity = None;
    run.emit();
    result.map(|()| run.snapshot())
}

fn busy(id: FlowId) -> DeskError {
    DeskError::new(
        "flow.busy",
        format!("Flow {id} is already working; wait for it or interrupt it"),
    )
}

pub(crate) fn wrong_state(run: &FlowRun, what: &str) -> DeskError {
    DeskError::new(
        "flow.wrong_state",
        format!(
            "Cannot {what} while flow {} is in state {}",
            run.id(),
            run.state.as_str()
        ),
    )
}
