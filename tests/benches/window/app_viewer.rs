//! The app's own viewer (the preview screen) in the real window: a document dropped on the
//! window, as a person drops a file, and its pages as the window paints them.
//!
//! WebDriver cannot drag a file in from another application, so the window's own drop event is
//! delivered (`tauri://drag-drop`, what Tauri emits for a native drop), as in the end-to-end
//! tests; from there the preview's real open, render and paint path runs.

use crate::page::{self, APP_PAGES, PAINTED};
use anyhow::{Context, Result, bail};
use e2e::{App, AppOptions};
use serde::Deserialize;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

/// One open, in milliseconds from the drop.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Opened {
    /// Page 1 painted.
    pub ms: f64,
    /// Page 1's box in the page area (the open command answered and the viewer laid out).
    #[serde(rename = "laidOut")]
    pub laid_out: Option<f64>,
}

pub struct AppViewer {
    pub app: App,
}

/// The viewer's layout, read after a document opened: what pdf.js is given in the same run.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Layout {
    /// The page area's size, CSS pixels.
    pub width: f64,
    pub height: f64,
    /// Page 1's render scale (image pixels per PDF point) and its box's CSS width.
    pub scale: f64,
    #[serde(rename = "pageWidth")]
    pub page_width: f64,
}

const OPEN: &str = r#"
const [path, attr, limitMs, done] = arguments;
const painted = `[data-testid="preview-viewer-page-image-1"][${attr}="true"]`;
let finished = false;
const finish = (result) => {
  if (finished) return;
  finished = true;
  watch.disconnect();
  clearTimeout(timer);
  done(result);
};
// When the open command had answered: page 1's box is in the page area.
let laidOut = null;
const watch = new MutationObserver(() => {
  if (laidOut === null && document.querySelector('[data-testid="preview-viewer-page-1"]')) laidOut = performance.now() - started;
  if (document.querySelector(painted)) finish({ ms: performance.now() - started, laidOut });
});
watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: [attr] });
const timer = setTimeout(() => finish({ error: `page 1 was not painted within ${limitMs} ms` }), limitMs);
const started = performance.now();
window.__TAURI_INTERNALS__
  .invoke('plugin:event|emit_to', {
    target: { kind: 'Webview', label: 'main' },
    event: 'tauri://drag-drop',
    payload: { paths: [path], position: { x: 400, y: 400 } },
  })
  .catch((error) => finish({ error: `the drop was not delivered: ${error}` }));
"#;

const LAYOUT: &str = r#"
const done = arguments[arguments.length - 1];
const area = document.querySelector('[data-testid="preview-viewer-pages"]');
const image = document.querySelector('[data-testid="preview-viewer-page-image-1"]');
const box = document.querySelector('[data-testid="preview-viewer-page-1"]');
if (!area || !image || !box) { done({ error: 'no open document in the preview' }); return; }
const scale = Number(new URL(image.src).searchParams.get('scale'));
done({ width: area.clientWidth, height: area.clientHeight, scale, pageWidth: box.getBoundingClientRect().width });
"#;

impl AppViewer {
    /// Starts the app (`binary`) and goes to its preview screen, ready for a drop.
    pub async fn start(name: &str, binary: &Path) -> Result<Self> {
        let app = App::start(
            name,
            AppOptions {
                binary: Some(binary.to_path_buf()),
                ..AppOptions::default()
            },
        )
        .await?;
        crate::long_scripts(&app.client).await?;
        app.click("nav-preview").await?;
        app.find("preview-empty").await?;
        // The preview listens for drops once its listener is registered over IPC, a moment
        // after it shows.
        tokio::time::sleep(Duration::from_secs(1)).await;
        Ok(Self { app })
    }

    /// Drops `path` on the window; milliseconds from the drop to page 1 painted.
    pub async fn open(&self, path: &Path, limit: Duration) -> Result<f64> {
        Ok(self.open_in_stages(path, limit).await?.ms)
    }

    /// Drops `path` on the window: when page 1 was painted, and the stages before.
    pub async fn open_in_stages(&self, path: &Path, limit: Duration) -> Result<Opened> {
        let value = self
            .app
            .run_async(
                OPEN,
                vec![
                    json!(path.to_string_lossy()),
                    json!(PAINTED),
                    json!(limit.as_millis() as u64),
                ],
            )
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        page::parse::<Opened>(value, "open")
    }

    /// Closes the open document's tab, as the employee does, and waits until it is gone.
    pub async fn close_document(&self) -> Result<()> {
        self.app.click("preview-tabs-close-1").await?;
        self.app.find("preview-empty").await?;
        Ok(())
    }

    pub async fn layout(&self) -> Result<Layout> {
        let value = self.app.run_async(LAYOUT, Vec::new()).await?;
        page::parse(value, "layout")
    }

    /// Resizes the window until page 1 is rendered at `scale` pixels per point (the viewer fits
    /// pages to its width and rounds its render scale up to an eighth).
    pub async fn fit_scale(&self, scale: f64, page_points: f64) -> Result<Layout> {
        for _ in 0..4 {
            let layout = self.layout().await?;
            if (layout.scale - scale).abs() < 1e-6 {
                return Ok(layout);
            }
            // Aim at the middle of the eighth that rounds up to `scale`.
            let wanted = (scale - 1.0 / 16.0) * page_points;
            let (width, height) = self.app.client.get_window_size().await?;
            let new_width = (width as f64 + wanted - layout.page_width)
                .round()
                .max(400.0);
            self.app
                .client
                .set_window_size(new_width as u32, height as u32)
                .await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let layout = self.layout().await?;
        if (layout.scale - scale).abs() > 1e-6 {
            bail!(
                "the viewer renders at {} pixels per point, not {scale}, whatever the window's width",
                layout.scale
            );
        }
        Ok(layout)
    }

    pub fn pages(&self) -> &'static page::Pages {
        &APP_PAGES
    }
}
