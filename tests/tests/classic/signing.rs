//! Whole signatures, from the empty form to the signed, checked files.

use crate::support::{
    ANA, SIGNING_LIMIT, add_documents, assert_signed_and_valid, choose_photo, choose_photos,
    documents_left, fill_customer, long_document, photos, request_pk, request_status,
    review_everything, saved_pdfs, short_document, sms_code,
};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};
use optimizer_sim::FaultPlan;

#[tokio::test]
async fn two_documents_are_signed_end_to_end_with_a_wrong_code_first() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let photos = photos()?;
    let mut app = App::start("classic-current", desk.app_options()).await?;
    // This desk sends codes by WhatsApp unless the employee chooses otherwise.
    app.click("nav-settings").await?;
    app.click("settings-tab-signing").await?;
    app.click("setting-signing.otp_delivery-option-whatsapp")
        .await?;
    app.wait_attribute("setting-signing.otp_delivery", "data-origin", "user")
        .await?;
    app.click("nav-newSignature").await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;
    app.screenshot("empty-form").await?;

    fill_customer(&app, &ANA).await?;
    choose_photos(&app, &photos).await?;
    add_documents(&app, &[short_document(), long_document()]).await?;
    // Signing order: the long manual first.
    app.click("document-2-up").await?;
    app.wait_attribute(
        "document-1-name",
        "title",
        &long_document().to_string_lossy(),
    )
    .await?;
    app.click("document-1-preview").await?;
    app.wait_attribute(
        "document-preview-viewer-page-image-1",
        "data-loaded",
        "true",
    )
    .await?;
    app.screenshot("document-preview").await?;
    app.click("document-preview-close").await?;
    app.screenshot("customer-filled").await?;

    app.click("customer-continue").await?;
    let pk = request_pk(&app).await?;
    review_everything(&mut app, 2).await?;
    // Small print: the contract is zoomed in, then brought back to the page's width.
    app.click("review-contract-viewer-zoom-in").await?;
    app.wait_text("review-contract-viewer-zoom", |text| text != "100 %")
        .await?;
    app.wait_attribute("review-contract-viewer-page-image-1", "data-loaded", "true")
        .await?;
    app.screenshot("review-zoomed").await?;
    app.click("review-contract-viewer-fit-width").await?;
    app.wait_text("review-contract-viewer-zoom", |text| text == "100 %")
        .await?;
    app.screenshot("review-confirmed").await?;

    // Back to the customer's details: kept, and fixed now that the request exists.
    app.click("stepper-customer-button").await?;
    app.find("customer-readonly").await?;
    ensure!(app.value("customer-given_name").await? == "Ana");
    ensure!(app.exists("photo-front-thumbnail").await?);
    app.screenshot("back-to-customer").await?;
    app.click("customer-continue").await?;
    app.wait_attribute("flow-screen", "data-step", "review")
        .await?;
    app.wait_text("review-remaining", |text| text.contains("seen everything"))
        .await?;
    ensure!(
        app.is_enabled("review-confirm").await?,
        "the review's confirmation survives going back"
    );
    app.click("review-confirm").await?;

    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;
    app.find("otp-send").await?;
    ensure!(
        app.is_selected("otp-delivery-whatsapp").await?,
        "the desk's setting chooses WhatsApp"
    );
    // The customer has no WhatsApp: a text message this time.
    app.click("otp-delivery-sms").await?;
    app.screenshot("send-code").await?;
    app.click("otp-send").await?;
    app.wait_text("otp-sent-at", |text| text.contains("SMS"))
        .await?;
    app.find("otp-input").await?;
    // The Optimizer sends one code a minute: "send again" waits, and says for how long.
    app.wait_text("otp-resend-countdown", |text| {
        text.starts_with("A new code can be sent in 0:")
            || text.starts_with("A new code can be sent in 1:")
    })
    .await?;
    ensure!(!app.is_enabled("otp-resend").await?, "send again must wait");
    app.screenshot("code-sent").await?;

    let code = sms_code(&desk, pk).await?;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    app.fill("otp-input", wrong).await?;
    app.click("otp-sign").await?;
    app.wait_attribute("otp-error", "data-code", "otp.invalid")
        .await?;
    let title = app.find("otp-error-title").await?.text().await?;
    ensure!(title == "The code is wrong or has expired.", "{title:?}");
    app.wait_text("otp-wrong-attempts", |text| text.ends_with('1'))
        .await?;
    ensure!(
        app.value("otp-input").await?.is_empty(),
        "a wrong code is cleared"
    );
    app.screenshot("wrong-code").await?;

    // The customer reads it again; pasting "123 456" style works as typing does.
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    app.fill("otp-input", &spaced).await?;
    ensure!(app.value("otp-input").await? == code);
    app.press_enter("otp-input").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    for row in ["result-document-1", "result-document-2", "result-contract"] {
        app.wait_attribute(row, "data-verified", "true").await?;
        let signer = app.find(&format!("{row}-signer")).await?.text().await?;
        ensure!(signer.contains("Ana"), "{row}: signer {signer:?}");
        for check in ["whole-file", "intact", "original"] {
            app.wait_attribute(&format!("{row}-check-{check}"), "data-passed", "true")
                .await?;
        }
    }
    app.screenshot("signed").await?;

    let saved = saved_pdfs(&desk.output_dir())?;
    let names: Vec<String> = saved
        .iter()
        .filter_map(|path| path.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .collect();
    ensure!(saved.len() == 3, "saved: {names:?}");
    for expected in [
        "libtasn1.pdf".to_owned(),
        "shared-mime-info-spec.pdf".to_owned(),
        format!("Service contract {pk}.pdf"),
    ] {
        ensure!(names.contains(&expected), "{expected} not in {names:?}");
    }
    for file in &saved {
        assert_signed_and_valid(&desk.ca_pem(), file)?;
    }
    ensure!(request_status(&desk, Layout::Current, pk).await? == "ISSUED");
    ensure!(
        !documents_left(&desk, Layout::Current, pk).await?,
        "the desk deletes the documents from the Optimizer"
    );

    app.click("result-new").await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;
    ensure!(app.value("customer-given_name").await?.is_empty());
    app.close().await
}

#[tokio::test]
async fn a_practice_session_on_a_legacy_optimizer_signs_with_the_code_shown() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Legacy, |_| {}).await?;
    let photos = photos()?;
    let mut options = desk.app_options();
    options
        .env
        .push(("ONESHOT_DESK_PRACTICE".to_owned(), "1".to_owned()));
    let mut app = App::start("classic-legacy-practice", options).await?;

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
    add_documents(&app, &[long_document()]).await?;
    // A slow Optimizer, so the sending step can be seen at work.
    desk.sim
        .set_faults(FaultPlan::parse("latency=document_upload,contract:1500ms")?);
    app.press_enter("customer-serial_number").await?;

    let pk = request_pk(&app).await?;
    app.wait_attribute("sending-create", "data-done", "true")
        .await?;
    app.find("sending-activity").await?;
    app.screenshot("sending").await?;
    app.wait_attribute("flow-screen", "data-step", "review")
        .await?;
    desk.sim.set_faults(FaultPlan::default());
    review_everything(&mut app, 1).await?;
    app.click("review-confirm").await?;

    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;
    app.click("otp-delivery-whatsapp").await?;
    app.click("otp-send").await?;
    let shown = app
        .wait_text("practice-code", |text| text.len() == 6)
        .await?;
    ensure!(
        shown == sms_code(&desk, pk).await?,
        "the practice box shows the code sent"
    );
    app.wait_text("otp-sent-at", |text| text.contains("WhatsApp"))
        .await?;
    app.click("practice-use").await?;
    ensure!(app.value("otp-input").await? == shown);
    app.screenshot("practice-code").await?;
    // Slow downloads, so the saving can be seen at work: each file has its bar.
    desk.sim
        .set_faults(FaultPlan::parse("latency=document,contract:1500ms")?);
    app.click("otp-sign").await?;
    app.find("result-document-1-progress").await?;
    app.find("result-contract-progress").await?;
    app.screenshot("saving").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    app.wait_attribute("result-document-1", "data-verified", "true")
        .await?;
    app.wait_attribute("result-contract", "data-verified", "true")
        .await?;
    app.screenshot("signed").await?;

    let saved = saved_pdfs(&desk.output_dir())?;
    ensure!(saved.len() == 2, "saved: {saved:?}");
    for file in &saved {
        assert_signed_and_valid(&desk.ca_pem(), file)?;
    }
    ensure!(request_status(&desk, Layout::Legacy, pk).await? == "ISSUED");
    ensure!(!documents_left(&desk, Layout::Legacy, pk).await?);
    app.close().await
}
