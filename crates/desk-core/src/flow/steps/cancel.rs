//! Cancelling a flow before signing: the request (and its documents) are removed from the
//! Optimizer, the working files deleted, the flow marked cancelled.

use super::finish::remove_working_dir;
use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::flow::model::FlowState;
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use oneshot_client::ErrorCode;

pub(crate) async fn cancel(run: &mut FlowRun) -> DeskResult<()> {
    if run.state.is_final() {
        return Ok(());
    }
    if run.state.is_signed() {
        return Err(DeskError::new(
            "flow.already_signed",
            "The documents are signed: the flow can only be finished (resume), so the signed \
             files are kept",
        ));
    }
    if run.record.request_pk.is_some() {
        let client = run.client()?;
        let pk = run.pk()?;
        run.set_activity(Some("cancelling"));
        let call = run.describe(Call::CancelRequest(pk.0));
        let outcome = run
            .call("cancel", call, CallKind::Idempotent, async {
                match client.cancel_request(pk).await {
                    Err(error) if error.code() == ErrorCode::RequestNotFound => Ok(()),
                    // An Optimizer without the cancel call: at least remove the documents.
                    Err(error) if error.code() == ErrorCode::OptimizerUnsupportedOperation => {
                        match client.delete_all_documents(pk).await {
                            Err(e) if e.code() == ErrorCode::DocumentNotFound => Ok(()),
                            other => other,
                        }
                    }
                    other => other,
                }
            })
            .await;
        if let Err(failure) = outcome {
            return Err(run.call_failed("cancel", failure).await);
        }
    }
    let journal = run.desk.journal.clone();
    let id = run.id();
    let pending = blocking(move || journal.pending_steps(id)).await?;
    for step in pending {
        run.close_step(step.id, Err("flow.cancelled")).await?;
    }
    remove_working_dir(run).await;
    run.clear_error();
    run.enter(FlowState::Cancelled).await?;
    let journal = run.desk.journal.clone();
    blocking(move || journal.finish_request(id, "cancelled")).await?;
    let journal = run.desk.journal.clone();
    run.record = blocking(move || journal.request(id)).await?;
    Ok(())
}
