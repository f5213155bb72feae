//! eIDAS VideoID: the customer identifies on their phone through the link (shown as a QR code);
//! the desk hears of it by webhook or by reading the status back; the RAO decides.

use crate::classic::{
    assert_signed_and_valid, closed_port, documents_left, request_status, saved_pdfs,
    short_document,
};
use crate::support::{
    IDENTIFICATION_LIMIT, approve_with_token, customer_does, free_address, listen_for_webhooks,
    receiver_url, review_and_sign, start_identification, webhook_deliveries,
};
use anyhow::{Result, ensure};
use e2e::{App, Layout, SimulatedDesk};

#[tokio::test]
async fn an_identification_announced_by_webhook_is_approved_and_the_documents_signed() -> Result<()>
{
    let receiver = free_address()?;
    let desk = SimulatedDesk::start(Layout::Current, |config| {
        // The webhook IT had configured "on the RA" reaches this desk's receiver.
        config.webhook_url = Some(receiver_url(receiver));
    })
    .await?;
    listen_for_webhooks(&desk, receiver)?;
    let mut app = App::start("videoid-eidas-signed", desk.app_options()).await?;

    let pk = start_identification(&mut app, "eidas", &[short_document()]).await?;
    let link = app.value("videoid-link").await?;
    ensure!(
        link.starts_with(&desk.sim.base_url()) && link.contains("/videoid/"),
        "the customer's link: {link:?}"
    );
    ensure!(
        app.attribute("videoid-qr", "src")
            .await?
            .is_some_and(|src| src.starts_with("data:image/svg+xml")),
        "the link is shown as a QR code"
    );
    app.wait_attribute("videoid-status", "data-status", "VIDEOPENDING")
        .await?;
    app.find("videoid-following").await?;
    app.screenshot("waiting-for-the-customer").await?;

    customer_does(&desk, pk, "complete").await?;
    app.wait_attribute_within("flow-screen", "data-step", "decision", IDENTIFICATION_LIMIT)
        .await?;
    app.wait_text("decision-identity", |text| {
        text.contains("Lucía Martín Ruiz")
    })
    .await?;
    let delivered = webhook_deliveries(&desk, pk).await?;
    ensure!(
        delivered
            .iter()
            .any(|delivery| delivery["url"] == receiver_url(receiver)
                && delivery["state"] == "delivered"
                && delivery["payload"]["request"]["status"] == "VIDEOREVIEW"),
        "the simulator delivered VIDEOREVIEW to the desk: {delivered:?}"
    );

    approve_with_token(&mut app).await?;
    review_and_sign(&mut app, &desk, pk).await?;

    let saved = saved_pdfs(&desk.output_dir())?;
    ensure!(saved.len() == 2, "saved: {saved:?}");
    for file in &saved {
        assert_signed_and_valid(&desk.ca_pem(), file)?;
    }
    ensure!(request_status(&desk, Layout::Current, pk).await? == "ISSUED");
    ensure!(!documents_left(&desk, Layout::Current, pk).await?);

    app.click("result-new").await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;
    app.close().await
}

#[tokio::test]
async fn a_refused_identification_cancels_the_request() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Legacy, |_| {}).await?;
    let mut app = App::start("videoid-eidas-refused", desk.app_options()).await?;

    let pk = start_identification(&mut app, "eidas", &[]).await?;
    customer_does(&desk, pk, "complete").await?;
    // No webhook on this desk: "check now" reads the status at once.
    app.click("videoid-check-now").await?;
    app.wait_attribute_within("flow-screen", "data-step", "decision", IDENTIFICATION_LIMIT)
        .await?;
    app.fill("rao-id", &optimizer_sim::PRACTICE_RAO_ID.to_string())
        .await?;
    app.click("decision-refuse").await?;
    // Refusing needs a reason.
    app.click("refuse-confirm").await?;
    app.find("refuse-reason-issue").await?;
    app.screenshot("refusal-without-reason").await?;
    app.fill("refuse-reason", "Expired document").await?;
    app.click("refuse-confirm").await?;
    app.wait_attribute("flow-screen", "data-state", "refused")
        .await?;
    app.wait_text("refused-reason", |text| text == "Expired document")
        .await?;
    app.screenshot("refused").await?;
    ensure!(request_status(&desk, Layout::Legacy, pk).await? == "CANCELLED");

    app.click("nav-requests").await?;
    app.find("requests-table").await?;
    let rows = app.find("requests-table").await?.text().await?;
    ensure!(
        rows.contains("Identification refused") && rows.contains("Lucía Martín Ruiz"),
        "the list shows the refusal: {rows:?}"
    );
    app.screenshot("requests").await?;
    app.close().await
}

#[tokio::test]
async fn reading_the_status_back_takes_over_when_no_webhook_arrives() -> Result<()> {
    let receiver = free_address()?;
    // Kept bound (not listening) for the whole test, so nothing else gets the port.
    let (_refusing, nowhere) = closed_port()?;
    let desk = SimulatedDesk::start(Layout::Current, |config| {
        // The RA's webhook points somewhere else: nothing reaches the desk's receiver.
        config.webhook_url = Some(format!("http://127.0.0.1:{nowhere}/hook"));
        config.webhook_attempts = 1;
    })
    .await?;
    listen_for_webhooks(&desk, receiver)?;
    let mut app = App::start("videoid-eidas-polling", desk.app_options()).await?;

    let pk = start_identification(&mut app, "eidas", &[short_document()]).await?;
    // The customer leaves half-way: the desk reads it back and says the link still works.
    customer_does(&desk, pk, "incomplete").await?;
    app.wait_attribute_within(
        "identification-outcome",
        "data-outcome",
        "video_incomplete",
        IDENTIFICATION_LIMIT,
    )
    .await?;
    app.wait_attribute("videoid-status", "data-source", "polling")
        .await?;
    ensure!(app.exists("videoid-qr").await?, "the link is still offered");
    app.screenshot("incomplete").await?;

    customer_does(&desk, pk, "complete").await?;
    app.wait_attribute_within("flow-screen", "data-step", "decision", IDENTIFICATION_LIMIT)
        .await?;
    app.wait_attribute("videoid-status", "data-source", "polling")
        .await?;
    ensure!(
        webhook_deliveries(&desk, pk)
            .await?
            .iter()
            .all(|delivery| delivery["state"] != "delivered"),
        "no webhook reached the desk"
    );
    app.screenshot("review-by-reading-back").await?;

    // The employee closes the window; the next session finds the request waiting for review.
    app.close().await?;
    let mut app = App::start("videoid-eidas-reopened", desk.app_options()).await?;
    app.click("nav-requests").await?;
    let row = app
        .wait_text("requests-table", |text| {
            text.contains("Waiting for your review")
        })
        .await?;
    ensure!(row.contains("Lucía Martín Ruiz"), "{row:?}");
    app.screenshot("requests-waiting-for-review").await?;
    let id = request_row(&desk, pk).await?;
    app.click(&format!("request-{id}-open")).await?;
    app.wait_attribute("flow-screen", "data-step", "decision")
        .await?;

    // The RAO cancels instead of deciding.
    app.click("videoid-cancel").await?;
    app.click("cancel-dialog-confirm").await?;
    app.wait_attribute("flow-screen", "data-state", "cancelled")
        .await?;
    app.screenshot("cancelled").await?;
    ensure!(request_status(&desk, Layout::Current, pk).await? == "CANCELLED");
    app.close().await
}

/// The desk's flow id of request `pk` (the requests list names its rows by it), read from the
/// journal the app writes.
async fn request_row(desk: &SimulatedDesk, pk: u64) -> Result<i64> {
    let flows = desk.desk()?.recent_flows(20).await?;
    flows
        .iter()
        .find(|flow| flow.request_pk == Some(pk))
        .map(|flow| flow.id.0)
        .ok_or_else(|| anyhow::anyhow!("no flow has request {pk}"))
}
