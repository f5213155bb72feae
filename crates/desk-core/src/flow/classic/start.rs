//! Starting a classic flow: every check that can be made before anything is sent, then the
//! flow is journaled (state `draft`) with its working folder.

use crate::customer::validate_customer;
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::FlowId;
use crate::flow::details::{DETAILS_FORMAT, FlowDetails};
use crate::flow::input::{ClassicInput, IdImages};
use crate::flow::model::{ContractSnapshot, OtpSnapshot};
use crate::flow::prepare::{self, absolute};
use crate::flow::run::working_dir;
use crate::journal::{ApiLayout, FileRole, FlowKind, NewFile, NewRequest};
use crate::output::sha256_file;
use oneshot_client::{Layout, TokenUid};
use std::collections::HashSet;

pub(crate) async fn journal_new_flow(
    desk: &DeskInner,
    input: ClassicInput,
) -> DeskResult<(FlowId, TokenUid)> {
    let issues = validate_customer(&input.customer);
    if !issues.is_empty() {
        return Err(customer_invalid(&issues));
    }
    let customer = input.customer.normalised();
    if input.documents.is_empty() {
        return Err(DeskError::new(
            "flow.no_documents",
            "Choose at least one document to sign",
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
    let documents = prepare::check_documents(&input.documents, &mut HashSet::new()).await?;
    prepare::check_output(desk, &input.output).await?;

    let (url, layout) = resolve_layout(desk).await?;
    let (token, token_label) = desk.resolve_token(&input.token).await?;

    let signing = prepare::signing_method(desk, input.signing.clone());
    let appearance = prepare::appearance(desk, input.appearance.clone());
    let id_images = IdImages {
        front: input.id_images.front.as_deref().map(absolute),
        rear: input.id_images.rear.as_deref().map(absolute),
        selfie: input.id_images.selfie.as_deref().map(absolute),
    };
    let (output, output_folder) = prepare::output(input.output);
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
        output,
        output_folder,
        appearance,
        token_label,
        id_images: id_images.clone(),
        last_error: None,
        attention: None,
        practice: input.practice,
        signed_at: None,
        videoid: None,
        asynchronous: false,
        signing_queued_at: None,
    };
    let id = journal(
        desk,
        url,
        layout,
        FlowKind::Classic,
        &customer.display_name(),
        &details,
    )
    .await?;
    prepare::write_private(
        &working_dir(desk, id),
        super::create::CUSTOMER_FILE,
        &customer,
    )
    .await?;
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

/// `customer.invalid` with one `field: code` per problem.
pub(crate) fn customer_invalid(issues: &[crate::customer::FieldIssue]) -> DeskError {
    let detail = issues
        .iter()
        .map(|i| format!("{}: {}", i.field, i.code))
        .collect::<Vec<_>>()
        .join("; ");
    DeskError::new(
        "customer.invalid",
        "The customer's data is incomplete or wrong",
    )
    .with_detail(detail)
}

/// The configured Optimizer and its layout, resolved now (one probe for `auto`): a flow keeps
/// talking to the layout it started in.
pub(crate) async fn resolve_layout(desk: &DeskInner) -> DeskResult<(String, ApiLayout)> {
    let (url, client) = desk.configured_client()?;
    let layout = match client.layout().await? {
        Layout::Current => ApiLayout::Current,
        Layout::Legacy => ApiLayout::Legacy,
    };
    Ok((url, layout))
}

/// Journals a new flow in `draft` with its details.
pub(crate) async fn journal(
    desk: &DeskInner,
    url: String,
    layout: ApiLayout,
    kind: FlowKind,
    display_name: &str,
    details: &FlowDetails,
) -> DeskResult<FlowId> {
    let json = serde_json::to_string(details).map_err(|e| {
        DeskError::new("flow.internal", "The flow's details cannot be written")
            .with_detail(e.to_string())
    })?;
    let new = NewRequest {
        optimizer_url: url,
        layout,
        flow_kind: kind,
        state: "draft".to_string(),
        customer_display_name: display_name.to_string(),
    };
    let journal = desk.journal.clone();
    blocking(move || {
        let id = journal.create_request(&new)?;
        journal.save_flow(id, "draft", DETAILS_FORMAT, &json)?;
        Ok::<_, DeskError>(id)
    })
    .await
}
