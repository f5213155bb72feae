//! Settling a VideoID call whose answer was lost (its journal intent is still open): the
//! request's status is read back and says whether the call took effect. See the table in
//! `flow::reconcile`.

use super::{decision, external, status};
use crate::error::DeskResult;
use crate::events::NoticeLevel;
use crate::flow::model::{FlowState, StatusSource};
use crate::flow::run::FlowRun;
use crate::journal::StepRecord;
use oneshot_client::RequestStatus;

pub(crate) async fn settle(run: &mut FlowRun, step: &StepRecord) -> DeskResult<()> {
    let before = run.state;
    let record = status::read(run).await?;
    let performed = match (step.step.as_str(), &record.status) {
        ("evidences", RequestStatus::VideoPending) => false,
        ("evidences", _) => before == FlowState::VideoPending,
        ("video", RequestStatus::VideoReview) => true,
        ("video", _) => false,
        ("approve", RequestStatus::EnrollReady | RequestStatus::Issued) => true,
        ("approve", _) => false,
        ("refuse", RequestStatus::Cancelled) => true,
        _ => false,
    };
    run.close_step(
        step.id,
        if performed {
            Ok(())
        } else {
            Err("videoid.not_performed")
        },
    )
    .await?;
    run.notice(
        NoticeLevel::Info,
        "flow.reconciled",
        format!(
            "The lost {} call {} (the request is {})",
            step.step,
            if performed {
                "had taken effect"
            } else {
                "had not taken effect, or cannot be told apart from that"
            },
            record.status
        ),
    );
    match step.step.as_str() {
        "evidences" if performed => external::evidences_arrived(run).await?,
        "video" if performed => external::video_arrived(run).await?,
        "approve" if performed && before == FlowState::VideoReview => {
            return decision::approved(run, StatusSource::Polling).await;
        }
        "refuse" if performed => return decision::refused(run, StatusSource::Polling).await,
        "refuse" => {
            if let Some(video) = run.details.videoid.as_mut() {
                video.refusal_reason = None;
            }
        }
        _ => {}
    }
    if before.is_identification() {
        status::apply(run, &record, StatusSource::Polling).await?;
    }
    Ok(())
}
