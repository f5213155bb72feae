//! The VideoID flows (eIDAS and external): every call returns the flow's new snapshot; status
//! changes (read back or announced by webhook) and upload progress arrive as events.

use crate::error::IpcResult;
use crate::state::AppState;
use desk_core::customer::{CustomerDraft, FieldIssue};
use desk_core::evidences::EvidencesInput;
use desk_core::flow::{
    FlowId, FlowSnapshot, OutputChoice, RaoApproval, RaoAuthInput, TokenChoice, VideoIdInput,
    VideoIdKind,
};
use secrecy::SecretString;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;
use tauri::State;

/// The longest single wait the window asks for; it asks again while the flow still waits, so a
/// wait never outlives the window's interest in it by much.
const LONGEST_WAIT: Duration = Duration::from_secs(600);

/// What the window gives to start a VideoID identification.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct VideoIdStart {
    pub kind: VideoIdKind,
    /// Mobile number and email are required; the names are shown until the identification
    /// provides them.
    pub customer: CustomerDraft,
    /// External: the evidences, when already entered.
    pub evidences: Option<EvidencesInput>,
    /// External: the recording, when already chosen.
    pub video: Option<PathBuf>,
    /// The PDFs to sign after the approval (may also be chosen later).
    pub documents: Vec<PathBuf>,
}

/// Who decides on an identification: a saved RAO token or the RAO's own credentials, and the
/// RAO's id (`None`: the `rao.id` setting).
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RaoDecider {
    /// A token from the keyring (`label`: `None` for the flow's or the default one).
    #[serde(rename_all = "camelCase")]
    Token {
        label: Option<String>,
        rao_id: Option<String>,
    },
    /// The RAO's username, password and PIN (used for this call only, never stored).
    #[serde(rename_all = "camelCase")]
    Credentials {
        username: String,
        password: String,
        pin: String,
        rao_id: Option<String>,
    },
}

impl From<RaoDecider> for RaoApproval {
    fn from(decider: RaoDecider) -> Self {
        let blank_is_none = |id: Option<String>| id.filter(|id| !id.trim().is_empty());
        match decider {
            RaoDecider::Token { label, rao_id } => RaoApproval {
                auth: RaoAuthInput::Token(match label {
                    Some(label) if !label.trim().is_empty() => TokenChoice::Label(label),
                    _ => TokenChoice::Default,
                }),
                rao_id: blank_is_none(rao_id),
            },
            RaoDecider::Credentials {
                username,
                password,
                pin,
                rao_id,
            } => RaoApproval {
                auth: RaoAuthInput::Credentials {
                    username,
                    password: SecretString::from(password),
                    pin: SecretString::from(pin),
                },
                rao_id: blank_is_none(rao_id),
            },
        }
    }
}

/// Problems of a VideoID customer's contact data, field by field.
#[tauri::command]
#[specta::specta]
pub fn videoid_customer_validate(
    state: State<'_, AppState>,
    draft: CustomerDraft,
) -> IpcResult<Vec<FieldIssue>> {
    Ok(state.desk()?.validate_videoid_customer(&draft))
}

/// Problems of an external identification's evidences, field by field.
#[tauri::command]
#[specta::specta]
pub async fn evidences_validate(
    state: State<'_, AppState>,
    evidences: EvidencesInput,
) -> IpcResult<Vec<FieldIssue>> {
    Ok(state.desk()?.validate_evidences(&evidences).await)
}

/// Creates the identification (eIDAS: its link and QR code are in the snapshot; external: the
/// evidences and recording given are uploaded).
#[tauri::command]
#[specta::specta]
pub async fn videoid_start(
    state: State<'_, AppState>,
    start: VideoIdStart,
) -> IpcResult<FlowSnapshot> {
    let input = VideoIdInput {
        kind: start.kind,
        customer: start.customer,
        evidences: start.evidences,
        video: start.video,
        documents: start.documents,
        output: OutputChoice::Settings,
        signing: None,
        appearance: None,
        token: TokenChoice::Default,
        practice: state.practice,
    };
    Ok(state.desk()?.start_videoid(input).await?)
}

/// Waits (at most ten minutes) until the identification's status changes; any action on the
/// flow ends the wait early. The window asks again while the flow still waits.
#[tauri::command]
#[specta::specta]
pub async fn videoid_wait(state: State<'_, AppState>, id: FlowId) -> IpcResult<FlowSnapshot> {
    Ok(state
        .desk()?
        .wait_for_identification(id, Some(LONGEST_WAIT))
        .await?)
}

/// Reads the request's status once ("check now").
#[tauri::command]
#[specta::specta]
pub async fn flow_refresh(state: State<'_, AppState>, id: FlowId) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.refresh_flow(id).await?)
}

/// Gives an external identification its evidences and/or recording, and uploads them.
#[tauri::command]
#[specta::specta]
pub async fn videoid_provide_evidences(
    state: State<'_, AppState>,
    id: FlowId,
    evidences: Option<EvidencesInput>,
    video: Option<PathBuf>,
) -> IpcResult<FlowSnapshot> {
    Ok(state
        .desk()?
        .provide_evidences(id, evidences, video)
        .await?)
}

/// Chooses the documents to sign; an approved flow goes on with them.
#[tauri::command]
#[specta::specta]
pub async fn videoid_set_documents(
    state: State<'_, AppState>,
    id: FlowId,
    documents: Vec<PathBuf>,
) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.set_documents(id, documents).await?)
}

/// The RAO approves the identification; the documents follow.
#[tauri::command]
#[specta::specta]
pub async fn videoid_approve(
    state: State<'_, AppState>,
    id: FlowId,
    decider: RaoDecider,
) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.approve_videoid(id, decider.into()).await?)
}

/// The RAO refuses the identification with a reason; the request is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn videoid_refuse(
    state: State<'_, AppState>,
    id: FlowId,
    decider: RaoDecider,
    reason: String,
) -> IpcResult<FlowSnapshot> {
    Ok(state
        .desk()?
        .refuse_videoid(id, decider.into(), reason)
        .await?)
}

/// Downloads the identification's recording for the review into the desk's review folder and
/// returns where it is (the window then opens it with the system's player).
#[tauri::command]
#[specta::specta]
pub async fn videoid_download_video(state: State<'_, AppState>, id: FlowId) -> IpcResult<String> {
    let desk = state.desk()?;
    let folder = desk.paths().cache_dir.join("recordings");
    let path = desk.download_videoid_video(id, &folder).await?;
    Ok(path.to_string_lossy().into_owned())
}

/// Starts the webhook receiver when `videoid.webhook_listen` is set (at launch, so webhooks
/// for flows of an earlier session arrive too); returns the address it listens on.
#[tauri::command]
#[specta::specta]
pub async fn webhook_receiver_start(state: State<'_, AppState>) -> IpcResult<Option<String>> {
    let address = state.desk()?.start_webhook_receiver().await?;
    Ok(address.map(|a| a.to_string()))
}

/// Opens the customer's identification link in the system's browser (when the customer does
/// the identification on this computer, or to check it). Only the flow's own http(s) link is
/// opened, never a URL the window makes up.
#[tauri::command]
#[specta::specta]
pub async fn videoid_open_link(state: State<'_, AppState>, id: FlowId) -> IpcResult<()> {
    let snapshot = state.desk()?.flow(id).await?;
    let link = snapshot
        .videoid
        .and_then(|video| video.link)
        .ok_or_else(|| {
            crate::error::IpcError::new(
                "videoid.no_link",
                "The identification has no link (any more)",
            )
        })?;
    let lower = link.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(crate::error::IpcError::new(
            "videoid.no_link",
            "The link is not a web address",
        ));
    }
    open::that_detached(&link).map_err(|error| {
        crate::error::IpcError::new(
            "files.open_failed",
            format!("the system could not open it: {error}"),
        )
    })
}
