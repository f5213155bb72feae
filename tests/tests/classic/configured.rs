//! The Settings screen shapes the signature: the output folder and an approved external
//! authentication chosen there are what the wizard uses, the language switches while a request
//! is open (the request carries on), and a failed signature is explained in that language and
//! retried without starting over.

use crate::support::{
    ANA, SIGNING_LIMIT, add_documents, choose_photo, fill_customer, photos, request_pk,
    request_status, review_everything, saved_pdfs, short_document,
};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};
use optimizer_sim::FaultPlan;
use std::path::Path;

/// Saves a typed setting with Enter and waits until the desk holds it as this computer's choice.
async fn type_setting(app: &App, key: &str, value: &str) -> Result<()> {
    let input = format!("setting-{key}-input");
    app.fill(&input, value).await?;
    app.press_enter(&input).await?;
    app.wait_attribute(&format!("setting-{key}"), "data-origin", "user")
        .await
}

/// The title the Spanish catalogs give an error code (`errors.<code>.title`).
fn spanish_title(code: &str) -> Result<String> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/i18n/locales/es");
    for entry in std::fs::read_dir(&folder)? {
        let path = entry?.path();
        let is_errors = path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("errors"));
        if !is_errors {
            continue;
        }
        let catalog: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
        let mut node = &catalog["errors"];
        for part in code.split('.') {
            node = &node[part];
        }
        if let Some(title) = node["title"].as_str() {
            return Ok(title.to_owned());
        }
    }
    anyhow::bail!("no Spanish title for {code}")
}

#[tokio::test]
async fn settings_chosen_in_the_window_shape_the_signature() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let photos = photos()?;
    let folder = desk.home().join("Signed at the desk");
    let mut app = App::start("classic-configured", desk.app_options()).await?;

    app.click("nav-settings").await?;
    app.click("settings-tab-documents").await?;
    type_setting(&app, "output.folder", &folder.to_string_lossy()).await?;
    app.click("settings-tab-signing").await?;
    app.click("settings-for-it-signing").await?;
    type_setting(&app, "signing.ext_unlock_type", "bank-app").await?;
    app.screenshot("settings-chosen").await?;

    app.click("nav-newSignature").await?;
    fill_customer(&app, &ANA).await?;
    choose_photo(
        &app,
        "front",
        "Choose the photo of the front of the ID",
        &photos.front,
    )
    .await?;
    choose_photo(
        &app,
        "rear",
        "Choose the photo of the back of the ID",
        &photos.rear,
    )
    .await?;
    add_documents(&app, &[short_document()]).await?;
    app.click("customer-continue").await?;
    let pk = request_pk(&app).await?;
    review_everything(&mut app, 1).await?;
    app.click("review-confirm").await?;
    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;

    // The approved method replaces the code; its type is the one chosen in the settings.
    ensure!(!app.exists("otp-send").await?, "no code is sent");
    ensure!(app.value("external-type").await? == "bank-app");

    // Spanish now, with the request open: the wizard keeps its place.
    app.click("nav-settings").await?;
    app.click("settings-tab-window").await?;
    app.click("setting-ui.language-option-es").await?;
    app.wait_text("nav-settings", |text| text == "Ajustes")
        .await?;
    app.click("nav-newSignature").await?;
    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;
    ensure!(app.value("external-type").await? == "bank-app");

    // The Optimizer refuses the first attempt: explained in Spanish, tried again in place.
    desk.sim
        .set_faults(FaultPlan::parse("error_rate=sign:1x:503")?);
    app.fill("external-value", "TX-2026-0042").await?;
    app.click("external-sign").await?;
    app.wait_attribute("otp-error", "data-code", "optimizer.server_error")
        .await?;
    let title = app.find("otp-error-title").await?.text().await?;
    ensure!(
        title == spanish_title("optimizer.server_error")?,
        "{title:?} is not the Spanish text"
    );
    ensure!(
        !app.exists("problem-resume").await?,
        "signing again is the one way on, with the reference still typed"
    );
    ensure!(app.value("external-value").await? == "TX-2026-0042");
    app.screenshot("refused-in-spanish").await?;
    app.click("external-sign").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    app.wait_attribute("result-document-1", "data-verified", "true")
        .await?;
    app.wait_attribute("result-contract", "data-verified", "true")
        .await?;
    ensure!(app.exists("result-document-1-open").await?);
    ensure!(app.exists("result-document-1-folder").await?);
    app.screenshot("signed-in-spanish").await?;

    let saved = saved_pdfs(&folder)?;
    ensure!(saved.len() == 2, "saved in the chosen folder: {saved:?}");
    ensure!(
        !desk.output_dir().exists() || saved_pdfs(&desk.output_dir())?.is_empty(),
        "nothing goes to IT's folder once another is chosen"
    );
    ensure!(request_status(&desk, Layout::Current, pk).await? == "ISSUED");
    app.close().await
}
