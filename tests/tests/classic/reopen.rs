//! A signature left half-way (the window closed during the review) continues from where it
//! stood when the window opens again: nothing is sent twice, nothing is lost.

use crate::support::{
    ANA, SIGNING_LIMIT, add_documents, choose_photo, documents_left, fill_customer, photos,
    request_pk, request_status, review_everything, saved_pdfs, short_document, sms_code,
};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};

#[tokio::test]
async fn a_signature_left_in_review_continues_when_the_window_opens_again() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let photos = photos()?;
    let mut app = App::start("classic-reopen-first-window", desk.app_options()).await?;
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
    app.wait_attribute("flow-screen", "data-step", "review")
        .await?;
    app.screenshot("review-before-closing").await?;
    app.close().await?;

    let mut app = App::start("classic-reopen-second-window", desk.app_options()).await?;
    app.wait_text("unfinished-1", |text| text.contains("Ana García López"))
        .await?;
    app.screenshot("unfinished-offered").await?;
    app.click("unfinished-1-continue").await?;
    ensure!(
        app.attribute("flow-screen", "data-request-pk")
            .await?
            .as_deref()
            == Some(pk.to_string().as_str()),
        "the same request continues"
    );
    review_everything(&mut app, 1).await?;
    app.click("review-confirm").await?;
    app.click("otp-send").await?;
    let code = sms_code(&desk, pk).await?;
    app.fill("otp-input", &code).await?;
    app.click("otp-sign").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    app.screenshot("signed").await?;

    ensure!(saved_pdfs(&desk.output_dir())?.len() == 2);
    ensure!(request_status(&desk, Layout::Current, pk).await? == "ISSUED");
    ensure!(!documents_left(&desk, Layout::Current, pk).await?);
    ensure!(
        reqwest::get(format!(
            "{}/oneshot/api/v1/request/{}",
            desk.sim.base_url(),
            pk + 1
        ))
        .await?
        .status()
            == reqwest::StatusCode::NOT_FOUND,
        "no second request was created"
    );
    app.close().await
}
