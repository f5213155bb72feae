//! Starting a classic flow: every check that can be made before anything is sent, then the
//! flow is journaled (state `draft`) with its working folder.

use crate::customer::{CustomerDraft, validate_customer};
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::FlowId;
use crate::flow::details::{DETAILS_FORMAT, FlowDetails};
use crate::flow::input::{AppearanceSpec, ClassicInput, IdImages, OutputChoice, SigningMethod};
use crate::flow::model::{ContractSnapshot, DocumentSnapshot, OtpSnapshot, StepStatus};
use crate::flow::run::working_dir;
use crate::journal::{ApiLayout, FileRole, FlowKind, NewFile, NewRequest};
use crate::output::{numbered_name, sanitize_file_name, sha256_file};
use oneshot_client::{Layout, TokenUid};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Most documents one flow carries (the Optimizer's per-request cap is undocumented; 50 is the
/// simulator's and leaves room for any desk case).
const MAX_DOCUMENTS: usize = 50;

pub(super) async fn journal_new_flow(
    desk: &DeskInner,
    input: ClassicInput,
) -> DeskResult<(FlowId, TokenUid)> {
    let issues = validate_customer(&input.customer);
    if !issues.is_empty() {
        let detail = issues
            .iter()
            .map(|i| format!("{}: {}", i.field, i.code))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(DeskError::new(
            "customer.invalid",
            "The customer's data is incomplete or wrong",
        )
        .with_detail(detail));
    }
    let customer = input.customer.normalised();
    if input.documents.is_empty() {
        return Err(DeskError::new(
            "flow.no_documents",
            "Choose at least one document to sign",
        ));
    }
    if input.documents.len() > MAX_DOCUMENTS {
        return Err(DeskError::new(
            "flow.too_many_documents",
            format!("At most {MAX_DOCUMENTS} documents can be signed in one request"),
        ));
    }
    for image in [
        &input.id_images.front,
        &input.id_images.rear,
        &input.id_images.selfie,
    ]
    .into_iter()
    .flatten()
    {
        let path = image.clone();
        blocking(move || crate::inputs::check_id_image(&path)).await?;
    }
    let mut documents = Vec::new();
    let mut names = HashSet::new();
    for path in &input.documents {
        let owned = path.clone();
        blocking(move || crate::inputs::check_document(&owned)).await?;
        let (sha256, size) = sha256_file(path).await?;
        documents.push(DocumentSnapshot {
            name: unique_name(path, &mut names),
            size,
            sha256,
            original_path: absolute(path),
            remote_uid: None,
            upload: StepStatus::Pending,
            sign: StepStatus::Pending,
            save: StepStatus::Pending,
            verify: StepStatus::Pending,
            saved_path: None,
            signature: None,
        });
    }
    check_output(desk, &input.output).await?;

    let (url, client) = desk.configured_client()?;
    // Resolves `auto` now (one probe): the flow keeps talking to the layout it started in.
    let layout = match client.layout().await? {
        Layout::Current => ApiLayout::Current,
        Layout::Legacy => ApiLayout::Legacy,
    };
    let (token, token_label) = desk.resolve_token(&input.token).await?;

    let settings = desk.read_settings().values().clone();
    let signing =
        input
            .signing
            .clone()
            .unwrap_or_else(|| match &settings.signing.ext_unlock_type {
                Some(kind) => SigningMethod::External {
                    unlock_type: kind.as_str().to_string(),
                },
                None => SigningMethod::Otp {
                    delivery: settings.signing.otp_delivery.as_str().to_string(),
                },
            });
    let appearance = input.appearance.clone().unwrap_or_else(|| AppearanceSpec {
        text: settings.signing.appearance.text.clone(),
        page: settings.signing.appearance.page,
        position: settings.signing.appearance.position.to_string(),
    });
    let id_images = IdImages {
        front: input.id_images.front.as_deref().map(absolute),
        rear: input.id_images.rear.as_deref().map(absolute),
        selfie: input.id_images.selfie.as_deref().map(absolute),
    };
    let output_folder = match &input.output {
        OutputChoice::Exactly(dir) => Some(absolute(dir)),
        _ => None,
    };
    let details = FlowDetails {
        given_name: customer.given_name.clone(),
        surname: [Some(customer.surname_1.clone()), customer.surname_2.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        documents,
        contract: ContractSnapshot::default(),
        otp: OtpSnapshot::default(),
        signing,
        output: match input.output {
            OutputChoice::Settings => OutputChoice::Settings,
            OutputChoice::Under(dir) => OutputChoice::Under(absolute(&dir)),
            OutputChoice::Exactly(dir) => OutputChoice::Exactly(absolute(&dir)),
        },
        output_folder,
        appearance,
        token_label,
        id_images: id_images.clone(),
        last_error: None,
        attention: None,
        practice: input.practice,
        signed_at: None,
    };
    let json = serde_json::to_string(&details).map_err(|e| {
        DeskError::new("flow.internal", "The flow's details cannot be written")
            .with_detail(e.to_string())
    })?;
    let new = NewRequest {
        optimizer_url: url,
        layout,
        flow_kind: FlowKind::Classic,
        state: "draft".to_string(),
        customer_display_name: customer.display_name(),
    };
    let journal = desk.journal.clone();
    let id = blocking(move || {
        let id = journal.create_request(&new)?;
        journal.save_flow(id, "draft", DETAILS_FORMAT, &json)?;
        Ok::<_, DeskError>(id)
    })
    .await?;
    write_customer(&working_dir(desk, id), &customer).await?;
    for path in [id_images.front, id_images.rear, id_images.selfie]
        .into_iter()
        .flatten()
    {
        let (sha256, size) = sha256_file(&path).await?;
        let journal = desk.journal.clone();
        blocking(move || {
            journal.record_file(
                id,
                &NewFile {
                    role: FileRole::IdImage,
                    local_path: path,
                    sha256,
                    size,
                    remote_uid: None,
                },
            )
        })
        .await?;
    }
    tracing::info!(flow = %id, "classic flow journaled");
    Ok((id, token))
}

/// The customer's identity data, kept in the flow's working folder (readable by the user
/// only) until the request exists: a create that must be made again needs it.
async fn write_customer(dir: &Path, customer: &CustomerDraft) -> DeskResult<()> {
    tokio::fs::create_dir_all(dir).await.map_err(|e| {
        DeskError::new(
            "flow.working_folder",
            format!("Cannot create {}", dir.display()),
        )
        .with_detail(e.to_string())
    })?;
    let json = serde_json::to_vec_pretty(customer).map_err(|e| {
        DeskError::new("flow.internal", "The customer cannot be written").with_detail(e.to_string())
    })?;
    let written =
        crate::output::write_atomically(dir, super::create::CUSTOMER_FILE, &json[..], |_| {})
            .await?;
    if written.path.file_name() != Some(std::ffi::OsStr::new(super::create::CUSTOMER_FILE)) {
        return Err(DeskError::new(
            "flow.working_folder",
            format!("{} already holds another customer", dir.display()),
        ));
    }
    Ok(())
}

/// The output folder must exist or be creatable, and writable, before anything is sent.
async fn check_output(desk: &DeskInner, choice: &OutputChoice) -> DeskResult<()> {
    let base = match choice {
        OutputChoice::Settings => desk.read_settings().output_folder(),
        OutputChoice::Under(dir) | OutputChoice::Exactly(dir) => dir.clone(),
    };
    blocking(move || {
        std::fs::create_dir_all(&base)
            .and_then(|()| {
                tempfile::Builder::new()
                    .prefix(".oneshot-desk-probe-")
                    .tempfile_in(&base)
            })
            .map(drop)
            .map_err(|e| {
                DeskError::new(
                    "output.not_writable",
                    format!("The output folder {} cannot be written", base.display()),
                )
                .with_detail(e.to_string())
            })
    })
    .await
}

/// The file's name, made safe, numbered when another document of the flow has it already:
/// names identify uploads when an answer is lost, so they must be unique.
fn unique_name(path: &Path, taken: &mut HashSet<String>) -> String {
    let raw = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut name = sanitize_file_name(&raw, "document.pdf");
    if !name.to_ascii_lowercase().ends_with(".pdf") {
        name.push_str(".pdf");
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = numbered_name(&name, n);
        n += 1;
    }
    candidate
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_within_a_flow() {
        let mut taken = HashSet::new();
        let names: Vec<String> = ["/a/x.pdf", "/b/x.pdf", "/c/X.PDF", "/d/report"]
            .iter()
            .map(|p| unique_name(Path::new(p), &mut taken))
            .collect();
        assert_eq!(names, ["x.pdf", "x (2).pdf", "X (3).PDF", "report.pdf"]);
    }
}
