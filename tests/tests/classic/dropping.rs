//! Files dropped on the customer form land where they were dropped: on a photo box as that
//! photo, elsewhere PDFs to the documents and photos into the first empty box.
//!
//! WebDriver cannot drag files from another application, so the test delivers the window's own
//! drop event (`tauri://drag-drop`, what Tauri emits for a native drop) at the centre of the
//! target element; the form's routing, checks and previews are the real ones.

use crate::support::{long_document, photos, short_document};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};
use std::path::Path;

/// Drops `paths` on the element with this `data-testid`, as the window reports a native drop.
async fn drop_files(app: &App, test_id: &str, paths: &[&Path]) -> Result<()> {
    let paths: Vec<String> = paths
        .iter()
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    let outcome = app
        .run_async(
            "const [testId, paths, done] = arguments;\n\
             const element = document.querySelector(`[data-testid=\"${testId}\"]`);\n\
             element.scrollIntoView({ block: 'center' });\n\
             const box = element.getBoundingClientRect();\n\
             const ratio = window.devicePixelRatio || 1;\n\
             const position = { x: (box.left + box.width / 2) * ratio,\n\
                                y: (box.top + box.height / 2) * ratio };\n\
             window.__TAURI_INTERNALS__\n\
               .invoke('plugin:event|emit_to', {\n\
                 target: { kind: 'Webview', label: 'main' },\n\
                 event: 'tauri://drag-drop',\n\
                 payload: { paths, position },\n\
               })\n\
               .then(() => done(null), (error) => done(String(error)));",
            vec![test_id.into(), paths.into()],
        )
        .await?;
    ensure!(outcome.is_null(), "the drop was not delivered: {outcome}");
    Ok(())
}

#[tokio::test]
async fn files_dropped_on_the_form_land_where_they_were_dropped() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let photos = photos()?;
    let mut app = App::start("classic-drop", desk.app_options()).await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;

    // On the back's box: the back, although the front is still empty. The form starts listening
    // for drops a moment after it shows (no person drops that fast): the first drop is repeated
    // until it is heard, which is harmless as it lands in the same box.
    let mut heard = false;
    for _ in 0..5 {
        drop_files(&app, "photo-rear", &[&photos.rear]).await?;
        for _ in 0..40 {
            heard = app.exists("photo-rear-thumbnail").await?;
            if heard {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        if heard {
            break;
        }
    }
    ensure!(heard, "the back's box never took the dropped photo");
    ensure!(!app.exists("photo-front-thumbnail").await?);

    // Two PDFs and a photo on the documents: the PDFs are listed, the photo fills the front.
    let short = short_document();
    let long = long_document();
    drop_files(&app, "documents", &[&short, &photos.front, &long]).await?;
    app.find("document-2").await?;
    app.find("photo-front-thumbnail").await?;
    ensure!(!app.exists("document-3").await?);
    app.screenshot("dropped").await?;

    // A PDF dropped on a photo box is checked as a photo, and refused as one.
    drop_files(&app, "photo-selfie", &[&short]).await?;
    app.wait_attribute("photo-selfie-error", "data-code", "image.unsupported_type")
        .await?;
    app.close().await
}
