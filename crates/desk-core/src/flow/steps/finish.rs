//! Signed → Retrieved → Verified → Cleaned → Done: every signed document and the signed
//! contract are downloaded (into the flow's working folder), written atomically into the output
//! folder, checked there, and only then deleted from the Optimizer.

use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::events::{NoticeLevel, ProgressThrottle, TransferDirection};
use crate::flow::input::OutputChoice;
use crate::flow::model::{AttentionKind, FlowState, SignatureSummary, StepStatus};
use crate::flow::routes::Call;
use crate::flow::run::{CallFailure, CallKind, FlowRun, Journaled};
use crate::journal::{FileRole, NewFile};
use crate::output::{
    FolderFields, HashingWriter, Sha256Digest, move_atomically, starts_with_original,
};
use oneshot_client::{Client, DocumentKind, DocumentUid, ErrorCode, RequestPk, TransferControl};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use tokio::task::JoinSet;

/// Signed files fetched at once: transfers overlap other files' saving and checking, and the
/// flushes to disk overlap each other (the disk takes several at once faster than one after the
/// other). A flow of ten documents and the contract, 5 MB each, went from ~220 ms with 4 at once
/// to ~170 ms with 8 (11 at once: no better); 8 keeps the Optimizer from being crowded.
const PARALLEL_DOWNLOADS: usize = 8;

/// A signed file to fetch.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// The document at this index of the flow's documents.
    Document(usize),
    Contract,
}

/// Everything one fetch needs, owned, so that several run at once as tasks of their own.
struct Fetch {
    target: Target,
    /// Journal step name.
    step: &'static str,
    /// The call as the journal describes it.
    call: String,
    /// The document's uid on the Optimizer (none for the contract).
    uid: Option<String>,
    /// The name it is saved under.
    name: String,
    /// What the signed copy must begin with.
    original: (Sha256Digest, u64),
    control: TransferControl,
}

/// A signed file saved in the output folder and checked there.
struct Fetched {
    target: Target,
    saved: PathBuf,
    summary: SignatureSummary,
}

/// Why a fetch stopped.
enum FetchFailure {
    Call(&'static str, CallFailure),
    Local(DeskError),
}

/// Downloads every signed file not saved yet (up to [`PARALLEL_DOWNLOADS`] at once), writes
/// each atomically into the output folder and checks the saved copy there. Each download is its
/// own journaled call; each file is recorded in the flow as soon as it is saved and checked, so
/// an interruption loses at most the transfers under way. Nothing is deleted here: the
/// Optimizer's copies go only after every file passed (`verify`, then `clean`).
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
    let mut queue = VecDeque::new();
    for (index, document) in run.details.documents.iter().enumerate() {
        if document.save == StepStatus::Done {
            continue;
        }
        let uid = document.remote_uid.clone().ok_or_else(|| {
            DeskError::new(
                "flow.internal",
                format!("{} was never uploaded", document.name),
            )
        })?;
        queue.push_back(Fetch {
            target: Target::Document(index),
            step: "download",
            call: run.describe(Call::DownloadSigned(pk.0, &uid)),
            uid: Some(uid),
            name: document.name.clone(),
            original: (document.sha256, document.size),
            control: transfer_control(run, &document.name),
        });
    }
    let contract = &run.details.contract;
    if contract.save != StepStatus::Done {
        let (Some(sha256), Some(size)) = (contract.sha256, contract.size) else {
            return Err(DeskError::new(
                "flow.internal",
                "The contract was never fetched for the review",
            ));
        };
        queue.push_back(Fetch {
            target: Target::Contract,
            step: "download_contract",
            call: run.describe(Call::Contract(pk.0)),
            uid: None,
            name: format!("Service contract {pk}.pdf"),
            original: (sha256, size),
            control: transfer_control(run, "contract"),
        });
    }

    run.set_activity(Some("downloading"));
    let mut running = JoinSet::new();
    let mut first_failure = None;
    loop {
        // After a failure nothing new starts; the transfers under way finish and are kept.
        while first_failure.is_none() && running.len() < PARALLEL_DOWNLOADS {
            let Some(fetch) = queue.pop_front() else {
                break;
            };
            let journaled = run.journaled();
            let (client, downloads, folder) = (client.clone(), downloads.clone(), folder.clone());
            running.spawn(async move {
                fetch_one(fetch, &journaled, &client, pk, (&downloads, &folder)).await
            });
        }
        let Some(joined) = running.join_next().await else {
            break;
        };
        let outcome = match joined {
            Ok(outcome) => outcome,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(error) => Err(FetchFailure::Local(
                DeskError::new("flow.internal", "A download stopped")
                    .with_detail(error.to_string()),
            )),
        };
        let recorded = match outcome {
            Ok(fetched) => record_fetched(run, fetched)
                .await
                .map_err(FetchFailure::Local),
            Err(failure) => Err(failure),
        };
        if let Err(failure) = recorded {
            first_failure.get_or_insert(failure);
        }
    }
    match first_failure {
        None => {
            run.clear_error();
            run.enter(FlowState::Retrieved).await
        }
        Some(FetchFailure::Local(error)) => Err(error),
        Some(FetchFailure::Call(step, failure)) => Err(run.call_failed(step, failure).await),
    }
}

/// Downloads one signed file into the flow's working folder (hashed as it arrives, then flushed
/// to disk), moves it into the output folder (renamed, or copied from another file system;
/// never on top of another file), records it in the journal's files and checks the saved copy.
/// An interrupted download leaves at most a temporary file in the working folder, which goes
/// with the flow; the output folder only ever sees complete files.
async fn fetch_one(
    fetch: Fetch,
    journaled: &Journaled,
    client: &Client,
    pk: RequestPk,
    (downloads, folder): (&Path, &Path),
) -> Result<Fetched, FetchFailure> {
    let Fetch {
        target,
        step,
        call,
        uid,
        name,
        original: (sha256, size),
        control,
    } = fetch;
    let local = |e: std::io::Error| {
        FetchFailure::Local(
            DeskError::new(
                "flow.working_folder",
                format!("Cannot write the download in {}", downloads.display()),
            )
            .with_detail(e.to_string()),
        )
    };
    // Owner-only (0600), like everything written for the customer.
    let (file, temp_path) = tempfile::Builder::new()
        .prefix("download-")
        .suffix(".part")
        .tempfile_in(downloads)
        .map_err(local)?
        .into_parts();
    let mut writer = HashingWriter::new(tokio::fs::File::from_std(file));
    let downloaded = match &uid {
        Some(uid) => {
            let uid = DocumentUid(uid.clone());
            let work =
                client.download_document(pk, &uid, DocumentKind::Signed, &mut writer, &control);
            journaled
                .clone()
                .call(step, call, CallKind::Idempotent, work)
                .await
        }
        None => {
            let work = client.download_contract(pk, &mut writer, &control);
            journaled
                .clone()
                .call(step, call, CallKind::Idempotent, work)
                .await
        }
    };
    downloaded.map_err(|failure| FetchFailure::Call(step, failure))?;
    let (digest, length) = writer.finish().await.map_err(local)?;
    let written = move_atomically(folder, &name, temp_path, digest, length)
        .await
        .map_err(|e| FetchFailure::Local(e.into()))?;
    let file = NewFile {
        role: FileRole::Signed,
        local_path: written.path.clone(),
        sha256: written.sha256,
        size: written.size,
        remote_uid: uid,
    };
    let journal = journaled.desk.journal.clone();
    let id = journaled.id;
    blocking(move || journal.record_file(id, &file))
        .await
        .map_err(|e| FetchFailure::Local(e.into()))?;
    let summary = check_signed_file(&written.path, &sha256, size)
        .await
        .map_err(FetchFailure::Local)?;
    Ok(Fetched {
        target,
        saved: written.path,
        summary,
    })
}

/// Records a saved and checked file in the flow. A copy that fails the check stays saved and
/// is marked failed: `verify` stops the flow before anything is deleted.
async fn record_fetched(run: &mut FlowRun, fetched: Fetched) -> DeskResult<()> {
    let verify = if fetched.summary.passed() {
        StepStatus::Done
    } else {
        StepStatus::Failed
    };
    let shown = fetched.saved.display().to_string();
    match fetched.target {
        Target::Document(index) => {
            let entry = &mut run.details.documents[index];
            entry.saved_path = Some(fetched.saved);
            entry.save = StepStatus::Done;
            entry.verify = verify;
            entry.signature = Some(fetched.summary);
        }
        Target::Contract => {
            let contract = &mut run.details.contract;
            contract.saved_path = Some(fetched.saved);
            contract.save = StepStatus::Done;
            contract.verify = verify;
            contract.signature = Some(fetched.summary);
        }
    }
    run.notice(
        NoticeLevel::Info,
        "flow.file_saved",
        format!("Saved {shown}"),
    );
    run.save().await
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

/// Every signed file passed its check (made as it was saved; files saved but not checked yet,
/// by an interrupted retrieval, are checked here), or the flow stops before anything is deleted.
pub(crate) async fn verify(run: &mut FlowRun) -> DeskResult<()> {
    run.set_activity(Some("verifying"));
    for index in 0..run.details.documents.len() {
        let document = run.details.documents[index].clone();
        let Some(path) = document.saved_path.clone() else {
            continue;
        };
        if document.verify != StepStatus::Pending {
            continue;
        }
        let summary = check_signed_file(&path, &document.sha256, document.size).await?;
        let entry = &mut run.details.documents[index];
        entry.verify = if summary.passed() {
            StepStatus::Done
        } else {
            StepStatus::Failed
        };
        entry.signature = Some(summary);
    }
    let contract = run.details.contract.clone();
    if let (Some(path), Some(sha256), Some(size), StepStatus::Pending) = (
        contract.saved_path.clone(),
        contract.sha256,
        contract.size,
        contract.verify,
    ) {
        let summary = check_signed_file(&path, &sha256, size).await?;
        run.details.contract.verify = if summary.passed() {
            StepStatus::Done
        } else {
            StepStatus::Failed
        };
        run.details.contract.signature = Some(summary);
    }
    let mut failed = Vec::new();
    for entry in &mut run.details.documents {
        if entry.verify == StepStatus::Failed {
            failed.push(entry.name.clone());
            // Fetched again on resume; the file saved stays where it is.
            entry.save = StepStatus::Pending;
        }
    }
    if run.details.contract.verify == StepStatus::Failed {
        failed.push("contract".to_string());
        run.details.contract.save = StepStatus::Pending;
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
