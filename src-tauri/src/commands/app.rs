//! What the "About" box, the practice banner and the diagnostics show.

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::viewer::Viewer;
use serde::Serialize;
use tauri::State;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// A practice session against the bundled simulator.
    pub practice: bool,
    /// Why the desk could not open (its folders, journal or settings), if it could not.
    pub startup_error: Option<crate::error::IpcError>,
}

/// Answered at once: the window asks for it while starting, and this command runs on the
/// window's main thread, so it must never wait (PDFium's version is [`pdfium_version`]'s).
#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        name: "OneShot Desk".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        practice: state.practice,
        startup_error: state.desk().err(),
    }
}

/// The PDFium build in use; fails with the viewer's own error when PDFium cannot be loaded.
/// Waits for PDFium to be loaded if it is still loading, off the main thread.
#[tauri::command]
#[specta::specta]
pub async fn pdfium_version(app: tauri::AppHandle) -> IpcResult<String> {
    use tauri::Manager;
    tauri::async_runtime::spawn_blocking(move || {
        let viewer = app.state::<Viewer>();
        viewer.engine().map(|engine| engine.library().to_string())
    })
    .await
    .map_err(|error| IpcError::new("app.internal", error.to_string()))?
}
