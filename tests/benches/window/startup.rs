//! Start-up: a window launched (its WebDriver session requested, on which WebKitWebDriver
//! starts the binary) until its first screen is painted, for the app and for the minimal Tauri
//! window.
//! Both are started the same way on the same kind of display, so the driver's own share is the
//! same on both sides.

use anyhow::{Context, Result};
use e2e::{App, AppOptions};
use serde::Deserialize;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

/// One launch, in milliseconds from the launch.
#[derive(Debug, Clone)]
pub struct Launch {
    /// The WebDriver session was ready (the window exists, its web view answers).
    pub session: f64,
    /// The page's `DOMContentLoaded` had run (the app's UI is mounted by then: its module
    /// script mounts synchronously).
    pub dom_content_loaded: f64,
    /// The first screen painted: the page's first contentful paint (paint timing); where the
    /// web view reports none, when the element the window shows first was seen (WebDriver runs
    /// scripts only once the page has loaded, so that is an upper bound).
    pub first_screen: f64,
    /// Whether `first_screen` is the paint timing's (else the upper bound).
    pub painted: bool,
    /// The page's own marks (`performance.mark`: the app marks its modules evaluated and its
    /// screen mounted), from the launch.
    pub marks: Vec<(String, f64)>,
}

const PROBE: &str = r#"
const [selector, done] = arguments;
const report = (shown) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const marks = performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]);
  done({ origin: performance.timeOrigin, dcl: nav ? nav.domContentLoadedEventEnd : null, shown, fcp: paint ? paint.startTime : null, marks });
};
const wait = () => {
  if (document.readyState === 'loading' || !document.querySelector(selector)) { setTimeout(wait, 2); return; }
  const shown = performance.now();
  // The paint entry may come a frame after the content: waited for, up to a second.
  if (performance.getEntriesByName('first-contentful-paint').length > 0) { report(shown); return; }
  const timer = setTimeout(() => report(shown), 1000);
  new PerformanceObserver(() => { clearTimeout(timer); report(shown); }).observe({ type: 'paint', buffered: true });
};
wait();
"#;

/// Launches `binary` once (with `env`) and closes it; `first` is the `data-testid` it shows
/// first.
pub async fn launch(
    name: &str,
    binary: &Path,
    env: Vec<(String, String)>,
    first: &str,
) -> Result<Launch> {
    #[derive(Deserialize)]
    struct Probe {
        origin: f64,
        dcl: Option<f64>,
        shown: f64,
        fcp: Option<f64>,
        marks: Vec<(String, f64)>,
    }
    let app = App::start(
        name,
        AppOptions {
            binary: Some(binary.to_path_buf()),
            env,
            ..AppOptions::default()
        },
    )
    .await?;
    let launch = app.launch();
    let selector = format!("[data-testid=\"{first}\"]");
    let probe = tokio::time::timeout(
        Duration::from_secs(60),
        app.run_async(PROBE, vec![selector.into()]),
    )
    .await
    .with_context(|| {
        format!(
            "{} showed no [data-testid={first}] within 60 s",
            binary.display()
        )
    })??;
    app.close().await?;
    let probe: Probe = serde_json::from_value(probe)?;
    let epoch_ms = |t: std::time::SystemTime| -> Result<f64> {
        Ok(t.duration_since(UNIX_EPOCH)?.as_secs_f64() * 1000.0)
    };
    let requested = epoch_ms(launch.requested)?;
    let dcl = probe.dcl.context("the page has no navigation timing")?;
    Ok(Launch {
        session: epoch_ms(launch.ready)? - requested,
        dom_content_loaded: probe.origin + dcl - requested,
        first_screen: probe.origin + probe.fcp.unwrap_or(probe.shown) - requested,
        painted: probe.fcp.is_some(),
        marks: probe
            .marks
            .into_iter()
            .map(|(name, at)| (name, probe.origin + at - requested))
            .collect(),
    })
}

/// The start-up section: `runs` launches of each window, alternating so both see the same
/// machine load.
pub async fn run(config: &crate::Config) -> Result<serde_json::Value> {
    use crate::{part, stats};
    let (mut app, mut minimal) = (Vec::new(), Vec::new());
    // One launch each first, unmeasured: the libraries come into the page cache.
    launch(
        "bench-window-startup-app",
        &config.app,
        Vec::new(),
        "app-title",
    )
    .await?;
    launch(
        "bench-window-startup-minimal",
        &config.minimal,
        crate::minimal_window_env(),
        "minimal-window",
    )
    .await?;
    for _ in 0..config.runs {
        app.push(
            launch(
                "bench-window-startup-app",
                &config.app,
                Vec::new(),
                "app-title",
            )
            .await?,
        );
        minimal.push(
            launch(
                "bench-window-startup-minimal",
                &config.minimal,
                crate::minimal_window_env(),
                "minimal-window",
            )
            .await?,
        );
    }
    let pick =
        |launches: &[Launch], f: fn(&Launch) -> f64| launches.iter().map(f).collect::<Vec<_>>();
    let dcl = |l: &Launch| l.dom_content_loaded;
    let shown = |l: &Launch| l.first_screen;
    let (ours, theirs) = (
        stats::median(&pick(&app, shown)),
        stats::median(&pick(&minimal, shown)),
    );
    let unpainted = app.iter().chain(&minimal).filter(|l| !l.painted).count();
    let mut figures = Vec::new();
    for (who, launches) in [("app", &app[..]), ("minimal Tauri window", &minimal[..])] {
        figures.push(part::figure(
            &format!("launch → WebDriver session ready, {who}"),
            "ms",
            &pick(launches, |l| l.session),
        ));
        figures.push(part::figure(
            &format!("launch → DOMContentLoaded, {who}"),
            "ms",
            &pick(launches, dcl),
        ));
        figures.push(part::figure(
            &format!("launch → first screen painted, {who}"),
            "ms",
            &pick(launches, shown),
        ));
    }
    // Where the app's own start goes between the session and its first paint.
    for mark in ["desk:modules-evaluated", "desk:mounted"] {
        let times: Vec<f64> = app
            .iter()
            .filter_map(|l| l.marks.iter().find(|(name, _)| name == mark).map(|m| m.1))
            .collect();
        if !times.is_empty() {
            figures.push(part::figure(
                &format!("launch → {mark} (the page's mark), app"),
                "ms",
                &times,
            ));
        }
    }
    Ok(serde_json::json!({
        "id": "window-startup",
        "title": "Start-up: the app against a minimal Tauri window",
        "context": [
            "launch: the WebDriver session requested (tauri-driver's WebKitWebDriver starts the binary) on a fresh Xvfb display with a fresh home; both binaries built with the same toolchain, Tauri and release profile (tests/minimal-window)",
            "DOMContentLoaded (navigation timing) and the first screen painted (paint timing's first-contentful-paint: the app's shell, the minimal window's text) set against the launch on the wall clock".to_string(),
            format!("launches whose web view reported no paint timing within 1 s (their first screen is when WebDriver first saw its element, an upper bound): {unpainted}"),
            "one unmeasured launch of each first; then launches alternate between the two".to_string(),
            config.binaries(),
        ],
        "figures": figures,
        "targets": [part::target(
            "start-up: launch → first screen painted, against a minimal Tauri window",
            "ms",
            ours,
            Some(theirs),
            "ratio <= 1.3",
            ours <= 1.3 * theirs,
        )],
    }))
}
