//! The signing flows: every call returns the flow's new snapshot; progress arrives as events.

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use desk_core::customer::CustomerDraft;
use desk_core::flow::DeliveryMethod;
use desk_core::flow::{ClassicInput, FlowId, FlowSnapshot, IdImages, ResumeOptions, SignAuthInput};
use desk_core::practice::PracticeCode;
use secrecy::SecretString;
use serde::Deserialize;
use std::path::PathBuf;
use tauri::State;

/// What the window gives to start a classic signature.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClassicStart {
    pub customer: CustomerDraft,
    pub id_images: IdImages,
    pub documents: Vec<PathBuf>,
}

/// How the customer authorises the signature.
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum SignAuth {
    /// The six-digit code the customer received.
    Otp { code: String },
    /// An approved external authentication.
    #[serde(rename_all = "camelCase")]
    External {
        unlock_type: String,
        unlock_value: String,
    },
}

#[tauri::command]
#[specta::specta]
pub async fn flow_start_classic(
    state: State<'_, AppState>,
    start: ClassicStart,
) -> IpcResult<FlowSnapshot> {
    let input = ClassicInput {
        customer: start.customer,
        id_images: start.id_images,
        documents: start.documents,
        practice: state.practice,
        ..ClassicInput::default()
    };
    Ok(state.desk()?.start_classic(input).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn flow_get(state: State<'_, AppState>, id: FlowId) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.flow(id).await?)
}

/// The employee confirms the customer has seen the contract and every document.
#[tauri::command]
#[specta::specta]
pub async fn flow_confirm_review(
    state: State<'_, AppState>,
    id: FlowId,
) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.confirm_review(id).await?)
}

/// Sends the signing code by `sms` or `whatsapp` (`None`: as configured).
#[tauri::command]
#[specta::specta]
pub async fn flow_send_otp(
    state: State<'_, AppState>,
    id: FlowId,
    delivery: Option<String>,
) -> IpcResult<FlowSnapshot> {
    let delivery = match delivery.as_deref() {
        None => None,
        Some("sms") => Some(DeliveryMethod::Sms),
        Some("whatsapp") => Some(DeliveryMethod::Whatsapp),
        Some(other) => {
            return Err(IpcError::new(
                "otp.unknown_delivery",
                format!("no delivery method {other}"),
            ));
        }
    };
    Ok(state.desk()?.send_otp(id, delivery).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn flow_sign(
    state: State<'_, AppState>,
    id: FlowId,
    auth: SignAuth,
) -> IpcResult<FlowSnapshot> {
    let auth = match auth {
        SignAuth::Otp { code } => SignAuthInput::Otp(SecretString::from(code)),
        SignAuth::External {
            unlock_type,
            unlock_value,
        } => SignAuthInput::External {
            unlock_type,
            unlock_value: SecretString::from(unlock_value),
            customer_code: None,
        },
    };
    Ok(state.desk()?.sign(id, auth).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn flow_cancel(state: State<'_, AppState>, id: FlowId) -> IpcResult<FlowSnapshot> {
    Ok(state.desk()?.cancel(id).await?)
}

/// Continues an interrupted flow; `recreate` confirms creating the request again after an
/// unknown create outcome.
#[tauri::command]
#[specta::specta]
pub async fn flow_resume(
    state: State<'_, AppState>,
    id: FlowId,
    recreate: bool,
) -> IpcResult<FlowSnapshot> {
    Ok(state
        .desk()?
        .resume(
            id,
            ResumeOptions {
                recreate,
                token: None,
            },
        )
        .await?)
}

/// Stops the operation running on a flow (e.g. a long upload); the flow stays resumable.
#[tauri::command]
#[specta::specta]
pub fn flow_interrupt(state: State<'_, AppState>, id: FlowId) -> IpcResult<bool> {
    Ok(state.desk()?.interrupt(id))
}

#[tauri::command]
#[specta::specta]
pub async fn flows_unfinished(state: State<'_, AppState>) -> IpcResult<Vec<FlowSnapshot>> {
    Ok(state.desk()?.unfinished_flows().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn flows_recent(state: State<'_, AppState>, limit: u32) -> IpcResult<Vec<FlowSnapshot>> {
    Ok(state.desk()?.recent_flows(limit as usize).await?)
}

/// Practice mode only: the code the simulator "sent" to the customer's phone.
#[tauri::command]
#[specta::specta]
pub async fn flow_practice_code(state: State<'_, AppState>, id: FlowId) -> IpcResult<PracticeCode> {
    if !state.practice {
        return Err(IpcError::new(
            "practice.off",
            "this is not a practice session",
        ));
    }
    Ok(state.desk()?.practice_code(id).await?)
}
