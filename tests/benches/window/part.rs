//! This benchmark's parts of the project report, in the format `cargo xtask bench` merges (see
//! `xtask/src/bench.rs`): figures as medians of repeated runs with their spread, and targets.

use crate::stats::{self, SPREAD_KIND};
use anyhow::Result;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// `ONESHOT_BENCH_DIR` (set by `cargo xtask bench`), else `<target dir>/bench`.
pub fn bench_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("ONESHOT_BENCH_DIR") {
        return Ok(PathBuf::from(dir));
    }
    // The bench binary lives in <target>/<profile>/deps/.
    let exe = std::env::current_exe()?;
    Ok(exe
        .ancestors()
        .nth(3)
        .map(|target| target.join("bench"))
        .unwrap_or_else(|| PathBuf::from("bench")))
}

pub fn write(dir: &Path, part: &Value) -> Result<()> {
    let parts = dir.join("parts");
    std::fs::create_dir_all(&parts)?;
    let id = part["id"].as_str().unwrap_or("window");
    let path = parts.join(format!("{id}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(part)?)?;
    eprintln!("window bench: wrote {}", path.display());
    Ok(())
}

/// A figure from repeated runs: their median and spread (`runs` says how many).
pub fn figure(name: &str, unit: &str, values: &[f64]) -> Value {
    let summary = stats::summarize(values);
    json!({
        "name": format!("{name} ({} runs)", values.len()),
        "unit": unit,
        "median": number(summary.median),
        "spread": number(summary.spread),
        "spread_kind": SPREAD_KIND,
    })
}

/// A figure measured once (e.g. the first open in a fresh window).
pub fn single(name: &str, unit: &str, value: f64, why: &str) -> Value {
    json!({
        "name": name,
        "unit": unit,
        "median": number(value),
        "spread": null,
        "spread_kind": why,
    })
}

/// A target: `figure` against `baseline` (both medians of this run), met or not.
pub fn target(
    name: &str,
    unit: &str,
    figure: f64,
    baseline: Option<f64>,
    goal: &str,
    met: bool,
) -> Value {
    let ratio = baseline.filter(|b| *b > 0.0).map(|b| figure / b);
    json!({
        "name": name,
        "unit": unit,
        "figure": number(figure),
        "baseline": baseline.map(number),
        "ratio": ratio.map(|r| (r * 1000.0).round() / 1000.0),
        "target": goal,
        "met": met,
    })
}

/// JSON has no NaN: a figure that could not be measured is `null`.
fn number(value: f64) -> Value {
    if value.is_finite() {
        json!(stats::round(value))
    } else {
        Value::Null
    }
}
