//! Signed → Retrieved → Verified → Cleaned → Done: every signed document and the signed
//! contract are downloaded (into the flow's working folder), written atomically into the output
//! folder, checked there, and only then deleted from the Optimizer.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::{NoticeLevel, ProgressThrottle, TransferDirection};
use crate::flow::input::OutputChoice;
use crate::flow::model::{AttentionKind, FlowState, SignatureSummary, StepStatus};
use crate::flow::routes::Call;
use crate::flow::run::{CallKind, FlowRun};
use crate::journal::{FileRole, NewFile};
use crate::output::{FolderFields, Sha256Digest, starts_with_original, write_atomically};
use oneshot_client::{DocumentKind, DocumentUid, ErrorCode, TransferControl};
use std::path::{Path, PathBuf};

pub(crate) async fn retrieve(run: &mut FlowRun) -> DeskResult<()> {
    let folder = output_folder(run).await?;
    let client = run.client()?;
    let pk = run.pk()?;
    let downloads = run.working_dir().join("downloads");
    tokio::fs::create_dir_all(&downloads).await.map_err(|e| {
        DeskError::new(
            "flow.working_folder",
            format!("Cannot create {}", downloads.display()),
        )
        .with_detail(e.to_string())
    })?;
    for index in 0..run.details.documents.len() {
        if run.details.documents[index].save == StepStatus::Done {
            continue;
        }
        let document = run.details.documents[index].clone();
        let uid = document.remote_uid.clone().ok_or_else(|| {
            DeskError::new(
                "flow.internal",
                format!("{} was never uploaded", document.name),
            )
        })?;
        let partial = downloads.join(format!("{index}.pdf.part"));
        let control = transfer_control(run, &document.name);
        run.set_activity(Some("downloading"));
        let call = run.describe(Call::DownloadSigned(pk.0, &uid));
        let remote_uid = DocumentUid(uid.clone());
        if let Err(failure) = run
            .call(
                "download",
                call,
                CallKind::Idempotent,
                client.download_document_to_path(
                    pk,
                    &remote_uid,
                    DocumentKind::Signed,
                    &partial,
                    &control,
                ),
            )
            .await
        {
            return Err(run.call_failed("download", failure).await);
        }
        let saved = save(run, &partial, &folder, &document.name, Some(uid)).await?;
        let entry = &mut run.details.documents[index];
        entry.saved_path = Some(saved);
        entry.save = StepStatus::Done;
        entry.verify = StepStatus::Pending;
        run.save().await?;
    }
    if run.details.contract.save != StepStatus::Done {
        let partial = downloads.join("contract.pdf.part");
        let control = transfer_control(run, "contract");
        run.set_activity(Some("downloading"));
        let call = run.describe(Call::Contract(pk.0));
        if let Err(failure) = run
            .call(
                "download_contract",
                call,
                CallKind::Idempotent,
                client.download_contract_to_path(pk, &partial, &control),
            )
            .await
        {
            return Err(run.call_failed("download_contract", failure).await);
        }
        let name = format!("Service contract {pk}.pdf");
        let saved = save(run, &partial, &folder, &name, None).await?;
        run.details.contract.saved_path = Some(saved);
        run.details.contract.save = StepStatus::Done;
        run.details.contract.verify = StepStatus::Pending;
    }
    run.clear_error();
    run.enter(FlowState::Retrieved).await
}

fn transfer_control(run: &FlowRun, name: &str) -> TransferControl {
    let throttle = ProgressThrottle::new(
        run.desk.sink.clone(),
        run.id(),
        name.to_string(),
        TransferDirection::Download,
    );
    TransferControl::new()
        .on_progress(move |p| throttle.report(p.done, p.total))
        .cancel_token(run.cancel.clone())
}

/// Writes the downloaded file into the output folder (never replacing anything), records it,
/// and removes the working copy.
async fn save(
    run: &mut FlowRun,
    partial: &Path,
    folder: &Path,
    name: &str,
    remote_uid: Option<String>,
) -> DeskResult<PathBuf> {
    run.set_activity(Some("saving"));
    let source = tokio::fs::File::open(partial).await.map_err(|e| {
        DeskError::new("flow.working_folder", "The downloaded file disappeared")
            .with_detail(e.to_string())
    })?;
    let written = write_atomically(folder, name, source, |_| {}).await?;
    run.record_file(NewFile {
        role: FileRole::Signed,
        local_path: written.path.clone(),
        sha256: written.sha256,
        size: written.size,
        remote_uid,
    })
    .await?;
    let _ = tokio::fs::remove_file(partial).await;
    run.notice(
        NoticeLevel::Info,
        "flow.file_saved",
        format!("Saved {}", written.path.display()),
    );
    Ok(written.path)
}

async fn output_folder(run: &mut FlowRun) -> DeskResult<PathBuf> {
    if let Some(folder) = &run.details.output_folder {
        let folder = folder.clone();
        tokio::fs::create_dir_all(&folder).await.map_err(|e| {
            DeskError::new(
                "output.not_writable",
                format!("Cannot create the output folder {}", folder.display()),
            )
            .with_detail(e.to_string())
        })?;
        return Ok(folder);
    }
    let (base, pattern) = {
        let settings = run.desk.read_settings();
        let base = match &run.details.output {
            OutputChoice::Under(dir) | OutputChoice::Exactly(dir) => dir.clone(),
            OutputChoice::Settings => settings.output_folder(),
        };
        (base, settings.values().output.folder_pattern.clone())
    };
    let pk = run.pk()?.0 as i64;
    let date = jiff::Zoned::now().date();
    let given_name = run.details.given_name.clone();
    let surname = run.details.surname.clone();
    let folder = blocking(move || {
        pattern.create_request_folder(
            &base,
            &FolderFields {
                date,
                surname: &surname,
                given_name: &given_name,
                request_pk: pk,
            },
        )
    })
    .await?;
    run.details.output_folder = Some(folder.clone());
    run.save().await?;
    Ok(folder)
}

pub(crate) async fn verify(run: &mut FlowRun) -> DeskResult<()> {
    run.set_activity(Some("verifying"));
    let mut failed = Vec::new();
    for index in 0..run.details.documents.len() {
        let document = run.details.documents[index].clone();
        let Some(path) = document.saved_path.clone() else {
            continue;
        };
        let summary = check_signed_file(&path, &document.sha256, document.size).await?;
        let entry = &mut run.details.documents[index];
        entry.verify = if summary.passed() {
            StepStatus::Done
        } else {
            failed.push(document.name.clone());
            // Fetched again on resume; the file saved stays where it is.
            entry.save = StepStatus::Pending;
            StepStatus::Failed
        };
        entry.signature = Some(summary);
    }
    let contract = run.details.contract.clone();
    if let (Some(path), Some(sha256), Some(size)) =
        (contract.saved_path.clone(), contract.sha256, contract.size)
    {
        let summary = check_signed_file(&path, &sha256, size).await?;
        run.details.contract.verify = if summary.passed() {
            StepStatus::Done
        } else {
            failed.push("contract".to_string());
            run.details.contract.save = StepStatus::Pending;
            StepStatus::Failed
        };
        run.details.contract.signature = Some(summary);
    }
    if failed.is_empty() {
        run.clear_error();
        return run.enter(FlowState::Verified).await;
    }
    run.state = FlowState::Signed;
    let error = DeskError::new(
        "verify.failed",
        format!("The signature check failed for: {}", failed.join(", ")),
    );
    Err(run
        .needs_attention(
            AttentionKind::VerificationFailed,
            "verify",
            error,
            "A saved file did not pass the signature check, so nothing was deleted from the \
             Optimizer; resuming downloads it again (the file already saved is kept).",
        )
        .await)
}

/// What the signature check finds in a saved signed file: the last signature covers the whole
/// file and is intact, and the file begins with exactly the document that was sent.
pub(crate) async fn check_signed_file(
    path: &Path,
    original_sha256: &Sha256Digest,
    original_size: u64,
) -> DeskResult<SignatureSummary> {
    let owned = path.to_path_buf();
    let signatures = blocking(move || pdf_signature::read_signatures(&owned)).await;
    let preserved = starts_with_original(path, original_sha256, original_size).await?;
    let signatures = match signatures {
        Ok(signatures) => signatures,
        Err(error) => {
            return Ok(SignatureSummary {
                signer: None,
                signed_at: None,
                covers_whole_file: false,
                intact: false,
                original_preserved: preserved,
                pades_level: None,
                signature_count: 0,
                problem: Some(error.code().to_string()),
            });
        }
    };
    let last = signatures
        .iter()
        .rev()
        .find(|s| s.kind == pdf_signature::SignatureKind::Signature);
    Ok(match last {
        None => SignatureSummary {
            signer: None,
            signed_at: None,
            covers_whole_file: false,
            intact: false,
            original_preserved: preserved,
            pades_level: None,
            signature_count: signatures.len(),
            problem: Some("signature.none".to_string()),
        },
        Some(signature) => SignatureSummary {
            signer: signature.signer.as_ref().map(|c| c.display_name.clone()),
            signed_at: signature
                .timestamp
                .as_ref()
                .map(|t| t.gen_time)
                .or(signature.claimed_signing_time),
            covers_whole_file: signature.covers_whole_file,
            intact: signature.integrity.is_intact(),
            original_preserved: preserved && signature.signed_revision_length > original_size,
            pades_level: signature.pades_level.map(|l| l.name().to_string()),
            signature_count: signatures.len(),
            problem: (!signature.integrity.is_intact())
                .then(|| signature.integrity.code().to_string()),
        },
    })
}

pub(crate) async fn clean(run: &mut FlowRun) -> DeskResult<()> {
    let client = run.client()?;
    let pk = run.pk()?;
    run.set_activity(Some("cleaning"));
    let call = run.describe(Call::DeleteDocuments(pk.0));
    match run
        .call("delete", call, CallKind::Idempotent, async {
            match client.delete_all_documents(pk).await {
                // Deleted already (a retried delete whose first answer was lost).
                Err(error) if error.code() == ErrorCode::DocumentNotFound => Ok(()),
                other => other,
            }
        })
        .await
    {
        Ok(()) => {
            run.clear_error();
            run.enter(FlowState::Cleaned).await
        }
        Err(failure) => Err(run.call_failed("delete", failure).await),
    }
}

pub(crate) async fn finish(run: &mut FlowRun) -> DeskResult<()> {
    remove_working_dir(run).await;
    run.clear_error();
    run.enter(FlowState::Done).await?;
    let journal = run.desk.journal.clone();
    let id = run.id();
    blocking(move || journal.finish_request(id, "done")).await?;
    run.record = {
        let journal = run.desk.journal.clone();
        blocking(move || journal.request(id)).await?
    };
    Ok(())
}

/// Working files (review copy, downloads, the customer's data) go when the flow ends; the
/// output folder is never touched.
pub(crate) async fn remove_working_dir(run: &FlowRun) {
    let dir = run.working_dir();
    if let Err(error) = tokio::fs::remove_dir_all(&dir).await
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(flow = %run.id(), "cannot remove the working folder {}: {error}", dir.display());
    }
}
