//! Settings and the connection to the Optimizer.

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use desk_core::settings::{SettingEntry, SettingKey};
use desk_core::{ConnectionReport, ConnectionSettings};
use secrecy::SecretString;
use serde::Serialize;
use tauri::State;

/// Every setting with its effective value, origin and lock, plus problems found in the files.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SettingsView {
    pub entries: Vec<SettingEntry>,
    pub warnings: Vec<String>,
}

fn view(state: &AppState, entries: Vec<SettingEntry>) -> IpcResult<SettingsView> {
    Ok(SettingsView {
        entries,
        warnings: state.desk()?.settings_warnings(),
    })
}

fn key(name: &str) -> IpcResult<SettingKey> {
    name.parse().map_err(|_| {
        IpcError::new(
            "settings.unknown_key",
            format!("no setting is named {name}"),
        )
    })
}

#[tauri::command]
#[specta::specta]
pub fn settings_get(state: State<'_, AppState>) -> IpcResult<SettingsView> {
    view(&state, state.desk()?.settings())
}

/// Changes one user setting; a key IT locked is refused with `settings.locked`.
#[tauri::command]
#[specta::specta]
pub async fn settings_set(
    state: State<'_, AppState>,
    key_name: String,
    value: serde_json::Value,
) -> IpcResult<SettingsView> {
    let entries = state.desk()?.set_setting(key(&key_name)?, value).await?;
    view(&state, entries)
}

/// Back to the value IT or the defaults give.
#[tauri::command]
#[specta::specta]
pub async fn settings_reset(
    state: State<'_, AppState>,
    key_name: String,
) -> IpcResult<SettingsView> {
    let entries = state.desk()?.reset_setting(key(&key_name)?).await?;
    view(&state, entries)
}

/// The connection settings in effect.
#[tauri::command]
#[specta::specta]
pub fn connection_current(state: State<'_, AppState>) -> IpcResult<ConnectionSettings> {
    Ok(state.desk()?.connection())
}

/// Tries a connection (saved or not): reachable, layout, version, or why not.
#[tauri::command]
#[specta::specta]
pub async fn connection_test(
    state: State<'_, AppState>,
    candidate: ConnectionSettings,
) -> IpcResult<ConnectionReport> {
    Ok(state.desk()?.test_connection(&candidate).await)
}

/// Checks a file chosen as the extra CA certificate: how many PEM certificates it holds, or
/// why it cannot be used (`io.file`, `config.invalid`).
#[tauri::command]
#[specta::specta]
pub async fn ca_certificate_check(state: State<'_, AppState>, path: String) -> IpcResult<u32> {
    let count = state
        .desk()?
        .check_ca_certificate(std::path::Path::new(&path))
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Whether the OS keyring answers (Secret Service, Credential Manager, Keychain).
#[tauri::command]
#[specta::specta]
pub async fn keyring_check(state: State<'_, AppState>) -> IpcResult<()> {
    Ok(state.desk()?.keyring_available().await?)
}

/// Stores the billing password of `billing.username` in the keyring.
#[tauri::command]
#[specta::specta]
pub async fn billing_password_set(state: State<'_, AppState>, password: String) -> IpcResult<()> {
    Ok(state
        .desk()?
        .set_billing_password(SecretString::from(password))
        .await?)
}

#[tauri::command]
#[specta::specta]
pub async fn billing_password_forget(state: State<'_, AppState>) -> IpcResult<bool> {
    Ok(state.desk()?.forget_billing_password().await?)
}

#[tauri::command]
#[specta::specta]
pub async fn billing_password_stored(state: State<'_, AppState>) -> IpcResult<bool> {
    Ok(state.desk()?.has_billing_password().await?)
}
