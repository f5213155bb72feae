//! The automated accessibility check: axe-core (the window's npm dev dependency, read from
//! `ui/node_modules` — never fetched from the network) runs in the window over what is on
//! screen, against WCAG 2.1 A and AA and axe's best practices. Colours are checked in both
//! themes: the whole rule set in the theme the window shows, then the colour rules again with
//! the other theme switched on for a moment (the same `data-theme` switch the theme setting
//! uses). Any violation fails the test and is written next to the step's screenshot as
//! `<step>.a11y.json`; every check's duration is appended to `a11y-timings.txt` in the test's
//! folder.

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

/// The rule sets checked: WCAG 2.1 A and AA, and axe's best practices (one main landmark, one
/// level-one heading, headings in order, content inside landmarks...), which WCAG leaves to
/// judgement but a screen-reader user relies on.
const STANDARDS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']";

/// The rules whose outcome depends on the colours, checked again in the other theme.
const COLOUR_RULES: &str = "['color-contrast', 'link-in-text-block']";

/// Checks the window as it is now; `screenshot` names the step (its report goes beside it).
pub async fn assert_accessible(client: &Client, screenshot: &Path) -> Result<()> {
    let started = Instant::now();
    ensure_loaded(client).await?;
    let loaded = started.elapsed().as_millis();
    let script = format!(
        "const done = arguments[arguments.length - 1];
         const summary = (theme) => (result) => result.violations.map((v) => ({{
           id: v.id, impact: v.impact, help: v.help, theme,
           nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
         }}));
         const root = document.documentElement;
         const chosen = root.dataset.theme;
         const shown = chosen
           ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
         const other = shown === 'dark' ? 'light' : 'dark';
         // Colours that fade (transitions) would be measured half-way: while axe looks, every
         // colour is shown as it is once the fade is over.
         const still = document.createElement('style');
         still.textContent = '*, *::before, *::after {{ transition: none !important; \
           animation: none !important; }}';
         const restore = () => {{
           if (chosen === undefined) delete root.dataset.theme; else root.dataset.theme = chosen;
           still.remove();
         }};
         (async () => {{
           document.head.append(still);
           const start = performance.now();
           const found = summary(shown)(await axe.run(document, {{
             runOnly: {{ type: 'tag', values: {STANDARDS} }}, resultTypes: ['violations'] }}));
           const middle = performance.now();
           root.dataset.theme = other;
           found.push(...summary(other)(await axe.run(document, {{
             runOnly: {{ type: 'rule', values: {COLOUR_RULES} }}, resultTypes: ['violations'] }})));
           return {{ violations: found, shownMs: middle - start,
                    otherMs: performance.now() - middle }};
         }})().finally(restore).then(done, (error) => done({{ error: String(error) }}));"
    );
    let answer = client
        .execute_async(&script, Vec::new())
        .await
        .context("running axe-core in the window")?;
    if let Some(error) = answer.get("error") {
        bail!("axe-core could not check the window: {error}");
    }
    let millis = |name: &str| answer[name].as_f64().unwrap_or(0.0).round();
    let timing = format!(
        "total {} ms (load {loaded} ms, shown theme {} ms, other theme {} ms)",
        started.elapsed().as_millis(),
        millis("shownMs"),
        millis("otherMs")
    );
    record_timing(screenshot, &timing);
    let violations = &answer["violations"];
    let Some(list) = violations.as_array() else {
        bail!("axe-core answered something other than a list of violations: {violations}");
    };
    if list.is_empty() {
        return Ok(());
    }
    let report = screenshot.with_extension("a11y.json");
    std::fs::write(&report, serde_json::to_string_pretty(violations)?)?;
    let summary: Vec<String> = list.iter().map(describe).collect();
    bail!(
        "accessibility violations on {} (details in {}):\n{}",
        screenshot.display(),
        report.display(),
        summary.join("\n")
    )
}

/// Puts axe-core into the page unless it is there already (a reload drops it), and checks that
/// the version running is the one `ui/package.json` pins (a stale `node_modules` would check
/// against other rules than the project chose).
async fn ensure_loaded(client: &Client) -> Result<()> {
    let (source, wanted) = axe_source()?;
    let running = client
        .execute(
            "return typeof window.axe === 'undefined' ? null : window.axe.version;",
            Vec::new(),
        )
        .await?;
    let running = if running.is_null() {
        client
            .execute(
                &format!("{source}\nreturn window.axe ? window.axe.version : null;"),
                Vec::new(),
            )
            .await
            .context("loading axe-core into the window")?
    } else {
        running
    };
    match running.as_str() {
        Some(version) if version == wanted => Ok(()),
        Some(version) => bail!(
            "axe-core {version} is in ui/node_modules but ui/package.json pins {wanted}: run \
             `cargo xtask setup`"
        ),
        None => bail!("axe-core's source ran but left no `window.axe` in the page"),
    }
}

fn describe(violation: &Value) -> String {
    format!(
        "{} ({}, {} theme): {}\n    {}",
        violation["id"].as_str().unwrap_or("?"),
        violation["impact"].as_str().unwrap_or("?"),
        violation["theme"].as_str().unwrap_or("?"),
        violation["help"].as_str().unwrap_or("?"),
        violation["nodes"]
            .as_array()
            .map(|nodes| nodes
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n    "))
            .unwrap_or_default()
    )
}

/// Appends the check's duration (putting axe-core into the page, which happens once per page
/// load, and the checks themselves) to the test's `a11y-timings.txt` (the cost the check adds to
/// each screenshot, kept in view; a failure to write it does not fail the test).
fn record_timing(screenshot: &Path, timing: &str) {
    let (Some(dir), Some(step)) = (screenshot.parent(), screenshot.file_stem()) else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("a11y-timings.txt"))
    {
        let _ = writeln!(file, "{}\t{timing}", step.to_string_lossy());
    }
}

/// axe-core's source and the version `ui/package.json` pins, read once.
fn axe_source() -> Result<(&'static str, &'static str)> {
    static SOURCE: OnceLock<(String, String)> = OnceLock::new();
    if let Some((source, version)) = SOURCE.get() {
        return Ok((source, version));
    }
    let ui = ui_dir();
    let path = ui.join("node_modules/axe-core/axe.min.js");
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: run `cargo xtask setup` (it installs the window's npm packages)",
            path.display()
        )
    })?;
    let manifest = ui.join("package.json");
    let package: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest)
            .with_context(|| format!("reading {}", manifest.display()))?,
    )?;
    let version = package["devDependencies"]["axe-core"]
        .as_str()
        .with_context(|| format!("{} has no axe-core dev dependency", manifest.display()))?
        .to_owned();
    let (source, version) = SOURCE.get_or_init(|| (text, version));
    Ok((source, version))
}

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui")
}
