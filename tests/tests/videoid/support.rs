//! What the VideoID tests share: the desk's webhook receiver and the simulator's webhook
//! target, the customer's side of the identification, the evidences' files, and driving the
//! steps every VideoID flow goes through.

use crate::classic::{SIGNING_LIMIT, add_documents, review_everything, sms_code};
use anyhow::{Context, Result, bail, ensure};
use e2e::{App, SimulatedDesk, dialog};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Waiting for the customer: the desk reads the status back on a slowing schedule (at most
/// every 30 s), so a change seen only by reading back may take that long to show.
pub const IDENTIFICATION_LIMIT: Duration = Duration::from_secs(75);

pub const PHONE: &str = "+34 612 345 678";
pub const EMAIL: &str = "video.customer@example.com";

/// A loopback address nothing listens on yet (for the desk's webhook receiver).
pub fn free_address() -> Result<std::net::SocketAddr> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?)
}

/// The URL at which the desk's receiver on `address` hears webhooks.
pub fn receiver_url(address: std::net::SocketAddr) -> String {
    format!("http://{address}/oneshot-desk/webhook")
}

/// IT makes the desk listen for webhooks on `address` (`videoid.webhook_listen`).
pub fn listen_for_webhooks(desk: &SimulatedDesk, address: std::net::SocketAddr) -> Result<()> {
    let path = desk.system_config();
    let mut settings = std::fs::read_to_string(&path)?;
    settings.push_str(&format!("\n[videoid]\nwebhook_listen = \"{address}\"\n"));
    std::fs::write(&path, settings)?;
    Ok(())
}

/// IT points the desk at the simulator's external-VideoID registration authority (9998).
pub fn use_external_authority(desk: &SimulatedDesk) -> Result<()> {
    let path = desk.system_config();
    let settings = std::fs::read_to_string(&path)?;
    let eidas = "registration_authority = \"9999\"";
    ensure!(settings.contains(eidas), "the settings name no authority");
    std::fs::write(
        &path,
        settings.replace(eidas, "registration_authority = \"9998\""),
    )?;
    Ok(())
}

/// The customer's side of an eIDAS identification on the simulator: `complete` (with this
/// identity), `incomplete` or `fail`.
pub async fn customer_does(desk: &SimulatedDesk, pk: u64, outcome: &str) -> Result<()> {
    let url = format!("{}/_sim/videoid/{pk}/{outcome}", desk.sim.base_url());
    let client = reqwest::Client::new();
    let request = client.post(&url);
    let request = if outcome == "complete" {
        request.json(&serde_json::json!({
            "given_name": "Lucía",
            "surname_1": "Martín",
            "surname_2": "Ruiz",
            "serial_number": "12345678Z",
            "id_document_type": "IDC",
            "id_document_country": "ES",
        }))
    } else {
        request
    };
    let answer = request.send().await?;
    ensure!(
        answer.status().is_success(),
        "the simulator refused {outcome}: {}",
        answer.text().await?
    );
    Ok(())
}

/// The webhook deliveries the simulator made for request `pk` (its delivery log).
pub async fn webhook_deliveries(desk: &SimulatedDesk, pk: u64) -> Result<Vec<serde_json::Value>> {
    let url = format!("{}/_sim/webhooks", desk.sim.base_url());
    let log: serde_json::Value = reqwest::get(&url).await?.error_for_status()?.json().await?;
    Ok(log["deliveries"]
        .as_array()
        .context("no deliveries list")?
        .iter()
        .filter(|delivery| delivery["request_pk"].as_u64() == Some(pk))
        .cloned()
        .collect())
}

/// Opens the VideoID screen, chooses the identification, types the contact, adds `documents`
/// and starts; returns the request pk once the identification waits.
pub async fn start_identification(app: &mut App, kind: &str, documents: &[PathBuf]) -> Result<u64> {
    app.click("nav-videoId").await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;
    app.click(&format!("videoid-kind-{kind}")).await?;
    app.fill("videoid-mobile_phone_number", PHONE).await?;
    app.fill("videoid-email", EMAIL).await?;
    add_documents(app, documents).await?;
    app.screenshot("contact").await?;
    app.click("videoid-start").await?;
    app.wait_attribute("flow-screen", "data-step", "identification")
        .await?;
    request_pk(app).await
}

/// The request pk of the flow on screen.
pub async fn request_pk(app: &App) -> Result<u64> {
    for _ in 0..150 {
        let pk = app
            .attribute("flow-screen", "data-request-pk")
            .await?
            .unwrap_or_default();
        if let Ok(pk) = pk.parse() {
            return Ok(pk);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the flow never showed its request pk")
}

/// The RAO approves with the saved token and their RAO id.
pub async fn approve_with_token(app: &mut App) -> Result<()> {
    app.click("rao-auth-token").await?;
    app.fill("rao-id", &optimizer_sim::PRACTICE_RAO_ID.to_string())
        .await?;
    app.screenshot("decision").await?;
    app.click("decision-approve").await
}

/// From the review to the saved files: review everything, send the code, type what the
/// customer received, and wait until the files are saved and checked.
pub async fn review_and_sign(app: &mut App, desk: &SimulatedDesk, pk: u64) -> Result<()> {
    review_everything(app, 1).await?;
    app.click("review-confirm").await?;
    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;
    app.click("otp-send").await?;
    app.find("otp-input").await?;
    app.screenshot("code-sent").await?;
    let code = sms_code(desk, pk).await?;
    app.fill("otp-input", &code).await?;
    app.press_enter("otp-input").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    for row in ["result-document-1", "result-contract"] {
        app.wait_attribute(row, "data-verified", "true").await?;
    }
    app.screenshot("signed").await?;
    Ok(())
}

/// The evidences' pictures (ID front and back, the photo cut from the ID, a selfie) and a small
/// recording, made here.
pub struct EvidenceFiles {
    _dir: tempfile::TempDir,
    pub front: PathBuf,
    pub rear: PathBuf,
    pub photo: PathBuf,
    pub selfie: PathBuf,
    pub video: PathBuf,
}

pub fn evidence_files() -> Result<EvidenceFiles> {
    let dir = tempfile::tempdir()?;
    let picture = |shade: u8, width: u32, height: u32| {
        image::RgbImage::from_fn(width, height, |x, y| {
            let band = u8::try_from((x / 32 + y / 32) % 2).unwrap_or(0) * 50;
            image::Rgb([shade, 110u8.saturating_add(band), 190])
        })
    };
    let front = dir.path().join("id-front.jpg");
    let rear = dir.path().join("id-back.png");
    let photo = dir.path().join("id-face.jpg");
    let selfie = dir.path().join("selfie.jpg");
    picture(40, 640, 400).save(&front)?;
    picture(80, 640, 400).save(&rear)?;
    picture(120, 200, 260).save(&photo)?;
    picture(170, 480, 640).save(&selfie)?;
    let video = dir.path().join("identification.mp4");
    std::fs::write(&video, small_mp4())?;
    Ok(EvidenceFiles {
        _dir: dir,
        front,
        rear,
        photo,
        selfie,
        video,
    })
}

/// An ISO base-media (MP4) file: its `ftyp` box names the brands, then a `free` box and an
/// `mdat` box with some payload: what the desk recognises a recording by (its content).
fn small_mp4() -> Vec<u8> {
    let mut file = Vec::new();
    let ftyp: &[u8] = b"ftypisom\0\0\x02\0isomiso2mp41";
    file.extend_from_slice(&u32::try_from(ftyp.len() + 4).unwrap_or(0).to_be_bytes());
    file.extend_from_slice(ftyp);
    file.extend_from_slice(&8u32.to_be_bytes());
    file.extend_from_slice(b"free");
    let payload: Vec<u8> = (0..96 * 1024u32).map(|i| (i % 251) as u8).collect();
    file.extend_from_slice(&u32::try_from(payload.len() + 8).unwrap_or(0).to_be_bytes());
    file.extend_from_slice(b"mdat");
    file.extend_from_slice(&payload);
    file
}

/// Chooses an evidence picture through the real file dialog and waits for its preview.
pub async fn choose_evidence_image(app: &App, image: &str, title: &str, path: &Path) -> Result<()> {
    app.click(&format!("evidence-{image}-choose")).await?;
    dialog::choose_file(app.display(), title, path).await?;
    app.find(&format!("evidence-{image}-thumbnail")).await?;
    Ok(())
}

/// Types the data read from the ID, ticks every check, the similarity and the acceptance
/// (with `ip` as the customer's address).
pub async fn fill_evidences(app: &App, ip: &str) -> Result<()> {
    for (field, value) in [
        ("ocr_data-given_name", "Lucía"),
        ("ocr_data-surname_1", "Martín"),
        ("ocr_data-surname_2", "Ruiz"),
        ("ocr_data-serial_number", "12345678Z"),
        ("similarity_level", "87"),
        ("acceptance-terms_url", "https://example.com/terms"),
        (
            "acceptance-privacy_policy_url",
            "https://example.com/privacy",
        ),
        ("acceptance-ip", ip),
        ("acceptance-user_agent", "Mozilla/5.0 (X11; Linux x86_64)"),
    ] {
        app.fill(&format!("evidence-{field}"), value).await?;
    }
    app.fill("evidence-acceptance-accepted_at", "2025-06-04 10:15")
        .await?;
    for check in [
        "otp_validation",
        "documents_match",
        "data_integrity",
        "document_notcopy",
        "document_notexpired",
        "document_notunderage",
        "liveliness",
    ] {
        app.click(&format!("evidence-check-{check}")).await?;
    }
    Ok(())
}

/// Chooses the recording through the real file dialog.
pub async fn choose_video(app: &App, path: &Path) -> Result<()> {
    app.click("video-choose").await?;
    dialog::choose_file(
        app.display(),
        "Choose the video of the identification",
        path,
    )
    .await?;
    app.find("video-file").await?;
    Ok(())
}
