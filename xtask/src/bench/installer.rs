//! The installer section of the report: the release .deb (app, CLI and PDFium) as `cargo xtask
//! bundle` builds it, its size and installed size against the 15 MB goal, and how long that
//! step took (the release builds it needs included, so warm when the app was built before).

use crate::bundle::{self, BundleArgs};
use anyhow::{Context, Result};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Largest acceptable .deb, in decimal megabytes.
const DEB_GOAL_MB: f64 = 15.0;

/// Builds the release .deb and writes `<bench dir>/parts/installer.json`.
pub fn run(bench_dir: &Path) -> Result<()> {
    let started = Instant::now();
    let installers = bundle::run(&BundleArgs {
        debug: false,
        formats: vec!["deb".into()],
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let deb = installers
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .context("the bundler made no .deb")?;
    let part = part(deb, seconds)?;
    let path = bench_dir.join("parts").join("installer.json");
    std::fs::write(&path, serde_json::to_string_pretty(&part)?)?;
    eprintln!("bench: wrote {}", path.display());
    Ok(())
}

fn part(deb: &Path, seconds: f64) -> Result<Value> {
    let size_mb = mb(std::fs::metadata(deb)?.len());
    let installed_kib: u64 = dpkg_deb(&["-f"], deb, Some("Installed-Size"))?
        .trim()
        .parse()
        .context("Installed-Size of the .deb")?;
    let installed_mb = mb(installed_kib * 1024);
    let mut figures = vec![
        single(".deb size", "MB", size_mb),
        single("installed size (dpkg Installed-Size)", "MB", installed_mb),
    ];
    for (name, bytes) in largest_files(deb)? {
        figures.push(single(&format!("installed file {name}"), "MB", mb(bytes)));
    }
    figures.push(json!({
        "name": "release bundle step: release builds of the app and the CLI (when not up to date) and packaging",
        "unit": "s",
        "median": round(seconds),
        "spread": null,
        "spread_kind": "single run (a build is not repeated)",
    }));
    Ok(json!({
        "id": "installer",
        "title": "Installer: the release .deb with PDFium",
        "context": [
            format!("{}", file_name(deb)),
            "built by `cargo xtask bundle --formats deb` (release profile of the workspace Cargo.toml)".to_string(),
            "sizes are those of this build; they do not vary between runs of the same build".to_string(),
        ],
        "figures": figures,
        "targets": [{
            "name": ".deb size (app, CLI, PDFium)",
            "unit": "MB",
            "figure": size_mb,
            "baseline": null,
            "ratio": null,
            "target": format!("< {DEB_GOAL_MB} MB"),
            "met": size_mb < DEB_GOAL_MB,
        }],
    }))
}

/// A figure that is measured once because it is exact (a size).
fn single(name: &str, unit: &str, value: f64) -> Value {
    json!({
        "name": name,
        "unit": unit,
        "median": value,
        "spread": null,
        "spread_kind": "exact (one build)",
    })
}

fn dpkg_deb(args: &[&str], deb: &Path, field: Option<&str>) -> Result<String> {
    let mut cmd = Command::new("dpkg-deb");
    cmd.args(args).arg(deb);
    if let Some(field) = field {
        cmd.arg(field);
    }
    let out = cmd.output().context("running dpkg-deb")?;
    anyhow::ensure!(out.status.success(), "dpkg-deb {args:?} failed");
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The three largest files in the package (`dpkg-deb -c`: mode owner size date time path).
fn largest_files(deb: &Path) -> Result<Vec<(String, u64)>> {
    let listing = dpkg_deb(&["-c"], deb, None)?;
    let mut files: Vec<(String, u64)> = listing
        .lines()
        .filter(|line| line.starts_with('-'))
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let size = fields.get(2)?.parse().ok()?;
            let path = fields.get(5..)?.join(" ");
            Some((path.trim_start_matches('.').to_string(), size))
        })
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.1));
    files.truncate(3);
    Ok(files)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| PathBuf::from(n).display().to_string())
        .unwrap_or_default()
}

fn mb(bytes: u64) -> f64 {
    round(bytes as f64 / 1e6)
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
