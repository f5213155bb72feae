//! What the employee sees when something is wrong: a form with mistakes, an Optimizer that
//! does not answer.

use crate::support::{
    ANA, add_documents, choose_photo, closed_port, fill_customer, photos, short_document,
};
use anyhow::{Result, ensure};
use e2e::dialog;
use e2e::{App, Layout, SimulatedDesk};
use serde_json::json;

/// Clicks the button with the given `data-testid` and answers its label once the click's
/// handler and the page's update have run (a zero timeout later): what the employee sees while
/// the work the click started is still running.
const CLICK_AND_READ_LABEL: &str = r#"
const [testId, done] = arguments;
const button = document.querySelector(`[data-testid="${testId}"]`);
button.click();
setTimeout(() => done(button.textContent.trim()), 0);
"#;

#[tokio::test]
async fn a_wrong_customer_form_is_refused_field_by_field() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let mut app = App::start("classic-invalid-form", desk.app_options()).await?;

    app.fill("customer-given_name", "Ana").await?;
    app.fill("customer-email", "ana@example").await?;
    // Nobody is scolded while still typing: the message waits until the field is left.
    ensure!(!app.exists("customer-email-issue").await?);
    app.click("customer-mobile_phone_number").await?;
    app.wait_text("customer-email-issue", |text| {
        text == "This is not a valid email address."
    })
    .await?;
    app.fill("customer-mobile_phone_number", "612345678")
        .await?;
    app.fill("customer-serial_number", "12345678A").await?;
    app.click("customer-continue").await?;

    app.wait_text("customer-summary", |text| text.contains("Check the fields"))
        .await?;
    app.wait_text("customer-surname_1-issue", |text| {
        text == "Fill in this field."
    })
    .await?;
    app.wait_text("customer-mobile_phone_number-issue", |text| {
        text.starts_with("Start with + and the country prefix")
    })
    .await?;
    app.wait_text("customer-serial_number-issue", |text| {
        text.contains("does not match")
    })
    .await?;
    app.wait_text("documents-empty", |text| {
        text == "Add at least one document to sign."
    })
    .await?;
    ensure!(
        app.attribute("flow-screen", "data-state").await?.as_deref() == Some("none"),
        "nothing may start"
    );
    app.screenshot("refused").await?;
    let answer = reqwest::get(format!(
        "{}/oneshot/api/v1/request/1001",
        desk.sim.base_url()
    ))
    .await?;
    ensure!(
        answer.status() == reqwest::StatusCode::NOT_FOUND,
        "no request may reach the Optimizer"
    );

    // Corrections clear the messages as they are typed.
    fill_customer(&app, &ANA).await?;
    for field in ["surname_1", "email", "mobile_phone_number", "serial_number"] {
        let issue = format!("customer-{field}-issue");
        for _ in 0..50 {
            if !app.exists(&issue).await? {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        ensure!(
            !app.exists(&issue).await?,
            "{issue} stays after the correction"
        );
    }
    app.screenshot("corrected").await?;

    // Files are checked by what they hold, not by their names: a PDF named like a photo and a
    // photo named like a PDF are refused, each saying what to choose instead.
    let fake_photo = desk.home().join("selfie.jpg");
    std::fs::copy(short_document(), &fake_photo)?;
    app.click("photo-selfie-choose").await?;
    dialog::choose_file(
        app.display(),
        "Choose the photo of the customer holding the ID",
        &fake_photo,
    )
    .await?;
    app.wait_attribute("photo-selfie-error", "data-code", "image.unsupported_type")
        .await?;
    ensure!(!app.exists("photo-selfie-thumbnail").await?);
    let fake_document = desk.home().join("contract.pdf");
    let photos = photos()?;
    std::fs::copy(&photos.front, &fake_document)?;
    app.click("documents-add").await?;
    dialog::choose_file(
        app.display(),
        "Choose the documents to sign",
        &fake_document,
    )
    .await?;
    let refused = app.find("documents-refused-1-error").await?;
    ensure!(refused.attr("data-code").await?.as_deref() == Some("pdf.not_a_pdf"));
    ensure!(!app.exists("document-1").await?);
    app.screenshot("files-refused").await?;
    app.close().await
}

#[tokio::test]
async fn an_unreachable_optimizer_is_explained_and_the_request_can_be_cancelled() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let (_refusing, port) = closed_port()?;
    desk.set_optimizer_url(&format!("http://127.0.0.1:{port}"))?;
    let photos = photos()?;
    let mut app = App::start("classic-unreachable", desk.app_options()).await?;

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

    app.wait_attribute("problem-error", "data-code", "optimizer.unreachable")
        .await?;
    let title = app.find("problem-error-title").await?.text().await?;
    ensure!(
        title == "The signing server cannot be reached.",
        "{title:?}"
    );
    let action = app.find("problem-error-action").await?.text().await?;
    ensure!(action.contains("company network"), "{action:?}");
    ensure!(app.is_enabled("problem-resume").await?);
    app.screenshot("unreachable").await?;

    // Trying again explains the same; going back, the details are still there to start again.
    // While the new attempt runs (~200 ms here) the recorded error stays on screen and the button
    // says so: its label is read in the click's own script, before the attempt can answer. The
    // attempt is over once the button is usable again; going back before that found the form's
    // button still disabled, and the click on it did nothing.
    let label = app
        .run_async(CLICK_AND_READ_LABEL, vec![json!("problem-resume")])
        .await?;
    ensure!(label == json!("Trying again…"), "{label}");
    app.wait_enabled("problem-resume").await?;
    ensure!(app.find("problem-resume").await?.text().await? == "Try again");
    app.wait_attribute("problem-error", "data-code", "optimizer.unreachable")
        .await?;
    app.click("stepper-customer-button").await?;
    ensure!(
        !app.exists("customer-readonly").await?,
        "nothing was sent: the form stays editable"
    );
    ensure!(app.value("customer-email").await? == ANA.email);
    app.click("customer-continue").await?;
    app.wait_attribute("problem-error", "data-code", "optimizer.unreachable")
        .await?;

    app.click("flow-cancel").await?;
    app.find("cancel-dialog-confirm").await?;
    app.screenshot("cancel-confirmation").await?;
    app.click("cancel-dialog-confirm").await?;
    app.wait_attribute("flow-screen", "data-state", "cancelled")
        .await?;
    app.wait_text("result-title", |text| text == "The request was cancelled")
        .await?;
    app.screenshot("cancelled").await?;

    // Starting again keeps what was entered, ready for when the Optimizer answers.
    app.click("result-restart").await?;
    app.wait_attribute("flow-screen", "data-state", "none")
        .await?;
    ensure!(app.value("customer-email").await? == ANA.email);
    ensure!(app.exists("photo-front-thumbnail").await?);
    ensure!(app.exists("document-1").await?);
    ensure!(!app.exists("customer-readonly").await?);
    app.close().await
}
