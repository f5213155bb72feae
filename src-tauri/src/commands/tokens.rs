//! RAO tokens: the Optimizer's list, and those kept in this workstation's keyring.

use crate::error::IpcResult;
use crate::state::AppState;
use desk_core::vault::RaoTokenInfo;
use desk_core::{NewTokenRequest, OptimizerToken, TokenForgotten};
use secrecy::SecretString;
use serde::Deserialize;
use tauri::State;

/// What the employee types to create a token. The password and PIN go to the Optimizer once;
/// only the resulting token is kept, in the keyring.
#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NewToken {
    pub label: String,
    pub username: String,
    pub password: String,
    pub pin: String,
    pub environment: Option<String>,
    pub make_default: bool,
}

#[tauri::command]
#[specta::specta]
pub async fn tokens_on_optimizer(state: State<'_, AppState>) -> IpcResult<Vec<OptimizerToken>> {
    Ok(state.desk()?.optimizer_tokens().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn tokens_saved(state: State<'_, AppState>) -> IpcResult<Vec<RaoTokenInfo>> {
    Ok(state.desk()?.stored_tokens().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn token_create(state: State<'_, AppState>, token: NewToken) -> IpcResult<RaoTokenInfo> {
    let request = NewTokenRequest {
        username: token.username,
        password: SecretString::from(token.password),
        pin: SecretString::from(token.pin),
        environment: token.environment.filter(|env| !env.is_empty()),
        label: token.label,
        make_default: token.make_default,
    };
    Ok(state.desk()?.create_token(request).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn token_set_default(state: State<'_, AppState>, label: String) -> IpcResult<()> {
    Ok(state.desk()?.set_default_token(&label).await?)
}

/// Removes a token from this workstation's keyring and, when asked, from the Optimizer.
#[tauri::command]
#[specta::specta]
pub async fn token_forget(
    state: State<'_, AppState>,
    label: String,
    delete_on_optimizer: bool,
) -> IpcResult<TokenForgotten> {
    Ok(state
        .desk()?
        .forget_token(&label, delete_on_optimizer)
        .await?)
}
