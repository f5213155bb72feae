//! The pdf.js baseline: ui/bench (pdf.js's own viewer) in a plain Tauri window
//! (tests/minimal-window, the same WebKitGTK web view as the app's, same size, same display),
//! served from loopback with the documents held in memory (see `server.rs`).

use crate::app_viewer::Layout;
use crate::page::{self, PDFJS_PAGES};
use crate::server::Server;
use anyhow::{Context, Result};
use e2e::{App, AppOptions};
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct PdfJs {
    pub app: App,
}

impl PdfJs {
    /// Opens the bench page of `server` in the minimal window (`binary`).
    pub async fn start(name: &str, binary: &Path, server: &Server) -> Result<Self> {
        let app = App::start(
            name,
            AppOptions {
                binary: Some(binary.to_path_buf()),
                env: [(
                    "ONESHOT_MINIMAL_WINDOW_URL".to_owned(),
                    server.url("/index.html"),
                )]
                .into_iter()
                .chain(crate::minimal_window_env())
                .collect(),
                ..AppOptions::default()
            },
        )
        .await?;
        crate::long_scripts(&app.client).await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while app.root_attribute("data-ready").await?.as_deref() != Some("true") {
            anyhow::ensure!(
                Instant::now() < deadline,
                "the pdf.js page did not start within 30 s (is ui/bench/dist built? `npm run build:bench`)"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { app })
    }

    /// Gives pdf.js's scroll area the size of the app's page area.
    pub async fn layout(&self, layout: &Layout) -> Result<()> {
        self.app
            .client
            .execute(
                "window.pdfjsBench.layout(arguments[0], arguments[1]);",
                vec![json!(layout.width), json!(layout.height)],
            )
            .await?;
        Ok(())
    }

    /// Opens `url` at `scale` pixels per point; milliseconds from the call to page 1 painted.
    pub async fn open(&self, url: &str, scale: f64, limit: Duration) -> Result<f64> {
        let value = self
            .app
            .run_async(
                "const [url, scale, limitMs, done] = arguments;\n\
                 const timer = setTimeout(() => done({ error: `page 1 was not painted within ${limitMs} ms` }), limitMs);\n\
                 window.pdfjsBench.open(url, scale).then(\n\
                   (ms) => { clearTimeout(timer); done({ ms }); },\n\
                   (error) => { clearTimeout(timer); done({ error: String(error) }); });",
                vec![json!(url), json!(scale), json!(limit.as_millis() as u64)],
            )
            .await
            .with_context(|| format!("pdf.js opening {url}"))?;
        #[derive(serde::Deserialize)]
        struct Opened {
            ms: f64,
        }
        Ok(page::parse::<Opened>(value, "pdf.js open")?.ms)
    }

    pub async fn close_document(&self) -> Result<()> {
        self.app
            .run_async(
                "const done = arguments[0]; window.pdfjsBench.close().then(() => done(null), (e) => done(String(e)));",
                Vec::new(),
            )
            .await?;
        Ok(())
    }

    pub fn pages(&self) -> &'static page::Pages {
        &PDFJS_PAGES
    }
}
