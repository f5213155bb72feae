//! Tauri commands: each a few lines over desk-core or pdf-engine.

use serde::Serialize;

/// What the "About" box and the diagnostics show.
#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
}

#[tauri::command]
#[specta::specta]
pub fn app_info() -> AppInfo {
    AppInfo {
        name: "OneShot Desk".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}
