//! The viewer's speed-related behaviour in the real window: a long PDF shows page 1 before
//! every page size is known, pages are painted as they scroll into view and released far from
//! it, scans open as fast as text. The times printed are those of the build under test (debug
//! unless stated); `cargo xtask bench` measures the release build against its targets.

use anyhow::{Context, Result};
use e2e::{App, AppOptions, dialog, memory};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

async fn open_in_preview(app: &App, path: &Path) -> Result<()> {
    app.click("nav-preview").await?;
    app.click("preview-choose").await?;
    dialog::choose_file(app.display(), DIALOG_TITLE, path).await
}

/// Milliseconds from the preview's "open" to page 1's image painted.
async fn open_to_first_paint(app: &App) -> Result<f64> {
    app.wait_attribute("preview-viewer-page-image-1", "data-painted", "true")
        .await?;
    let painted: f64 = app
        .attribute("preview-viewer-page-image-1", "data-painted-at")
        .await?
        .context("a painted page has its paint time")?
        .parse()?;
    let opened = app
        .run_async(
            "const marks = performance.getEntriesByName('viewer-open'); \
             arguments[0](marks[marks.length - 1].startTime);",
            vec![],
        )
        .await?
        .as_f64()
        .context("the open mark")?;
    Ok(painted - opened)
}

#[tokio::test]
async fn a_long_pdf_shows_page_one_before_every_page_size_is_known() -> Result<()> {
    let mut app = App::start("viewer-long-first-page", AppOptions::default()).await?;
    open_in_preview(&app, &long_manual()).await?;
    let first_paint = open_to_first_paint(&app).await?;
    eprintln!("pgfmanual.pdf (1321 pages): open to page 1 painted in {first_paint:.0} ms");
    app.wait_attribute("preview-viewer-track", "data-sizes-known", "true")
        .await?;
    let painted: f64 = app
        .attribute("preview-viewer-page-image-1", "data-painted-at")
        .await?
        .context("paint time")?
        .parse()?;
    let sizes_known: f64 = app
        .attribute("preview-viewer-track", "data-sizes-known-at")
        .await?
        .context("sizes time")?
        .parse()?;
    eprintln!(
        "all 1321 page sizes known {:.0} ms after page 1 was painted",
        sizes_known - painted
    );
    assert!(
        painted < sizes_known,
        "page 1 must not wait for the sizes of the other 1320 pages"
    );
    app.screenshot("first-page").await?;
    app.close().await
}

#[tokio::test]
async fn a_scanned_pdf_opens_to_its_first_page() -> Result<()> {
    let work = tempfile::tempdir()?;
    let scan = work.path().join("scanned-contract.pdf");
    std::fs::write(&scan, e2e::scan::scanned_pdf(30)?)?;
    let mut app = App::start("viewer-scan", AppOptions::default()).await?;
    open_in_preview(&app, &scan).await?;
    app.wait_text("preview-viewer-page-count", |text| text == "of 30")
        .await?;
    let first_paint = open_to_first_paint(&app).await?;
    eprintln!("scanned PDF (30 pages): open to page 1 painted in {first_paint:.0} ms");
    // Each page is one JPEG over the whole page: the window shows the JPEG the file stores, at
    // its own size, not a render of it down to the page's width (pdf-engine's stored_jpeg).
    let shown_size = app
        .run_async(
            r#"const done = arguments[arguments.length - 1];
               const image = document.querySelector('[data-testid="preview-viewer-page-image-1"]');
               done([image.naturalWidth, image.naturalHeight]);"#,
            Vec::new(),
        )
        .await?;
    assert_eq!(
        shown_size,
        serde_json::json!([e2e::scan::WIDTH, e2e::scan::HEIGHT]),
        "page 1 shown as stored"
    );
    app.screenshot("scanned-first-page").await?;
    app.close().await
}

/// Scrolls the page area by one viewport at a time through `pages` pages, waiting at each step
/// until every page on screen is painted (at most 5 s); answers each page's delay from coming
/// into view to painted (0 when it was painted before), the largest number of page images in
/// the DOM at once, and the render scale of the last image.
const SCROLL_SCRIPT: &str = r#"
const [pages, done] = arguments;
const scroller = document.querySelector('[data-testid="preview-viewer-pages"]');
const delays = {};
let mostImages = 0;
let scale = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function settle() {
  const deadline = performance.now() + 5000;
  for (;;) {
    const images = [...document.querySelectorAll('[data-testid^="preview-viewer-page-image-"]')];
    mostImages = Math.max(mostImages, images.length);
    const onScreen = [...document.querySelectorAll('[data-visible-since]')];
    let waiting = false;
    for (const page of onScreen) {
      const number = page.dataset.testid.replace('preview-viewer-page-', '');
      const image = page.querySelector('img');
      if (!image || image.dataset.painted !== 'true') { waiting = true; continue; }
      if (!(number in delays)) {
        delays[number] = Math.max(0, Number(image.dataset.paintedAt) - Number(page.dataset.visibleSince));
      }
      scale = Number(new URL(image.src).searchParams.get('scale'));
    }
    if (!waiting || performance.now() > deadline) return;
    await sleep(5);
  }
}
(async () => {
  await settle();
  while (Object.keys(delays).length < pages) {
    const before = scroller.scrollTop;
    scroller.scrollTop += scroller.clientHeight;
    await sleep(30);
    await settle();
    if (scroller.scrollTop === before) break;
  }
  done({ delays, mostImages, scale });
})().catch((error) => done({ error: String(error) }));
"#;

struct ScrollRun {
    delays: Vec<f64>,
    most_images: u64,
    dpi: f64,
}

async fn scroll_through(app: &App, pages: usize) -> Result<ScrollRun> {
    // The whole pass runs as one script: far longer than WebDriver's 30 s default.
    let mut timeouts = app.client.get_timeouts().await?;
    timeouts.set_script(Some(Duration::from_secs(900)));
    app.client.update_timeouts(timeouts).await?;
    let answer: Value = app.run_async(SCROLL_SCRIPT, vec![json!(pages)]).await?;
    if let Some(error) = answer.get("error") {
        anyhow::bail!("the scrolling script failed: {error}");
    }
    let mut delays: Vec<f64> = answer["delays"]
        .as_object()
        .context("delays")?
        .values()
        .filter_map(Value::as_f64)
        .collect();
    delays.sort_by(f64::total_cmp);
    Ok(ScrollRun {
        delays,
        most_images: answer["mostImages"].as_u64().unwrap_or(0),
        dpi: answer["scale"].as_f64().unwrap_or(0.0) * 72.0,
    })
}

#[tokio::test]
async fn scrolling_paints_every_page_and_releases_those_far_away() -> Result<()> {
    let mut app = App::start("viewer-scroll", AppOptions::default()).await?;
    open_in_preview(&app, &long_manual()).await?;
    app.wait_attribute("preview-viewer-page-image-1", "data-painted", "true")
        .await?;
    // 125 %: pages of the default window then render at about 150 dpi (the figure printed).
    app.click("preview-viewer-zoom-in").await?;
    app.wait_attribute("preview-viewer-track", "data-sizes-known", "true")
        .await?;
    // Forty pages prove painting and release; the 100-page timing is the window benchmark's.
    let run = scroll_through(&app, 40).await?;
    let count = run.delays.len();
    let late = run.delays.iter().filter(|d| **d > 50.0).count();
    let median = run.delays.get(count / 2).copied().unwrap_or(0.0);
    let worst = run.delays.last().copied().unwrap_or(0.0);
    eprintln!(
        "scrolled {count} pages at {:.0} dpi: {late} painted later than 50 ms after coming into \
         view; median {median:.0} ms, worst {worst:.0} ms; at most {} page images kept",
        run.dpi, run.most_images
    );
    assert!(count >= 40, "only {count} pages were painted");
    // The window keeps the pages on screen and one on either side: four at most at this zoom
    // (two pages share the screen while one scrolls out); six leaves room for a taller window.
    assert!(
        run.most_images <= 6,
        "{} page images were kept at once; pages far off screen must be released",
        run.most_images
    );
    let memory = memory::app_tree(app.display())?;
    eprintln!(
        "app + WebKit ({} processes): {:.0} MiB resident, peaks summed {:.0} MiB",
        memory.processes, memory.resident_mib, memory.peak_mib
    );
    app.screenshot("after-scrolling").await?;
    app.close().await
}
