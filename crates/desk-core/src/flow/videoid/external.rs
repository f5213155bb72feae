//! An external identification's uploads: the evidences (JSON, images in base64) and the
//! recording (streamed from disk), each its own journaled step, each followed by reading the
//! request's status back (all evidences and the video: `VIDEOREVIEW`; part of them:
//! `VIDEOINCOMPLETE`; a failed check: `VIDEOERROR`).

use super::EVIDENCES_FILE;
use super::status;
use crate::customer::CustomerDraft;
use crate::error::{DeskError, DeskResult};
use crate::events::{ProgressThrottle, TransferDirection};
use crate::evidences::EvidencesInput;
use crate::flow::classic::create::CUSTOMER_FILE;
use crate::flow::model::{AttentionKind, FlowState, StatusSource, StepStatus};
use crate::flow::ops::wrong_state;
use crate::flow::prepare::{read_private, write_private};
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::journal::{FileRole, FlowKind, NewFile};
use oneshot_client::{FileInput, TransferControl};
use std::path::PathBuf;

/// Uploads the next thing an external identification still has to send. Returns whether it
/// did something (the flow's state may have moved).
pub(crate) async fn upload_next(run: &mut FlowRun) -> DeskResult<bool> {
    if run.record.flow_kind != FlowKind::VideoidExternal {
        return Ok(false);
    }
    let Some(video) = run.details.videoid.clone() else {
        return Ok(false);
    };
    if video.evidences != StepStatus::Done
        && tokio::fs::try_exists(run.working_dir().join(EVIDENCES_FILE))
            .await
            .unwrap_or(false)
    {
        upload_evidences(run).await?;
        return Ok(true);
    }
    if video
        .video
        .as_ref()
        .is_some_and(|v| v.upload != StepStatus::Done)
    {
        upload_video(run).await?;
        return Ok(true);
    }
    Ok(false)
}

/// New evidences and/or a new recording for an external identification still open (the first
/// ones, or corrections after `VIDEOINCOMPLETE` / `VIDEOERROR`); they are uploaded next.
pub(crate) async fn provide(
    run: &mut FlowRun,
    evidences: Option<EvidencesInput>,
    video: Option<PathBuf>,
) -> DeskResult<()> {
    if run.record.flow_kind != FlowKind::VideoidExternal {
        return Err(DeskError::new(
            "videoid.not_external",
            "Evidences and a recording belong to an external identification",
        ));
    }
    if !matches!(
        run.state,
        FlowState::Draft
            | FlowState::VideoPending
            | FlowState::VideoIncomplete
            | FlowState::VideoError
    ) {
        return Err(wrong_state(run, "provide evidences"));
    }
    if evidences.is_none() && video.is_none() {
        return Err(DeskError::new(
            "evidences.missing",
            "Give the evidences, the recording, or both",
        ));
    }
    if let Some(evidences) = evidences {
        let resolved = evidences.resolved_against(&std::env::current_dir().unwrap_or_default());
        let checked = resolved.clone();
        crate::desk::blocking(move || crate::evidences::check(&checked)).await?;
        let dir = run.working_dir();
        // The previous evidences are replaced, never kept beside the new ones.
        let _ = tokio::fs::remove_file(dir.join(EVIDENCES_FILE)).await;
        write_private(&dir, EVIDENCES_FILE, &resolved).await?;
        run.details.videoid.get_or_insert_default().evidences = StepStatus::Pending;
    }
    if let Some(path) = video {
        let checked = super::video::check_video(&path).await?;
        run.record_file(NewFile {
            role: FileRole::Video,
            local_path: checked.path.clone(),
            sha256: checked.sha256,
            size: checked.size,
            remote_uid: None,
        })
        .await?;
        run.details.videoid.get_or_insert_default().video = Some(checked);
    }
    run.clear_error();
    run.save().await
}

async fn upload_evidences(run: &mut FlowRun) -> DeskResult<()> {
    let dir = run.working_dir();
    let evidences: EvidencesInput = read_private(&dir, EVIDENCES_FILE)
        .await?
        .ok_or_else(|| DeskError::new("evidences.missing", "The evidences are not there"))?;
    let customer: CustomerDraft = read_private(&dir, CUSTOMER_FILE).await?.unwrap_or_default();
    let body = match crate::evidences::to_upload(
        &evidences,
        &customer.mobile_phone_number,
        &customer.email,
    )
    .await
    {
        Ok(body) => body,
        Err(error) => {
            return Err(run
                .needs_attention(
                    AttentionKind::StepFailed,
                    "evidences",
                    error,
                    "The evidences cannot be sent as they are (a file changed or is missing); \
                     provide them again.",
                )
                .await);
        }
    };
    let client = run.client()?;
    let ids = run.video_ref()?;
    run.set_activity(Some("uploading_evidences"));
    let call = run.describe(Call::Evidences(ids.videoid_pk.0, ids.request_pk.0));
    if let Err(failure) = run
        .call(
            "evidences",
            call,
            CallKind::NonIdempotent,
            client.upload_videoid_evidences(&ids, &body),
        )
        .await
    {
        return Err(run.call_failed("evidences", failure).await);
    }
    evidences_arrived(run).await?;
    status::refresh(run, StatusSource::Answer).await
}

/// Records the evidences as uploaded; their identity data leaves the computer's disk.
pub(crate) async fn evidences_arrived(run: &mut FlowRun) -> DeskResult<()> {
    run.details.videoid.get_or_insert_default().evidences = StepStatus::Done;
    let _ = tokio::fs::remove_file(run.working_dir().join(EVIDENCES_FILE)).await;
    run.clear_error();
    run.save().await
}

async fn upload_video(run: &mut FlowRun) -> DeskResult<()> {
    let Some(video) = run.details.videoid.as_ref().and_then(|v| v.video.clone()) else {
        return Ok(());
    };
    // What is sent must be what was checked (a recording is too large to hash twice: its size
    // and its first bytes' type are checked again).
    let again = super::video::sniff(&video.path).await;
    if !matches!(&again, Ok((kind, size)) if *size == video.size && *kind == video.media_type) {
        let error = DeskError::new(
            "input.changed",
            format!(
                "{} changed since it was chosen; choose it again",
                video.path.display()
            ),
        );
        return Err(run
            .needs_attention(
                AttentionKind::StepFailed,
                "video",
                error,
                "The recording changed on disk after it was checked; provide it again.",
            )
            .await);
    }
    let client = run.client()?;
    let ids = run.video_ref()?;
    let name = super::video::upload_name(&video.media_type, ids.request_pk.0);
    let throttle = ProgressThrottle::new(
        run.desk.sink.clone(),
        run.id(),
        name.clone(),
        TransferDirection::Upload,
    );
    let control = TransferControl::new()
        .on_progress(move |p| throttle.report(p.done, p.total))
        .cancel_token(run.cancel.clone());
    run.set_activity(Some("uploading_video"));
    let call = run.describe(Call::Video(ids.videoid_pk.0, ids.request_pk.0));
    let file = FileInput::path(&video.path).with_file_name(&name);
    if let Err(failure) = run
        .call(
            "video",
            call,
            CallKind::NonIdempotent,
            client.upload_videoid_video(&ids, &file, &control),
        )
        .await
    {
        return Err(run.call_failed("video", failure).await);
    }
    video_arrived(run).await?;
    status::refresh(run, StatusSource::Answer).await
}

/// Records the recording as uploaded.
pub(crate) async fn video_arrived(run: &mut FlowRun) -> DeskResult<()> {
    if let Some(video) = run.details.videoid.as_mut().and_then(|v| v.video.as_mut()) {
        video.upload = StepStatus::Done;
    }
    run.clear_error();
    run.save().await
}
