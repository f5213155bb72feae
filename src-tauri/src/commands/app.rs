//! What the "About" box, the practice banner and the diagnostics show.

use crate::state::AppState;
use crate::viewer::Viewer;
use serde::Serialize;
use tauri::State;

#[derive(Debug, Clone, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// The PDFium build in use, or `None` when it could not be loaded.
    pub pdfium: Option<String>,
    /// A practice session against the bundled simulator.
    pub practice: bool,
    /// Why the desk could not open (its folders, journal or settings), if it could not.
    pub startup_error: Option<crate::error::IpcError>,
}

#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>, viewer: State<'_, Viewer>) -> AppInfo {
    AppInfo {
        name: "OneShot Desk".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        pdfium: viewer
            .engine()
            .ok()
            .map(|engine| engine.library().to_string()),
        practice: state.practice,
        startup_error: state.desk().err(),
    }
}
