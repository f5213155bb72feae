//! The Diagnostics screen: the set-up checks (desk-core's, the same `oneshot-desk-cli doctor`
//! prints) and the support bundle IT sends when asking for help.

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::viewer::Viewer;
use desk_core::DeskError;
use desk_core::diagnostics::{BundleRequest, BundleWritten, Diagnosis, PdfiumStatus};
use desk_core::flow::TokenChoice;
use std::path::PathBuf;
use tauri::State;

/// Runs every check. Never fails for a failed check (that is a check marked failed); only when
/// the desk itself could not open.
#[tauri::command]
#[specta::specta]
pub async fn diagnostics_run(
    state: State<'_, AppState>,
    viewer: State<'_, Viewer>,
) -> IpcResult<Diagnosis> {
    let pdfium = pdfium(&viewer);
    // The window signs with the desk's default token, so that is the one the check looks for.
    Ok(state.desk()?.diagnose(&TokenChoice::Default, pdfium).await)
}

/// Writes the support bundle to `path` (`.zip` is added when the name has no extension). An
/// existing file is never replaced: the answer says where it was written, and its size.
#[tauri::command]
#[specta::specta]
pub async fn support_bundle_export(
    state: State<'_, AppState>,
    viewer: State<'_, Viewer>,
    path: String,
) -> IpcResult<BundleWritten> {
    if path.trim().is_empty() {
        return Err(IpcError::new(
            "bundle.invalid_destination",
            "no file name was given for the support bundle",
        ));
    }
    let mut destination = PathBuf::from(path);
    if destination.extension().is_none() {
        destination.set_extension("zip");
    }
    let request = BundleRequest {
        app_name: "oneshot-desk".to_owned(),
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        pdfium: pdfium(&viewer),
        token: TokenChoice::Default,
    };
    Ok(state
        .desk()?
        .export_support_bundle(&destination, request)
        .await?)
}

/// PDFium as the window's viewer loads it (desk-core does not load it).
fn pdfium(viewer: &Viewer) -> PdfiumStatus {
    viewer
        .engine()
        .map(|engine| engine.library().to_string())
        .map_err(|error| {
            let failure = DeskError::new(error.code, error.message);
            match error.detail {
                Some(detail) => failure.with_detail(detail),
                None => failure,
            }
        })
}
