//! The automated accessibility check: axe-core (the window's npm dev dependency) runs in the
//! window over what is on screen, against WCAG 2.1 A and AA. Any violation fails the test and is
//! written next to the step's screenshot as `<step>.a11y.json`.

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The rule sets checked.
const STANDARDS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

/// Checks the window as it is now; `screenshot` names the step (its report goes beside it).
pub async fn assert_accessible(client: &Client, screenshot: &Path) -> Result<()> {
    let loaded = client
        .execute("return typeof window.axe !== 'undefined';", Vec::new())
        .await?;
    if loaded != serde_json::Value::Bool(true) {
        client
            .execute(&format!("{}\nreturn true;", axe_source()?), Vec::new())
            .await
            .context("loading axe-core into the window")?;
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {STANDARDS} }},
                             resultTypes: ['violations'] }})
           .then((result) => done(result.violations.map((v) => ({{
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
             }}))),
             (error) => done({{ error: String(error) }}));"
    );
    let violations = client.execute_async(&script, Vec::new()).await?;
    if let Some(error) = violations.get("error") {
        bail!("axe-core could not check the window: {error}");
    }
    let list = violations.as_array().cloned().unwrap_or_default();
    if list.is_empty() {
        return Ok(());
    }
    let report = screenshot.with_extension("a11y.json");
    std::fs::write(&report, serde_json::to_string_pretty(&violations)?)?;
    let summary: Vec<String> = list
        .iter()
        .map(|v| {
            format!(
                "{} ({}): {}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["nodes"]
                    .as_array()
                    .map(|nodes| nodes
                        .iter()
                        .filter_map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join("\n    "))
                    .unwrap_or_default()
            )
        })
        .collect();
    bail!(
        "accessibility violations on {} (details in {}):\n{}",
        screenshot.display(),
        report.display(),
        summary.join("\n")
    )
}

/// axe-core's source, read once from the window's npm packages.
fn axe_source() -> Result<&'static str> {
    static SOURCE: OnceLock<String> = OnceLock::new();
    if let Some(source) = SOURCE.get() {
        return Ok(source);
    }
    let path = axe_path();
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!(
            "{} is missing: run `cargo xtask setup` (it installs the window's npm packages)",
            path.display()
        )
    })?;
    Ok(SOURCE.get_or_init(|| text))
}

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/node_modules/axe-core/axe.min.js")
}
