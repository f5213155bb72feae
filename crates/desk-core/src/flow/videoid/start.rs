//! Starting a VideoID flow: the customer's contact data, an external identification's evidences
//! and recording, and the documents (if already chosen) are checked, then the flow is journaled
//! (state `draft`). The documents may also be chosen later, until they are uploaded.

use super::EVIDENCES_FILE;
use crate::customer::validate_videoid_customer;
use crate::desk::{DeskInner, blocking};
use crate::error::{DeskError, DeskResult};
use crate::flow::FlowId;
use crate::flow::classic::create::CUSTOMER_FILE;
use crate::flow::classic::start::{customer_invalid, journal, resolve_layout};
use crate::flow::details::FlowDetails;
use crate::flow::input::{IdImages, TokenChoice, VideoIdInput, VideoIdKind};
use crate::flow::model::{ContractSnapshot, FlowState, OtpSnapshot, VideoIdSnapshot};
use crate::flow::ops::wrong_state;
use crate::flow::prepare;
use crate::flow::run::{FlowRun, working_dir};
use crate::journal::{FileRole, FlowKind, NewFile};
use std::collections::HashSet;
use std::path::PathBuf;

pub(crate) async fn journal_new_flow(desk: &DeskInner, input: VideoIdInput) -> DeskResult<FlowId> {
    let issues = validate_videoid_customer(&input.customer);
    if !issues.is_empty() {
        return Err(customer_invalid(&issues));
    }
    let customer = input.customer.normalised();
    if input.kind == VideoIdKind::Eidas && (input.evidences.is_some() || input.video.is_some()) {
        return Err(DeskError::new(
            "videoid.not_external",
            "Evidences and a recording belong to an external identification, not an eIDAS one",
        ));
    }
    let evidences = match &input.evidences {
        Some(evidences) => {
            let resolved = evidences.resolved_against(&std::env::current_dir().unwrap_or_default());
            let checked = resolved.clone();
            blocking(move || crate::evidences::check(&checked)).await?;
            Some(resolved)
        }
        None => None,
    };
    let video = match &input.video {
        Some(path) => Some(super::video::check_video(path).await?),
        None => None,
    };
    let documents = prepare::check_documents(&input.documents, &mut HashSet::new()).await?;
    prepare::check_output(desk, &input.output).await?;
    let (url, layout) = resolve_layout(desk).await?;
    // The create call needs no RAO credentials; the approval does. A keyring label is
    // remembered for it, a token value never is.
    let token_label = match &input.token {
        TokenChoice::Label(label) => Some(label.clone()),
        TokenChoice::Default | TokenChoice::Value(_) => None,
    };
    let (output, output_folder) = prepare::output(input.output.clone());
    let kind = match input.kind {
        VideoIdKind::Eidas => FlowKind::VideoidEidas,
        VideoIdKind::External => FlowKind::VideoidExternal,
    };
    let details = FlowDetails {
        given_name: customer.given_name.clone(),
        surname: [Some(customer.surname_1.clone()), customer.surname_2.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        documents,
        contract: ContractSnapshot::default(),
        otp: OtpSnapshot::default(),
        signing: prepare::signing_method(desk, input.signing.clone()),
        output,
        output_folder,
        appearance: prepare::appearance(desk, input.appearance.clone()),
        token_label,
        id_images: IdImages::default(),
        last_error: None,
        attention: None,
        practice: input.practice,
        signed_at: None,
        videoid: Some(VideoIdSnapshot {
            video: video.clone(),
            ..VideoIdSnapshot::default()
        }),
        asynchronous: false,
        signing_queued_at: None,
    };
    // Until the identification names the customer, the list shows what the desk knows.
    let display_name = Some(customer.display_name())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| customer.email.clone());
    let id = journal(desk, url, layout, kind, &display_name, &details).await?;
    let dir = working_dir(desk, id);
    prepare::write_private(&dir, CUSTOMER_FILE, &customer).await?;
    if let Some(evidences) = &evidences {
        prepare::write_private(&dir, EVIDENCES_FILE, evidences).await?;
    }
    if let Some(video) = video {
        let journal = desk.journal.clone();
        blocking(move || {
            journal.record_file(
                id,
                &NewFile {
                    role: FileRole::Video,
                    local_path: video.path,
                    sha256: video.sha256,
                    size: video.size,
                    remote_uid: None,
                },
            )
        })
        .await?;
    }
    tracing::info!(flow = %id, kind = %kind, "VideoID flow journaled");
    Ok(id)
}

/// Chooses (or changes) the documents of a VideoID flow, any time before they are uploaded.
pub(crate) async fn set_documents(run: &mut FlowRun, paths: &[PathBuf]) -> DeskResult<()> {
    if run.record.flow_kind == FlowKind::Classic {
        return Err(wrong_state(run, "change the documents of a classic flow"));
    }
    if run.state > FlowState::Approved || run.state.is_final() {
        return Err(wrong_state(run, "change the documents"));
    }
    if paths.is_empty() {
        return Err(DeskError::new(
            "flow.no_documents",
            "Choose at least one document to sign",
        ));
    }
    run.details.documents = prepare::check_documents(paths, &mut HashSet::new()).await?;
    run.clear_error();
    run.save().await
}
