//! `cargo xtask bench`: runs every benchmark of the workspace in release and merges their
//! results into one report, `target/bench/report.md` and `target/bench/report.json`.
//!
//! Each benchmark writes its own part, a JSON file in `target/bench/parts/` (the directory is in
//! `ONESHOT_BENCH_DIR`), so new benchmarks join the report without touching this file:
//!
//! ```json
//! {
//!   "id": "pdf-engine",                    // unique; parts are ordered by id
//!   "title": "PDF engine ...",
//!   "context": ["what was measured, on what"],
//!   "figures": [{"name": "...", "unit": "ms", "median": 12.3, "spread": 0.4,
//!                "spread_kind": "median absolute deviation"}],
//!   "targets": [{"name": "...", "unit": "ms", "figure": 23.4, "baseline": 20.1,
//!                "ratio": 1.16, "target": "< 100 ms", "met": true}]
//! }
//! ```
//! `spread`, `baseline` and `ratio` may be `null` where they do not apply. A figure is the median
//! of repeated runs with its spread; a target's `figure` and `baseline` (measured in the same
//! run) are medians too, and `ratio` is figure / baseline.
//!
//! `report.json` holds the machine, every target in one list (`targets`, each with its
//! `section` id) and the parts (`sections`); `report.md` starts with one summary table of all
//! targets, then a section per part with its context and figures. After the bench binaries,
//! the window benchmark (`bench/window.rs`: the real window, which needs the release app, a
//! desktop session and its baselines built first) and the installer step (`bench/installer.rs`:
//! the release .deb) add their parts.

use crate::{paths, shell};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Only run benchmarks whose name matches this filter (passed to the bench binaries); the
    /// parts of the other sections from an earlier run stay in the report.
    filter: Option<String>,
}

mod installer;
mod window;

pub fn run(args: &BenchArgs) -> Result<()> {
    let bench_dir = paths::target_dir().join("bench");
    let parts = bench_dir.join("parts");
    // A whole run starts from nothing; a filtered run replaces the parts it writes and keeps the
    // others, so one section can be measured again and the report still holds every target.
    if parts.exists() && args.filter.is_none() {
        std::fs::remove_dir_all(&parts).context("clearing the previous report parts")?;
    }
    std::fs::create_dir_all(&parts)?;
    let mut cmd = Command::new("cargo");
    cmd.current_dir(paths::workspace_root())
        // `--bench "*"`: bench targets only (`--benches` would also build every lib and bin).
        // The window benchmark (e2e) runs apart, in a desktop session, below.
        .args([
            "bench",
            "--workspace",
            "--exclude",
            "e2e",
            "--bench",
            "*",
            "--locked",
        ])
        .env("ONESHOT_BENCH_DIR", &bench_dir)
        .env("ONESHOT_TOOLS_DIR", paths::tools_dir());
    if let Some(filter) = &args.filter {
        cmd.args(["--", filter]);
    }
    shell::run(&mut cmd)?;
    let wanted = |name: &str| args.filter.as_deref().is_none_or(|f| name.contains(f));
    if ["window-viewer", "window-memory", "window-startup"]
        .iter()
        .any(|section| wanted(section))
    {
        window::run(&bench_dir, args.filter.as_deref())?;
    }
    if args
        .filter
        .as_deref()
        .is_none_or(|f| "installer".contains(f))
    {
        installer::run(&bench_dir)?;
    }
    let report = merge(&parts)?;
    std::fs::write(
        bench_dir.join("report.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    std::fs::write(bench_dir.join("report.md"), markdown(&report))?;
    eprintln!("bench: report in {}", bench_dir.join("report.md").display());
    Ok(())
}

fn merge(parts_dir: &Path) -> Result<Value> {
    let mut parts = Vec::new();
    for entry in std::fs::read_dir(parts_dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path)?;
            let part: Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a report part", path.display()))?;
            parts.push(part);
        }
    }
    parts.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    // Every target of every section in one list, each naming its section.
    let targets: Vec<Value> = parts
        .iter()
        .flat_map(|part| {
            let section = part["id"].clone();
            part["targets"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |mut target| {
                    target["section"] = section.clone();
                    target
                })
        })
        .collect();
    Ok(json!({
        "generated_at": jiff::Timestamp::now().to_string(),
        "machine": {
            "os": std::env::consts::OS,
            "arch": std::env::consts::ARCH,
            "cpus": cpus,
            "load_average": load_average(),
        },
        "targets": targets,
        "sections": parts,
    }))
}

/// Benchmarks on a shared machine are only as good as its quiet; the report says how quiet.
fn load_average() -> Option<String> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn markdown(report: &Value) -> String {
    let mut md = String::from("# OneShot Desk benchmarks\n\n");
    let machine = &report["machine"];
    let _ = writeln!(
        md,
        "Generated {} on {}-{}, {} CPUs, load average at the end {}.\n",
        text(&report["generated_at"]),
        text(&machine["os"]),
        text(&machine["arch"]),
        machine["cpus"],
        text(&machine["load_average"]),
    );
    md.push_str(
        "## Summary\n\nEvery figure is the median of repeated runs unless its section says \
         otherwise; the baseline ran in the same run.\n\n\
         | Section | Target | Figure | Baseline (same run) | Ratio | Goal | Met |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for t in report["targets"].as_array().into_iter().flatten() {
        let unit = text(&t["unit"]);
        let _ = writeln!(
            md,
            "| {} | {} | {} {unit} | {} | {} | {} | {} |",
            text(&t["section"]),
            text(&t["name"]),
            number(&t["figure"]),
            if t["baseline"].is_null() {
                "-".into()
            } else {
                format!("{} {unit}", number(&t["baseline"]))
            },
            if t["ratio"].is_null() {
                "-".into()
            } else {
                format!("{}x", number(&t["ratio"]))
            },
            text(&t["target"]),
            if t["met"].as_bool() == Some(true) {
                "yes"
            } else {
                "**no**"
            },
        );
    }
    md.push('\n');
    for section in report["sections"].as_array().into_iter().flatten() {
        let _ = writeln!(md, "## {}\n", text(&section["title"]));
        let _ = writeln!(md, "Section `{}`.\n", text(&section["id"]));
        for line in section["context"].as_array().into_iter().flatten() {
            let _ = writeln!(md, "- {}", text(line));
        }
        md.push('\n');
        let figures = section["figures"].as_array().cloned().unwrap_or_default();
        if !figures.is_empty() {
            md.push_str("### Figures\n\n| Measurement | Median | Spread |\n|---|---|---|\n");
            for f in &figures {
                let unit = text(&f["unit"]);
                let spread = if f["spread"].is_null() {
                    text(&f["spread_kind"])
                } else {
                    format!(
                        "± {} {unit} ({})",
                        number(&f["spread"]),
                        text(&f["spread_kind"])
                    )
                };
                let _ = writeln!(
                    md,
                    "| {} | {} {unit} | {spread} |",
                    text(&f["name"]),
                    number(&f["median"])
                );
            }
            md.push('\n');
        }
    }
    md
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}

fn number(value: &Value) -> String {
    value
        .as_f64()
        .map_or_else(|| text(value), |v| format!("{v}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_merge_into_one_report_in_id_order() {
        let dir = tempfile_dir();
        let part = |id: &str| {
            json!({
                "id": id, "title": format!("Section {id}"), "context": ["ctx"],
                "figures": [{"name": "f", "unit": "ms", "median": 1.5, "spread": 0.1,
                             "spread_kind": "median absolute deviation"}],
                "targets": [{"name": "t", "unit": "ms", "figure": 2.0, "baseline": 1.0,
                             "ratio": 2.0, "target": "ratio <= 1.5", "met": false}],
            })
        };
        std::fs::write(dir.join("b.json"), part("b").to_string()).unwrap();
        std::fs::write(dir.join("a.json"), part("a").to_string()).unwrap();
        let report = merge(&dir).unwrap();
        let ids: Vec<_> = report["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].clone())
            .collect();
        assert_eq!(ids, vec![json!("a"), json!("b")]);
        assert_eq!(report["targets"].as_array().unwrap().len(), 2);
        assert_eq!(report["targets"][1]["section"], json!("b"));
        let md = markdown(&report);
        assert!(md.contains("## Section a") && md.contains("## Section b"));
        assert!(
            md.find("## Summary").unwrap() < md.find("## Section a").unwrap(),
            "the summary comes first: {md}"
        );
        assert!(
            md.contains("| a | t | 2 ms | 1 ms | 2x | ratio <= 1.5 | **no** |"),
            "{md}"
        );
        assert!(
            md.contains("| f | 1.5 ms | ± 0.1 ms (median absolute deviation) |"),
            "{md}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-bench-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
