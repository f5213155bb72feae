//! The customer's data and files, checked as the employee enters them.

use crate::error::IpcResult;
use crate::state::AppState;
use desk_core::customer::{CustomerDraft, FieldIssue};
use desk_core::inputs::{CheckedDocument, CheckedImage};
use serde::Serialize;
use std::path::PathBuf;
use tauri::State;

/// Problems of the customer's data, field by field (empty when everything is right).
#[tauri::command]
#[specta::specta]
pub fn customer_validate(
    state: State<'_, AppState>,
    draft: CustomerDraft,
) -> IpcResult<Vec<FieldIssue>> {
    Ok(state.desk()?.validate_customer(&draft))
}

/// An ID photo that passed the checks, with a small preview for the form.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct IdPhoto {
    pub check: CheckedImage,
    /// A JPEG `data:` URL of at most 320 pixels a side.
    pub thumbnail: String,
}

/// Checks an ID photo (JPEG or PNG by content, size limit) and makes its preview.
#[tauri::command]
#[specta::specta]
pub async fn id_photo_check(state: State<'_, AppState>, path: String) -> IpcResult<IdPhoto> {
    let path = PathBuf::from(path);
    let check = state.desk()?.check_id_image(&path).await?;
    let thumbnail = tauri::async_runtime::spawn_blocking(move || crate::thumbnail::data_url(&path))
        .await
        .map_err(|error| crate::error::IpcError::new("app.internal", error.to_string()))??;
    Ok(IdPhoto { check, thumbnail })
}

/// Checks a document to sign: a PDF by content, not protected, within the size limit.
#[tauri::command]
#[specta::specta]
pub async fn document_check(
    state: State<'_, AppState>,
    path: String,
) -> IpcResult<CheckedDocument> {
    Ok(state
        .desk()?
        .check_document(std::path::Path::new(&path))
        .await?)
}
