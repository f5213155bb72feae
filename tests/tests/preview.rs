//! Offline preview: any local PDF opens and reads with no Optimizer configured.

use anyhow::Result;
use e2e::{App, AppOptions, dialog};
use std::path::{Path, PathBuf};

const DIALOG_TITLE: &str = "Choose PDF files to open";

/// pgfmanual.pdf from Debian's texlive-pictures-doc (installed by `cargo xtask setup`).
fn long_manual() -> PathBuf {
    let path = PathBuf::from("/usr/share/doc/texlive-doc/generic/pgf/pgfmanual.pdf");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask setup`",
        path.display()
    );
    path
}

/// A small real-world PDF from Debian's libtasn1-doc.
fn small_manual() -> PathBuf {
    let path = PathBuf::from("/usr/share/doc/libtasn1-doc/libtasn1.pdf");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo xtask setup`",
        path.display()
    );
    path
}

async fn open_in_preview(app: &App, path: &Path) -> Result<()> {
    app.click("nav-preview").await?;
    app.click("preview-choose").await?;
    dialog::choose_file(app.display(), DIALOG_TITLE, path).await
}

#[tokio::test]
async fn a_long_pdf_opens_and_only_pages_on_screen_are_rendered() -> Result<()> {
    let mut app = App::start("preview-long", AppOptions::default()).await?;
    open_in_preview(&app, &long_manual()).await?;
    app.wait_text("preview-viewer-page-count", |text| text == "of 1321")
        .await?;
    app.wait_attribute("preview-viewer-page-image-1", "data-loaded", "true")
        .await?;
    app.screenshot("first-page").await?;

    app.fill("preview-viewer-page-input", "1000").await?;
    app.press_enter("preview-viewer-page-input").await?;
    app.wait_attribute("preview-viewer-page-image-1000", "data-loaded", "true")
        .await?;
    assert!(
        !app.exists("preview-viewer-page-image-1").await?,
        "page 1 is far off screen and should no longer be rendered"
    );
    assert!(!app.exists("preview-viewer-page-image-500").await?);
    app.screenshot("page-1000").await?;
    app.close().await
}

#[tokio::test]
async fn a_protected_pdf_asks_for_its_password() -> Result<()> {
    let work = tempfile::tempdir()?;
    let protected = work.path().join("protected.pdf");
    let status = std::process::Command::new("qpdf")
        .args(["--encrypt", "s3cret-user", "owner-pw", "256", "--"])
        .arg(small_manual())
        .arg(&protected)
        .status()?;
    assert!(
        status.success(),
        "qpdf could not encrypt the fixture: run `cargo xtask setup`"
    );

    let mut app = App::start("preview-password", AppOptions::default()).await?;
    open_in_preview(&app, &protected).await?;
    app.find("preview-password-form").await?;
    app.fill("preview-password", "wrong").await?;
    app.click("preview-unlock").await?;
    app.wait_text("preview-password-form", |text| text.contains("not right"))
        .await?;
    app.screenshot("wrong-password").await?;

    app.fill("preview-password", "s3cret-user").await?;
    app.click("preview-unlock").await?;
    app.wait_attribute("preview-viewer-page-image-1", "data-loaded", "true")
        .await?;
    app.screenshot("unlocked").await?;
    app.close().await
}

#[tokio::test]
async fn a_file_that_is_not_a_pdf_is_explained() -> Result<()> {
    let work = tempfile::tempdir()?;
    let fake = work.path().join("invoice.pdf");
    std::fs::write(&fake, "This is a plain text file with a .pdf name.\n")?;

    let mut app = App::start("preview-not-pdf", AppOptions::default()).await?;
    open_in_preview(&app, &fake).await?;
    app.wait_attribute("preview-error", "data-code", "pdf.not_a_pdf")
        .await?;
    let title = app.find("preview-error-title").await?.text().await?;
    assert_eq!(title, "This file is not a PDF.");
    app.screenshot("not-a-pdf").await?;
    app.close().await
}
