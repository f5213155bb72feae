//! The identification's recording: recognised by its content (MP4, WebM, QuickTime, Matroska,
//! AVI, ... — whatever the name says), hashed by streaming, uploaded streamed, and downloaded
//! back for the RAO's review into a file written atomically.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::{NoticeLevel, ProgressThrottle, TransferDirection};
use crate::flow::model::{StepStatus, VideoFileSnapshot};
use crate::flow::prepare::absolute;
use crate::flow::routes::Call;
use crate::flow::run::{CallFailure, CallKind, FlowRun};
use crate::journal::{FileRole, NewFile};
use crate::output::{sha256_file, write_atomically};
use oneshot_client::TransferControl;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Bytes read to recognise a recording (every container's signature is within the first few).
const SNIFF_BYTES: usize = 8 * 1024;

/// The recording's media type found in its first bytes, and its size.
pub(crate) async fn sniff(path: &Path) -> DeskResult<(String, u64)> {
    let owned = path.to_path_buf();
    blocking(move || {
        let unreadable = |e: std::io::Error| {
            DeskError::new(
                "input.unreadable",
                format!("Cannot read {}", owned.display()),
            )
            .with_detail(e.to_string())
        };
        let mut file = std::fs::File::open(&owned).map_err(unreadable)?;
        let size = file.metadata().map_err(unreadable)?.len();
        if size == 0 {
            return Err(DeskError::new(
                "video.empty",
                format!("{} is empty", owned.display()),
            ));
        }
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        file.by_ref()
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(unreadable)?;
        match infer::get(&head) {
            Some(kind) if kind.matcher_type() == infer::MatcherType::Video => {
                Ok((kind.mime_type().to_string(), size))
            }
            other => Err(DeskError::new(
                "video.unsupported_type",
                format!("{} is not a video recording", owned.display()),
            )
            .with_detail(match other {
                Some(kind) => format!("its content is {}", kind.mime_type()),
                None => "its content is not a known video format".into(),
            })),
        }
    })
    .await
}

/// Checks a recording before it is sent: readable, not empty, a video by its content.
pub(crate) async fn check_video(path: &Path) -> DeskResult<VideoFileSnapshot> {
    let (media_type, _) = sniff(path).await?;
    let (sha256, size) = sha256_file(path).await?;
    Ok(VideoFileSnapshot {
        path: absolute(path),
        size,
        sha256,
        media_type,
        upload: StepStatus::Pending,
    })
}

/// The file name a recording is uploaded and saved under: the request and the extension of
/// its media type.
pub(crate) fn upload_name(media_type: &str, request_pk: u64) -> String {
    let extension = match media_type {
        "video/webm" => "webm",
        "video/quicktime" => "mov",
        "video/x-matroska" => "mkv",
        "video/x-msvideo" => "avi",
        "video/x-m4v" => "m4v",
        "video/x-flv" => "flv",
        "video/x-ms-wmv" => "wmv",
        "video/mpeg" => "mpg",
        _ => "mp4",
    };
    format!("VideoID {request_pk}.{extension}")
}

/// Downloads the identification's recording into `folder` (streamed into a temporary file,
/// flushed, then renamed without replacing anything), for the RAO's review.
pub(crate) async fn download(run: &mut FlowRun, folder: &Path) -> DeskResult<PathBuf> {
    let ids = run.video_ref()?;
    let client = run.client()?;
    tokio::fs::create_dir_all(folder).await.map_err(|e| {
        DeskError::new(
            "output.not_writable",
            format!("Cannot create {}", folder.display()),
        )
        .with_detail(e.to_string())
    })?;
    let media_type = run
        .details
        .videoid
        .as_ref()
        .and_then(|v| v.video.as_ref())
        .map(|v| v.media_type.clone())
        .unwrap_or_else(|| "video/mp4".into());
    let name = upload_name(&media_type, ids.request_pk.0);
    let throttle = ProgressThrottle::new(
        run.desk.sink.clone(),
        run.id(),
        name.clone(),
        TransferDirection::Download,
    );
    let control = TransferControl::new()
        .on_progress(move |p| throttle.report(p.done, p.total))
        .cancel_token(run.cancel.clone());
    run.set_activity(Some("downloading_video"));
    let call = run.describe(Call::DownloadVideo(ids.videoid_pk.0, ids.request_pk.0));
    // The download streams through a pipe into the atomic writer; the file gets its final name
    // only if the download completed (on failure the writer is dropped, and its temporary file
    // with it).
    let (mut sending, receiving) = tokio::io::duplex(64 * 1024);
    let writing = write_atomically(folder, &name, receiving, |_| {});
    tokio::pin!(writing);
    let download = async {
        let result = client
            .download_videoid_video(&ids, &mut sending, &control)
            .await;
        (result, sending)
    };
    let downloaded = run.call("download_video", call, CallKind::Idempotent, async {
        tokio::select! {
            (result, sending) = download => {
                result?;
                drop(sending);
                Ok(Ok(()))
            }
            written = &mut writing => Ok(Err(written)),
        }
    });
    // A download for the review changes nothing in the flow: a failure is only reported.
    let outcome = match downloaded.await {
        Ok(outcome) => outcome,
        Err(CallFailure::Local(error)) => return Err(error),
        Err(CallFailure::Failed(error) | CallFailure::Unknown(error, _)) => {
            return Err(run.plain_error(error.into()).await);
        }
    };
    let written = match outcome {
        Ok(()) => writing.await?,
        // The writer stopped first (a full disk): its error says why.
        Err(written) => {
            written?;
            return Err(DeskError::new(
                "download.truncated",
                "The recording's download ended early",
            ));
        }
    };
    run.record_file(NewFile {
        role: FileRole::Video,
        local_path: written.path.clone(),
        sha256: written.sha256,
        size: written.size,
        remote_uid: None,
    })
    .await?;
    run.notice(
        NoticeLevel::Info,
        "flow.file_saved",
        format!("Saved {}", written.path.display()),
    );
    Ok(written.path)
}
