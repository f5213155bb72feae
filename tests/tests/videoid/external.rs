//! External VideoID: another provider identified the customer; the employee enters its
//! evidences and pictures and uploads the recording; the RAO watches it and decides.

use crate::classic::{
    add_documents, assert_signed_and_valid, documents_left, request_status, saved_pdfs,
    short_document,
};
use crate::support::{
    choose_evidence_image, choose_video, evidence_files, fill_evidences, review_and_sign,
    start_identification, use_external_authority,
};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};

#[tokio::test]
async fn evidences_and_a_recording_lead_to_signed_files() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    use_external_authority(&desk)?;
    let files = evidence_files()?;
    let mut app = App::start("videoid-external-signed", desk.app_options()).await?;

    let pk = start_identification(&mut app, "external", &[]).await?;
    app.find("evidences-form").await?;
    app.screenshot("empty-evidences").await?;
    for (image, title, path) in [
        (
            "document_front",
            "Choose the picture of the front of the ID",
            &files.front,
        ),
        (
            "document_rear",
            "Choose the picture of the back of the ID",
            &files.rear,
        ),
        (
            "document_photo",
            "Choose the photo cut from the ID",
            &files.photo,
        ),
        (
            "document_owner",
            "Choose the customer's selfie",
            &files.selfie,
        ),
    ] {
        choose_evidence_image(&app, image, title, path).await?;
    }
    fill_evidences(&app, "186.0.91.53").await?;
    choose_video(&app, &files.video).await?;
    ensure!(
        !app.exists("evidences-missing-images").await?,
        "every picture is there"
    );
    app.screenshot("evidences-filled").await?;
    app.click("evidences-send").await?;
    app.wait_attribute("flow-screen", "data-step", "decision")
        .await?;
    app.wait_text("decision-identity", |text| {
        text.contains("Lucía Martín Ruiz")
    })
    .await?;

    // The RAO downloads the recording back to watch it: the same bytes as uploaded.
    app.click("recording-download").await?;
    let saved = app
        .wait_text("recording-path", |text| text.ends_with(".mp4"))
        .await?;
    let copy = app
        .attribute("recording-path", "title")
        .await?
        .unwrap_or_default();
    ensure!(
        std::fs::read(&copy)? == std::fs::read(&files.video)?,
        "the downloaded {saved} is the uploaded recording"
    );
    app.screenshot("recording-downloaded").await?;

    // Approved with the RAO's own credentials this time.
    app.click("rao-auth-credentials").await?;
    app.fill("rao-id", &optimizer_sim::PRACTICE_RAO_ID.to_string())
        .await?;
    app.fill("rao-username", optimizer_sim::PRACTICE_RAO_USERNAME)
        .await?;
    app.fill("rao-password", optimizer_sim::PRACTICE_RAO_PASSWORD)
        .await?;
    app.fill("rao-pin", optimizer_sim::PRACTICE_RAO_PIN).await?;
    app.screenshot("decision-with-credentials").await?;
    app.click("decision-approve").await?;

    // No documents were chosen at the start: the desk asks for them now.
    app.wait_attribute("flow-screen", "data-step", "documents")
        .await?;
    app.find("videoid-documents").await?;
    add_documents(&app, &[short_document()]).await?;
    app.screenshot("documents-after-approval").await?;
    app.click("videoid-documents-send").await?;
    review_and_sign(&mut app, &desk, pk).await?;

    let saved = saved_pdfs(&desk.output_dir())?;
    ensure!(saved.len() == 2, "saved: {saved:?}");
    for file in &saved {
        assert_signed_and_valid(&desk.ca_pem(), file)?;
    }
    ensure!(request_status(&desk, Layout::Current, pk).await? == "ISSUED");
    ensure!(!documents_left(&desk, Layout::Current, pk).await?);
    app.close().await
}

#[tokio::test]
async fn incomplete_evidences_are_said_and_completed() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Legacy, |_| {}).await?;
    use_external_authority(&desk)?;
    let files = evidence_files()?;
    let mut app = App::start("videoid-external-incomplete", desk.app_options()).await?;

    let pk = start_identification(&mut app, "external", &[short_document()]).await?;
    choose_evidence_image(
        &app,
        "document_front",
        "Choose the picture of the front of the ID",
        &files.front,
    )
    .await?;
    fill_evidences(&app, "not an address").await?;
    // A wrong field is named before anything is sent.
    app.click("evidences-send").await?;
    app.find("evidence-acceptance-ip-issue").await?;
    app.find("evidences-missing-images").await?;
    app.screenshot("evidences-with-problems").await?;
    ensure!(
        app.attribute("flow-screen", "data-state").await?.as_deref() == Some("video_pending"),
        "nothing was sent"
    );

    // Sent without the other pictures and the video: the identification is incomplete.
    app.fill("evidence-acceptance-ip", "186.0.91.53").await?;
    app.click("evidences-send").await?;
    app.wait_attribute("identification-outcome", "data-outcome", "video_incomplete")
        .await?;
    app.find("evidences-sent").await?;
    app.screenshot("incomplete").await?;
    ensure!(request_status(&desk, Layout::Legacy, pk).await? == "VIDEOINCOMPLETE");

    // The employee completes the pictures and adds the recording.
    app.click("evidences-resend").await?;
    for (image, title, path) in [
        (
            "document_rear",
            "Choose the picture of the back of the ID",
            &files.rear,
        ),
        (
            "document_photo",
            "Choose the photo cut from the ID",
            &files.photo,
        ),
        (
            "document_owner",
            "Choose the customer's selfie",
            &files.selfie,
        ),
    ] {
        choose_evidence_image(&app, image, title, path).await?;
    }
    choose_video(&app, &files.video).await?;
    app.click("evidences-send").await?;
    app.wait_attribute("flow-screen", "data-step", "decision")
        .await?;
    ensure!(request_status(&desk, Layout::Legacy, pk).await? == "VIDEOREVIEW");
    app.screenshot("complete").await?;

    app.click("videoid-cancel").await?;
    app.click("cancel-dialog-confirm").await?;
    app.wait_attribute("flow-screen", "data-state", "cancelled")
        .await?;
    app.close().await
}
