//! One operation on one flow: its loaded state, saving (journal first, then the event), and
//! remote calls journaled before and after.

use super::FlowId;
use super::details::{DETAILS_FORMAT, FlowDetails};
use super::model::{
    self, ActionContext, Attention, AttentionKind, FlowSnapshot, FlowState, UserAction,
};
use super::routes::{self, Call};
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, Notice, NoticeLevel};
use crate::journal::{NewFile, RequestRecord, StepId};
use oneshot_client::{Client, RequestPk, VideoIdPk, VideoIdRef};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Whether repeating a call is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Reads and deletes: a lost answer is handled by doing it again.
    Idempotent,
    /// Create, upload, OTP, sign: a lost answer leaves the intent open for reconciliation.
    NonIdempotent,
}

/// A remote call that did not succeed.
pub(crate) enum CallFailure {
    /// The Optimizer answered with an error (nothing happened), or an idempotent call failed.
    Failed(oneshot_client::Error),
    /// The call may have been performed: its journal intent stays open.
    Unknown(oneshot_client::Error, StepId),
    /// The desk itself failed (journal).
    Local(DeskError),
}

pub(crate) struct FlowRun {
    pub(crate) desk: Arc<DeskInner>,
    pub(crate) record: RequestRecord,
    pub(crate) state: FlowState,
    pub(crate) details: FlowDetails,
    pub(crate) cancel: CancellationToken,
    pub(crate) busy: bool,
    pub(crate) activity: Option<String>,
}

impl FlowRun {
    pub(crate) async fn load(
        desk: Arc<DeskInner>,
        id: FlowId,
        cancel: CancellationToken,
    ) -> DeskResult<FlowRun> {
        let journal = desk.journal.clone();
        let (record, stored) =
            blocking(move || Ok::<_, DeskError>((journal.request(id)?, journal.flow_details(id)?)))
                .await?;
        let details = match stored {
            Some((DETAILS_FORMAT, json)) => serde_json::from_str(&json).map_err(|e| {
                DeskError::new(
                    "journal.corrupt",
                    format!("The details of flow {id} are damaged"),
                )
                .with_detail(e.to_string())
            })?,
            Some((format, _)) => {
                return Err(DeskError::new(
                    "journal.newer_schema",
                    format!("Flow {id} was saved by a newer desk (format {format})"),
                ));
            }
            None => {
                return Err(DeskError::new(
                    "journal.corrupt",
                    format!("Flow {id} has no saved details"),
                ));
            }
        };
        let state = FlowState::from_name(&record.state).ok_or_else(|| {
            DeskError::new(
                "journal.corrupt",
                format!("Flow {id} is in an unknown state \"{}\"", record.state),
            )
        })?;
        Ok(FlowRun {
            desk,
            record,
            state,
            details,
            cancel,
            busy: false,
            activity: None,
        })
    }

    pub(crate) fn id(&self) -> FlowId {
        self.record.id
    }

    pub(crate) fn snapshot(&self) -> FlowSnapshot {
        let d = &self.details;
        let mut otp = d.otp.clone();
        otp.resend_available_at = otp.sent_at.map(|t| t + jiff::SignedDuration::from_secs(60));
        let videoid = d.videoid.clone().map(|mut video| {
            // The QR code is drawn only while the customer may still use the link.
            if self.state.is_identification() && self.state != FlowState::VideoReview {
                video.qr_svg = video
                    .link
                    .as_deref()
                    .and_then(|link| crate::qr::qr_svg(link).ok());
            }
            video
        });
        FlowSnapshot {
            id: self.record.id,
            kind: self.record.flow_kind,
            state: self.state,
            finished: self.state.is_final(),
            request_pk: self.record.request_pk.and_then(|pk| u64::try_from(pk).ok()),
            optimizer_url: self.record.optimizer_url.clone(),
            layout: self.record.layout,
            customer_display_name: self.record.customer_display_name.clone(),
            documents: d.documents.clone(),
            contract: d.contract.clone(),
            otp,
            signing: d.signing.clone(),
            output_folder: d.output_folder.clone(),
            progress: model::progress(self.record.flow_kind, self.state, self.activity.clone()),
            last_error: d.last_error.clone(),
            attention: d.attention.clone(),
            next_action: model::next_action(&ActionContext {
                kind: self.record.flow_kind,
                state: self.state,
                busy: self.busy,
                attention: d.attention.as_ref(),
                signing: &d.signing,
                has_documents: !d.documents.is_empty(),
            }),
            practice: d.practice,
            videoid,
            signing_queued_at: d.signing_queued_at,
            created_at: self.record.created_at,
            updated_at: self.record.updated_at,
        }
    }

    pub(crate) fn emit(&self) {
        self.desk.emit(DeskEvent::FlowChanged {
            snapshot: Box::new(self.snapshot()),
        });
    }

    pub(crate) fn notice(&self, level: NoticeLevel, code: &str, message: String) {
        match level {
            NoticeLevel::Info => tracing::info!(flow = %self.id(), code, "{message}"),
            NoticeLevel::Warning => tracing::warn!(flow = %self.id(), code, "{message}"),
        }
        self.desk.emit(DeskEvent::Notice(Notice {
            flow: Some(self.id()),
            level,
            code: code.to_string(),
            message,
        }));
    }

    /// Saves state and details durably, then tells the front end.
    pub(crate) async fn save(&mut self) -> DeskResult<()> {
        let json = serde_json::to_string(&self.details).map_err(|e| {
            DeskError::new("flow.internal", "The flow's details cannot be written")
                .with_detail(e.to_string())
        })?;
        let journal = self.desk.journal.clone();
        let id = self.id();
        let state = self.state.as_str();
        let record = blocking(move || {
            journal.save_flow(id, state, DETAILS_FORMAT, &json)?;
            journal.request(id)
        })
        .await?;
        self.record = record;
        self.emit();
        Ok(())
    }

    pub(crate) async fn enter(&mut self, state: FlowState) -> DeskResult<()> {
        tracing::info!(flow = %self.id(), from = self.state.as_str(), to = state.as_str(), "flow state");
        self.state = state;
        self.save().await
    }

    pub(crate) fn set_activity(&mut self, activity: Option<&str>) {
        self.activity = activity.map(str::to_string);
        self.emit();
    }

    pub(crate) fn client(&self) -> DeskResult<Client> {
        self.desk
            .client_for(&self.record.optimizer_url, Some(self.record.layout))
    }

    pub(crate) fn pk(&self) -> DeskResult<RequestPk> {
        self.record
            .request_pk
            .and_then(|pk| u64::try_from(pk).ok())
            .map(RequestPk)
            .ok_or_else(|| {
                DeskError::new(
                    "flow.no_request",
                    "The request does not exist on the Optimizer yet",
                )
            })
    }

    /// Both ids of the VideoID process (`flow.no_request` before it exists).
    pub(crate) fn video_ref(&self) -> DeskResult<VideoIdRef> {
        let videoid_pk = self
            .record
            .videoid_pk
            .and_then(|pk| u64::try_from(pk).ok())
            .ok_or_else(|| {
                DeskError::new(
                    "flow.no_request",
                    "The identification does not exist on the Optimizer yet",
                )
            })?;
        Ok(VideoIdRef {
            videoid_pk: VideoIdPk(videoid_pk),
            request_pk: self.pk()?,
        })
    }

    pub(crate) fn describe(&self, call: Call<'_>) -> String {
        routes::describe(self.record.layout, call)
    }

    pub(crate) fn working_dir(&self) -> PathBuf {
        working_dir(&self.desk, self.id())
    }

    /// Makes a remote call with its journal intent written before and its outcome after (see
    /// [`Journaled::call`]). Not an `async fn` itself: wrapping the call's future in another
    /// would hold `work` twice in every flow operation's future.
    pub(crate) fn call<T>(
        &mut self,
        step: &str,
        remote_call: String,
        kind: CallKind,
        work: impl Future<Output = oneshot_client::Result<T>>,
    ) -> impl Future<Output = Result<T, CallFailure>> {
        self.journaled().call(step, remote_call, kind, work)
    }

    /// What remote calls of this flow need, detached from the flow so that several can run at
    /// once.
    pub(crate) fn journaled(&self) -> Journaled {
        Journaled {
            desk: self.desk.clone(),
            id: self.id(),
            cancel: self.cancel.clone(),
        }
    }

    /// Closes an open intent once reconciliation found its outcome.
    pub(crate) async fn close_step(
        &self,
        step: StepId,
        outcome: Result<(), &str>,
    ) -> DeskResult<()> {
        let journal = self.desk.journal.clone();
        let code = outcome.err().map(str::to_string);
        blocking(move || match code {
            None => journal.complete_step(step),
            Some(code) => journal.fail_step(step, &code),
        })
        .await?;
        Ok(())
    }

    pub(crate) async fn record_file(&self, file: NewFile) -> DeskResult<()> {
        let journal = self.desk.journal.clone();
        let id = self.id();
        blocking(move || journal.record_file(id, &file)).await?;
        Ok(())
    }

    /// Records an error the user must act on, saves, and returns the error to hand back.
    pub(crate) async fn needs_attention(
        &mut self,
        kind: AttentionKind,
        step: &str,
        error: DeskError,
        explanation: &str,
    ) -> DeskError {
        let actions = match kind {
            AttentionKind::CreateOutcomeUnknown => vec![UserAction::Recreate, UserAction::Cancel],
            _ if self.state.is_signed() => vec![UserAction::Resume],
            _ => vec![UserAction::Resume, UserAction::Cancel],
        };
        self.details.last_error = Some(error.clone());
        self.details.attention = Some(Attention {
            kind,
            step: step.to_string(),
            error: error.clone(),
            explanation: explanation.to_string(),
            actions,
        });
        self.notice(
            NoticeLevel::Warning,
            "flow.needs_attention",
            explanation.to_string(),
        );
        if let Err(save_error) = self.save().await {
            tracing::error!(flow = %self.id(), code = %save_error.code, "cannot save the flow's error");
        }
        error
    }

    /// A failure the user simply sees (a wrong code, a code asked for too soon): recorded in
    /// the snapshot, the flow stays where it is.
    pub(crate) async fn plain_error(&mut self, error: DeskError) -> DeskError {
        self.details.last_error = Some(error.clone());
        if let Err(save_error) = self.save().await {
            tracing::error!(flow = %self.id(), code = %save_error.code, "cannot save the flow's error");
        }
        error
    }

    /// Turns a failed call into the flow's error, with attention as the kind of failure says.
    pub(crate) async fn call_failed(&mut self, step: &str, failure: CallFailure) -> DeskError {
        match failure {
            CallFailure::Local(error) => error,
            CallFailure::Unknown(error, _) => {
                let error: DeskError = error.into();
                let (kind, text) = if step == "create" {
                    (
                        AttentionKind::CreateOutcomeUnknown,
                        "The answer to the create call was lost, so the desk cannot know whether \
                         the request exists on the Optimizer (the API cannot look it up). Ask the \
                         Optimizer's operator if unsure, then create it again or cancel.",
                    )
                } else if error.code == "cancelled" {
                    (
                        AttentionKind::Interrupted,
                        "The work was interrupted while a call was under way; resuming checks \
                         what the Optimizer did and continues.",
                    )
                } else {
                    (
                        AttentionKind::OutcomeUnknown,
                        "The answer to a call was lost; resuming reads the request's state back \
                         from the Optimizer and continues without repeating what was done.",
                    )
                };
                self.needs_attention(kind, step, error, text).await
            }
            CallFailure::Failed(error) => {
                let error: DeskError = error.into();
                if error.code == "cancelled" {
                    return self
                        .needs_attention(
                            AttentionKind::Interrupted,
                            step,
                            error,
                            "The work was interrupted; resuming continues where it stopped.",
                        )
                        .await;
                }
                let text = format!(
                    "The {step} step failed ({}); fix the cause, then resume to try it again.",
                    error.code
                );
                self.needs_attention(AttentionKind::StepFailed, step, error, &text)
                    .await
            }
        }
    }

    /// Clears the previous error when the user acts again.
    pub(crate) fn clear_error(&mut self) {
        self.details.last_error = None;
        self.details.attention = None;
    }
}

/// Journaled remote calls of one flow. Several may run at once (the journal serialises its
/// writes); each one's intent is on disk before it starts and its outcome after it ends.
#[derive(Clone)]
pub(crate) struct Journaled {
    pub(crate) desk: Arc<DeskInner>,
    pub(crate) id: FlowId,
    pub(crate) cancel: CancellationToken,
}

impl Journaled {
    /// Makes a remote call with its journal intent written before and its outcome after. A
    /// non-idempotent call whose answer is lost (or that is interrupted) keeps its intent
    /// open: it must be reconciled by reading the state back, never repeated blindly.
    pub(crate) async fn call<T>(
        self,
        step: &str,
        remote_call: String,
        kind: CallKind,
        work: impl Future<Output = oneshot_client::Result<T>>,
    ) -> Result<T, CallFailure> {
        let journal = self.desk.journal.clone();
        let id = self.id;
        let step_name = step.to_string();
        let step_id = blocking(move || journal.begin_step(id, &step_name, &remote_call))
            .await
            .map_err(|e| CallFailure::Local(e.into()))?;
        let result = oneshot_client::cancellable(&self.cancel, work).await;
        let journal = self.desk.journal.clone();
        match result {
            Ok(value) => {
                blocking(move || journal.complete_step(step_id))
                    .await
                    .map_err(|e| CallFailure::Local(e.into()))?;
                Ok(value)
            }
            Err(error)
                if kind == CallKind::NonIdempotent
                    && (error.maybe_processed()
                        || error.code() == oneshot_client::ErrorCode::Cancelled) =>
            {
                Err(CallFailure::Unknown(error, step_id))
            }
            Err(error) => {
                let code = error.code().as_str();
                blocking(move || journal.fail_step(step_id, code))
                    .await
                    .map_err(|e| CallFailure::Local(e.into()))?;
                Err(CallFailure::Failed(error))
            }
        }
    }
}

pub(crate) fn working_dir(desk: &DeskInner, id: FlowId) -> PathBuf {
    desk.paths.data_dir.join("flows").join(id.to_string())
}
