//! The classic flow's operations. Each takes the flow's lock (one operation at a time; a
//! second gets `flow.busy`), loads the flow from the journal, works, and returns the snapshot.

mod cancel;
mod create;
mod finish;
mod otp_sign;
mod reconcile;
mod start;
mod upload;

use super::FlowId;
use super::input::{ResumeOptions, SignAuthInput, TokenChoice};
use super::model::{ClassicState, FlowSnapshot};
use super::registry::FlowGuard;
use super::run::FlowRun;
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::model::AttentionKind;
use oneshot_client::{DeliveryMethod, TokenUid};
use std::sync::Arc;

pub(crate) struct ClassicFlows;

impl ClassicFlows {
    pub(crate) async fn start(
        desk: Arc<DeskInner>,
        input: super::input::ClassicInput,
    ) -> DeskResult<FlowSnapshot> {
        let (id, token) = start::journal_new_flow(&desk, input).await?;
        let guard = desk.flows.try_begin(id).ok_or_else(|| busy(id))?;
        let mut run = FlowRun::load(desk, id, guard.cancel.clone()).await?;
        run.busy = true;
        let result = advance(&mut run, Some(token)).await;
        conclude(run, guard, result)
    }

    pub(crate) async fn confirm_review(
        desk: Arc<DeskInner>,
        id: FlowId,
    ) -> DeskResult<FlowSnapshot> {
        let (mut run, guard) = begin(desk, id).await?;
        let result = async {
            if run.state != ClassicState::ContractFetched {
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
                run.enter(ClassicState::Uploaded).await?;
                return upload::fetch_contract(&mut run).await;
            }
            run.clear_error();
            run.enter(ClassicState::Reviewed).await
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
            let token = if run.state == ClassicState::Draft {
                let choice = match (options.token, &run.details.token_label) {
                    (Some(choice), _) => choice,
                    (None, Some(label)) => TokenChoice::Label(label.clone()),
                    (None, None) => TokenChoice::Default,
                };
                Some(run.desk.resolve_token(&choice).await?.0)
            } else {
                None
            };
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

    pub(crate) async fn snapshot(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<FlowSnapshot> {
        let busy = desk.flows.is_busy(id);
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

    /// The snapshots of `ids`; a flow that cannot be read (another flow kind, a damaged
    /// record) is left out of the list with a warning rather than hiding every other flow.
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
/// finishes, or fails.
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
            ClassicState::Draft => {
                let token = token.take().ok_or_else(|| {
                    DeskError::new("rao.no_token", "Creating the request needs a RAO token")
                })?;
                create::create(run, token).await?;
            }
            ClassicState::Created => upload::upload(run).await?,
            ClassicState::Uploaded => upload::fetch_contract(run).await?,
            ClassicState::Signed => finish::retrieve(run).await?,
            ClassicState::Retrieved => finish::verify(run).await?,
            ClassicState::Verified => finish::clean(run).await?,
            ClassicState::Cleaned => finish::finish(run).await?,
            ClassicState::ContractFetched
            | ClassicState::Reviewed
            | ClassicState::OtpSent
            | ClassicState::Done
            | ClassicState::Cancelled => return Ok(()),
        }
    }
}

async fn begin(desk: Arc<DeskInner>, id: FlowId) -> DeskResult<(FlowRun, FlowGuard)> {
    let guard = desk.flows.try_begin(id).ok_or_else(|| busy(id))?;
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

pub(super) fn wrong_state(run: &FlowRun, what: &str) -> DeskError {
    DeskError::new(
        "flow.wrong_state",
        format!(
            "Cannot {what} while flow {} is in state {}",
            run.id(),
            run.state.as_str()
        ),
    )
}
