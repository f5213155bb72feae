//! Created → Uploaded → ContractFetched: the documents (at most ten per call, each call its own
//! journaled step) and the contract for the review.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::{ProgressThrottle, TransferDirection};
use crate::flow::model::{FlowState, StepStatus};
use crate::flow::prepare::joined;
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::journal::{FileRole, NewFile};
use crate::output::sha256_file;
use oneshot_client::{FileInput, MAX_DOCUMENTS_PER_CALL, TransferControl};

pub(crate) async fn upload(run: &mut FlowRun) -> DeskResult<()> {
    let client = run.client()?;
    let pk = run.pk()?;
    loop {
        let batch: Vec<usize> = run
            .details
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| d.remote_uid.is_none())
            .map(|(i, _)| i)
            .take(MAX_DOCUMENTS_PER_CALL)
            .collect();
        if batch.is_empty() {
            break;
        }
        // What is sent must be what was checked and hashed: the signed copies are verified
        // against these hashes later. The files are hashed in parallel.
        let hashes: Vec<_> = batch
            .iter()
            .map(|&i| {
                let path = run.details.documents[i].original_path.clone();
                tokio::spawn(async move { Ok(sha256_file(&path).await?) })
            })
            .collect();
        for (&i, hash) in batch.iter().zip(hashes) {
            let (sha256, size) = joined(hash.await)?;
            let document = &run.details.documents[i];
            if sha256 != document.sha256 || size != document.size {
                let error = DeskError::new(
                    "input.changed",
                    format!(
                        "{} changed since the flow started; cancel and start again",
                        document.original_path.display()
                    ),
                );
                return Err(run
                    .needs_attention(
                        crate::flow::model::AttentionKind::StepFailed,
                        "upload",
                        error,
                        "A document changed on disk after it was checked; the desk will not send \
                         a different file than the one it verified.",
                    )
                    .await);
            }
        }
        let files: Vec<FileInput> = batch
            .iter()
            .map(|&i| {
                let d = &run.details.documents[i];
                FileInput::path(&d.original_path).with_file_name(&d.name)
            })
            .collect();
        let label = batch
            .iter()
            .map(|&i| run.details.documents[i].name.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let throttle = ProgressThrottle::new(
            run.desk.sink.clone(),
            run.id(),
            label,
            TransferDirection::Upload,
        );
        let control = TransferControl::new()
            .on_progress(move |p| throttle.report(p.done, p.total))
            .cancel_token(run.cancel.clone());
        run.set_activity(Some("uploading"));
        let call = run.describe(Call::Upload(pk.0));
        let uploaded = match run
            .call(
                "upload",
                call,
                CallKind::NonIdempotent,
                client.upload_documents(pk, &files, &control),
            )
            .await
        {
            Ok(uploaded) => uploaded,
            Err(failure) => return Err(run.call_failed("upload", failure).await),
        };
        if uploaded.len() != batch.len() {
            return Err(DeskError::new(
                "optimizer.bad_response",
                format!(
                    "The Optimizer answered {} uids for {} documents",
                    uploaded.len(),
                    batch.len()
                ),
            ));
        }
        // The batch's files in one journal transaction, then the flow's details.
        let files: Vec<NewFile> = batch
            .iter()
            .zip(uploaded)
            .map(|(&i, document)| set_uploaded(run, i, document.uid.0))
            .collect();
        let journal = run.desk.journal.clone();
        let id = run.id();
        blocking(move || journal.record_files(id, &files)).await?;
        run.save().await?;
    }
    run.clear_error();
    run.enter(FlowState::Uploaded).await
}

/// Records document `index` as uploaded under `uid` (in the journal's files too).
pub(crate) async fn mark_uploaded(run: &mut FlowRun, index: usize, uid: String) -> DeskResult<()> {
    let file = set_uploaded(run, index, uid);
    run.record_file(file).await
}

/// Marks document `index` uploaded under `uid` in the flow; returns its journal file record.
fn set_uploaded(run: &mut FlowRun, index: usize, uid: String) -> NewFile {
    let document = &mut run.details.documents[index];
    document.remote_uid = Some(uid.clone());
    document.upload = StepStatus::Done;
    NewFile {
        role: FileRole::Original,
        local_path: document.original_path.clone(),
        sha256: document.sha256,
        size: document.size,
        remote_uid: Some(uid),
    }
}

pub(crate) async fn fetch_contract(run: &mut FlowRun) -> DeskResult<()> {
    let client = run.client()?;
    let pk = run.pk()?;
    let dir = run.working_dir();
    tokio::fs::create_dir_all(&dir).await.map_err(|e| {
        DeskError::new(
            "flow.working_folder",
            format!("Cannot create {}", dir.display()),
        )
        .with_detail(e.to_string())
    })?;
    let partial = dir.join("contract.pdf.part");
    let path = dir.join("contract.pdf");
    let throttle = ProgressThrottle::new(
        run.desk.sink.clone(),
        run.id(),
        "contract".to_string(),
        TransferDirection::Download,
    );
    let control = TransferControl::new()
        .on_progress(move |p| throttle.report(p.done, p.total))
        .cancel_token(run.cancel.clone());
    run.set_activity(Some("downloading_contract"));
    let call = run.describe(Call::Contract(pk.0));
    if let Err(failure) = run
        .call(
            "contract",
            call,
            CallKind::Idempotent,
            client.download_contract_to_path(pk, &partial, &control),
        )
        .await
    {
        return Err(run.call_failed("contract", failure).await);
    }
    tokio::fs::rename(&partial, &path).await.map_err(|e| {
        DeskError::new(
            "flow.working_folder",
            "Cannot keep the contract for the review",
        )
        .with_detail(e.to_string())
    })?;
    let (sha256, size) = sha256_file(&path).await?;
    run.details.contract.review_path = Some(path.clone());
    run.details.contract.sha256 = Some(sha256);
    run.details.contract.size = Some(size);
    run.record_file(NewFile {
        role: FileRole::Contract,
        local_path: path,
        sha256,
        size,
        remote_uid: None,
    })
    .await?;
    run.clear_error();
    run.enter(FlowState::ContractFetched).await
}
