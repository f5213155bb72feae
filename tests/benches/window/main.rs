//! The window benchmark: the real app window under Xvfb, driven through WebDriver like the
//! end-to-end tests (`e2e`'s harness), against baselines run in the same run.
//!
//! - `window-viewer`: open → first page painted for pgfmanual.pdf and a 30-page scanned PDF,
//!   and scrolling 100 pages at 150 dpi, against pdf.js (`viewer.rs`).
//! - `window-memory`: the app's memory after viewing every page of pgfmanual.pdf
//!   (`footprint.rs`).
//! - `window-startup`: launch → page loaded, against a minimal Tauri window (`startup.rs`).
//!
//! Needs `ONESHOT_DESK_APP` (the app binary, release for real figures), `ONESHOT_MINIMAL_WINDOW`
//! (tests/minimal-window's binary, same profile) and ui/bench/dist (`npm run build:bench`);
//! `cargo xtask bench` builds all three. Writes `<bench dir>/parts/window-*.json`.
//! `cargo bench -p e2e --bench window [-- window-viewer|window-memory|window-startup]` runs it
//! alone; `ONESHOT_BENCH_WINDOW_RUNS` sets the number of repeated runs of every figure and
//! `ONESHOT_BENCH_WINDOW_MEMORY_PAGES` shortens the memory walk (both for checking the harness).

mod app_viewer;
mod fixtures;
mod footprint;
mod memory;
mod page;
mod part;
mod pdfjs;
mod server;
mod startup;
mod stats;
mod viewer;

use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::time::Duration;

/// What the sections share.
pub struct Config {
    pub app: PathBuf,
    pub minimal: PathBuf,
    pub pdfjs_dist: PathBuf,
    /// Where generated documents are kept between runs.
    pub work: PathBuf,
    /// Repeats of the first-page and start-up figures.
    pub runs: usize,
    pub scroll_runs: usize,
    pub memory_runs: usize,
    /// Pages of pgfmanual.pdf the memory walk shows (all unless
    /// `ONESHOT_BENCH_WINDOW_MEMORY_PAGES` says fewer, for a quick check of the harness).
    pub memory_pages: u32,
}

impl Config {
    /// Which binaries ran, for every part's context: figures of a debug build mean nothing.
    pub fn binaries(&self) -> String {
        format!(
            "binaries: app {}, minimal window {}; web view drawing of both: {}",
            self.app.display(),
            self.minimal.display(),
            if gpu_render_node() {
                "GPU compositing (this machine has a GPU render node)"
            } else {
                "compositing off (no GPU render node: the app's choice, given to the minimal window too)"
            }
        )
    }
}

/// Whether this machine has a GPU render node (`/dev/dri/renderD*`), the app's reason to let
/// WebKit composite (src-tauri's compositing module).
fn gpu_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// The environment that makes the minimal window draw as the app does on this machine: the
/// baselines must not pay for GPU compositing in software when the app does not.
pub fn minimal_window_env() -> Vec<(String, String)> {
    if gpu_render_node() {
        Vec::new()
    } else {
        vec![("WEBKIT_DISABLE_COMPOSITING_MODE".to_owned(), "1".to_owned())]
    }
}

/// No section may hang the benchmark: each has this long.
const SECTION_LIMIT: Duration = Duration::from_secs(45 * 60);

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("window bench failed: {error:#}");
        std::process::exit(1);
    }
}

async fn run() -> Result<()> {
    // `cargo bench -- FILTER` hands the filter to every bench binary; flags are cargo's.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    let sections = ["window-viewer", "window-memory", "window-startup"];
    if !sections.iter().any(|s| wanted(s)) {
        return Ok(());
    }
    let config = config()?;
    let bench_dir = part::bench_dir()?;
    for name in sections.into_iter().filter(|s| wanted(s)) {
        let section = async {
            match name {
                "window-viewer" => viewer::run(&config).await,
                "window-memory" => footprint::run(&config).await,
                _ => startup::run(&config).await,
            }
        };
        let part = tokio::time::timeout(SECTION_LIMIT, section)
            .await
            .with_context(|| format!("{name} took more than {} min", SECTION_LIMIT.as_secs() / 60))?
            .with_context(|| format!("section {name}"))?;
        part::write(&bench_dir, &part)?;
    }
    Ok(())
}

fn config() -> Result<Config> {
    let binary = |variable: &str, what: &str| -> Result<PathBuf> {
        let path = std::env::var_os(variable)
            .map(PathBuf::from)
            .with_context(|| {
                format!(
                    "{variable} is not set: the {what} (`cargo xtask bench` builds and sets it)"
                )
            })?;
        if !path.is_file() {
            bail!("{variable}={} does not exist", path.display());
        }
        Ok(path)
    };
    let runs = match std::env::var("ONESHOT_BENCH_WINDOW_RUNS") {
        Ok(text) => Some(
            text.parse::<usize>()
                .context("ONESHOT_BENCH_WINDOW_RUNS")?
                .max(1),
        ),
        Err(_) => None,
    };
    let ui = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/bench/dist");
    let pdfjs_dist = std::env::var_os("ONESHOT_BENCH_PDFJS_DIR").map_or(ui, PathBuf::from);
    if !pdfjs_dist.join("index.html").is_file() {
        bail!(
            "{} has no index.html: run `npm run build:bench` in ui/",
            pdfjs_dist.display()
        );
    }
    Ok(Config {
        app: binary("ONESHOT_DESK_APP", "app binary")?,
        minimal: binary(
            "ONESHOT_MINIMAL_WINDOW",
            "minimal Tauri window (tests/minimal-window)",
        )?,
        pdfjs_dist,
        work: part::bench_dir()?.join("fixtures"),
        runs: runs.unwrap_or(7),
        scroll_runs: runs.unwrap_or(3),
        memory_runs: runs.unwrap_or(3),
        memory_pages: match std::env::var("ONESHOT_BENCH_WINDOW_MEMORY_PAGES") {
            Ok(text) => text
                .parse::<u32>()
                .context("ONESHOT_BENCH_WINDOW_MEMORY_PAGES")?
                .clamp(1, footprint::PAGES),
            Err(_) => footprint::PAGES,
        },
    })
}

/// Lets one WebDriver script run long enough for a whole scroll or batch of pages; each
/// script ends itself sooner with a clear error.
pub async fn long_scripts(client: &fantoccini::Client) -> Result<()> {
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            None,
            None,
        ))
        .await?;
    Ok(())
}
