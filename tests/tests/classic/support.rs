//! What the classic-flow tests share: the customer, fixtures (photos made here, real-world PDFs
//! installed by Debian packages), driving each step, and checks of the simulator's state and of
//! the saved files with independent validators.

use anyhow::{Context, Result, bail, ensure};
use e2e::{App, Layout, SimulatedDesk, dialog};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SETUP_HINT: &str = "run `cargo xtask setup`";

/// Signing, saving and checking several documents takes a few seconds on a loaded machine.
pub const SIGNING_LIMIT: Duration = Duration::from_secs(120);

/// A customer the desk and the simulator accept (a Spanish ID number with its right letter).
pub struct Customer {
    pub given_name: &'static str,
    pub surname_1: &'static str,
    pub surname_2: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
    pub id_number: &'static str,
}

pub const ANA: Customer = Customer {
    given_name: "Ana",
    surname_1: "García",
    surname_2: "López",
    email: "ana.garcia@example.com",
    phone: "+34 612 345 678",
    id_number: "12345678Z",
};

/// The photos of an ID document: made here, JPEG and PNG, as a phone camera would give them.
pub struct Photos {
    _dir: tempfile::TempDir,
    pub front: PathBuf,
    pub rear: PathBuf,
    pub selfie: PathBuf,
}

pub fn photos() -> Result<Photos> {
    let dir = tempfile::tempdir()?;
    let picture = |shade: u8| {
        image::RgbImage::from_fn(640, 400, |x, y| {
            let band = u8::try_from((x / 40 + y / 40) % 2).unwrap_or(0) * 40;
            image::Rgb([shade, 120u8.saturating_add(band), 200])
        })
    };
    let front = dir.path().join("id-front.jpg");
    let rear = dir.path().join("id-back.png");
    let selfie = dir.path().join("customer-with-id.jpg");
    picture(30).save(&front)?;
    picture(90).save(&rear)?;
    picture(160).save(&selfie)?;
    Ok(Photos {
        _dir: dir,
        front,
        rear,
        selfie,
    })
}

/// A 36-page manual from Debian's libtasn1-doc.
pub fn long_document() -> PathBuf {
    installed("/usr/share/doc/libtasn1-doc/libtasn1.pdf")
}

/// A 17-page specification from Debian's shared-mime-info.
pub fn short_document() -> PathBuf {
    installed("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")
}

fn installed(path: &str) -> PathBuf {
    let path = PathBuf::from(path);
    assert!(
        path.is_file(),
        "{} is missing: {SETUP_HINT}",
        path.display()
    );
    path
}

/// Types the customer's details into the form.
pub async fn fill_customer(app: &App, customer: &Customer) -> Result<()> {
    app.fill("customer-given_name", customer.given_name).await?;
    app.fill("customer-surname_1", customer.surname_1).await?;
    app.fill("customer-surname_2", customer.surname_2).await?;
    app.fill("customer-email", customer.email).await?;
    app.fill("customer-mobile_phone_number", customer.phone)
        .await?;
    app.fill("customer-serial_number", customer.id_number)
        .await?;
    Ok(())
}

/// Chooses an ID photo through the real file dialog and waits for its preview.
pub async fn choose_photo(app: &App, slot: &str, title: &str, path: &Path) -> Result<()> {
    app.click(&format!("photo-{slot}-choose")).await?;
    dialog::choose_file(app.display(), title, path).await?;
    app.find(&format!("photo-{slot}-thumbnail")).await?;
    Ok(())
}

/// Chooses the three ID photos.
pub async fn choose_photos(app: &App, photos: &Photos) -> Result<()> {
    choose_photo(
        app,
        "front",
        "Choose the photo of the front of the ID",
        &photos.front,
    )
    .await?;
    choose_photo(
        app,
        "rear",
        "Choose the photo of the back of the ID",
        &photos.rear,
    )
    .await?;
    choose_photo(
        app,
        "selfie",
        "Choose the photo of the customer holding the ID",
        &photos.selfie,
    )
    .await
}

/// Adds each PDF through the real file dialog, one dialog each, and waits for it in the list.
pub async fn add_documents(app: &App, documents: &[PathBuf]) -> Result<()> {
    for (index, path) in documents.iter().enumerate() {
        app.click("documents-add").await?;
        dialog::choose_file(app.display(), "Choose the documents to sign", path).await?;
        app.find(&format!("document-{}", index + 1)).await?;
    }
    Ok(())
}

/// The Optimizer's pk of the flow on screen, once the request exists.
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

/// Waits for the review, then brings each document to "seen": the contract and the first
/// document by paging to their last page, any other by marking it seen.
pub async fn review_everything(app: &mut App, documents: usize) -> Result<()> {
    app.wait_attribute("flow-screen", "data-step", "review")
        .await?;
    app.wait_attribute("review-document-viewer-page-image-1", "data-loaded", "true")
        .await?;
    app.wait_attribute("review-contract-viewer-page-image-1", "data-loaded", "true")
        .await?;
    ensure!(
        !app.is_enabled("review-confirm").await?,
        "signing must not be offered before the review"
    );
    let status = app.find("review-document-status").await?.text().await?;
    ensure!(
        status.starts_with("Not seen"),
        "a long document is not seen before it was paged through: {status:?}"
    );
    app.screenshot("review-side-by-side").await?;

    page_to_the_end(app, "review-document").await?;
    page_to_the_end(app, "review-contract").await?;
    for tab in 2..=documents {
        app.click(&format!("review-tabs-tab-{tab}")).await?;
        app.click("review-document-mark-seen").await?;
        app.wait_text("review-document-status", |text| text.contains("Seen"))
            .await?;
    }
    app.wait_text("review-contract-status", |text| text.contains("Seen"))
        .await?;
    app.wait_text("review-remaining", |text| text.contains("seen everything"))
        .await?;
    ensure!(
        !app.is_enabled("review-confirm").await?,
        "the employee must confirm first"
    );
    app.click("review-confirm-check").await?;
    Ok(())
}

/// Jumps to the last page of a review viewer, which marks its document seen.
async fn page_to_the_end(app: &App, prefix: &str) -> Result<()> {
    let count = app
        .wait_text(&format!("{prefix}-viewer-page-count"), |text| {
            text.starts_with("of ")
        })
        .await?;
    let last = count.trim_start_matches("of ").trim().to_owned();
    let input = format!("{prefix}-viewer-page-input");
    app.fill(&input, &last).await?;
    app.press_enter(&input).await?;
    app.wait_text(&format!("{prefix}-status"), |text| text.contains("Seen"))
        .await?;
    Ok(())
}

/// What the customer's phone received (the simulator's SMS inbox).
pub async fn sms_code(desk: &SimulatedDesk, pk: u64) -> Result<String> {
    let url = format!("{}/_sim/sms/{pk}", desk.sim.base_url());
    for _ in 0..100 {
        let answer = reqwest::get(&url).await?;
        if answer.status().is_success() {
            let inbox: serde_json::Value = answer.json().await?;
            return inbox["otp"]
                .as_str()
                .map(str::to_owned)
                .context("the SMS inbox has no code");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no SMS reached the customer for request {pk}")
}

fn api_prefix(layout: Layout) -> &'static str {
    match layout {
        Layout::Current => "/oneshot/api/v1",
        Layout::Legacy => "/api/v1",
    }
}

/// The request's status on the simulator (`ISSUED`, ...).
pub async fn request_status(desk: &SimulatedDesk, layout: Layout, pk: u64) -> Result<String> {
    let url = format!("{}{}/request/{pk}", desk.sim.base_url(), api_prefix(layout));
    let body: serde_json::Value = reqwest::get(&url).await?.error_for_status()?.json().await?;
    let record = if body["details"].is_object() {
        &body["details"]
    } else {
        &body["detail"]
    };
    record["status"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no status in {body}"))
}

/// Whether the simulator still holds documents of the request (the desk must delete them).
pub async fn documents_left(desk: &SimulatedDesk, layout: Layout, pk: u64) -> Result<bool> {
    let url = format!(
        "{}{}/documents/{pk}",
        desk.sim.base_url(),
        api_prefix(layout)
    );
    let answer = reqwest::get(&url).await?;
    if answer.status() == reqwest::StatusCode::NOT_FOUND {
        let text = answer.text().await?;
        ensure!(
            text.contains("No documents found"),
            "unexpected answer: {text}"
        );
        return Ok(false);
    }
    let body: serde_json::Value = answer.error_for_status()?.json().await?;
    Ok(!body["details"]
        .as_object()
        .is_none_or(serde_json::Map::is_empty))
}

/// Every PDF saved under `dir` (the desk makes one folder per request).
pub fn saved_pdfs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "pdf") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools"),
        PathBuf::from,
    )
}

fn on_path(name: &str) -> Result<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|path| path.is_file())
        })
        .with_context(|| format!("`{name}` is not installed: {SETUP_HINT}"))
}

/// poppler's pdfsig (NSS store trusting the simulator's CA) and pyHanko (the CA as trust root)
/// both judge every signature of the file valid and trusted, the last covering the whole file.
pub fn assert_signed_and_valid(ca_pem: &str, pdf: &Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem)?;
    let db = format!("sql:{}", dir.path().display());
    let ca_arg = ca.to_string_lossy().into_owned();
    for args in [
        vec!["-N", "-d", &db, "--empty-password"],
        vec![
            "-A",
            "-d",
            &db,
            "-n",
            "simulator CA",
            "-t",
            "CT,C,C",
            "-i",
            &ca_arg,
        ],
    ] {
        let status = Command::new(on_path("certutil")?).args(&args).status()?;
        ensure!(status.success(), "certutil {args:?} failed");
    }
    let out = Command::new(on_path("pdfsig")?)
        .arg("-nssdir")
        .arg(&db)
        .arg(pdf)
        .output()?;
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let count = report.matches("Signature #").count();
    ensure!(
        count >= 1,
        "pdfsig: no signature in {}:\n{report}",
        pdf.display()
    );
    ensure!(
        report.matches("Signature is Valid.").count() == count
            && report.matches("Certificate is Trusted.").count() == count,
        "pdfsig does not judge {} valid and trusted:\n{report}",
        pdf.display()
    );
    ensure!(
        report
            .rsplit("Signature #")
            .next()
            .is_some_and(|last| last.contains("Total document signed")),
        "pdfsig: the last signature of {} does not cover the whole file:\n{report}",
        pdf.display()
    );

    let pyhanko = tools_dir().join("venv/bin/pyhanko");
    ensure!(
        pyhanko.is_file(),
        "pyHanko is missing at {}: {SETUP_HINT}",
        pyhanko.display()
    );
    let out = Command::new(&pyhanko)
        .args([
            "sign",
            "validate",
            "--no-revocation-check",
            "--trust-replace",
            "--trust",
        ])
        .arg(&ca)
        .arg("--pretty-print")
        .arg(pdf)
        .output()?;
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    ensure!(
        out.status.success()
            && report.contains("The signature is judged VALID.")
            && report.contains("The signer's certificate is trusted."),
        "pyHanko rejects {}:\n{report}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    ensure!(
        report
            .rsplit("Field ")
            .next()
            .is_some_and(|last| last.contains("The signature covers the entire file.")),
        "pyHanko: the last signature of {} does not cover the whole file:\n{report}",
        pdf.display()
    );
    Ok(())
}

/// A local port that refuses connections for as long as the returned socket lives: bound but
/// not listening, so a simulator started by a test running alongside cannot be given it.
pub fn closed_port() -> Result<(tokio::net::TcpSocket, u16)> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind("127.0.0.1:0".parse()?)?;
    let port = socket.local_addr()?.port();
    Ok((socket, port))
}
