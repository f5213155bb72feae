//! Documents open in the window's viewers (offline preview, the review of contract and
//! documents). Each is known to the window only by a random, unguessable handle; pages reach the
//! webview as encoded images through the `pdfpage` URI scheme ([`protocol`]), never as pixel
//! arrays in JSON and never by file path.

pub mod commands;
pub mod protocol;
mod registry;

pub use registry::Viewer;

/// Loads PDFium in the background, so the first PDF the employee opens shows its first page
/// without waiting for it. Called once the window's page has loaded: loading and binding PDFium
/// takes a core for a while, which the window's own start needs more (2-core workstations).
pub fn warm_up(app: &tauri::AppHandle) {
    use tauri::Manager;
    let app = app.clone();
    let _ = std::thread::Builder::new()
        .name("pdfium-start".into())
        .spawn(move || {
            let Some(viewer) = app.try_state::<Viewer>() else {
                return;
            };
            if let Err(error) = viewer.engine() {
                tracing::warn!(code = %error.code, "PDF viewing is unavailable");
            }
        });
}
