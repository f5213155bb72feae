//! The window benchmark (tests/benches/window): builds what it drives, in release — the UI and
//! the app, the minimal Tauri window it is compared with, and the pdf.js baseline page — and
//! runs it in a private desktop session (session bus, unlocked keyring, fresh HOME) as the
//! end-to-end tests run. Its parts land in `<bench dir>/parts/window-*.json`.

use crate::{paths, shell, test};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

pub fn run(bench_dir: &Path, filter: Option<&str>) -> Result<()> {
    let ui = paths::ui_dir();
    for script in ["build", "build:bench"] {
        shell::run(
            Command::new("npm")
                .current_dir(&ui)
                .args(["run", "--silent", script]),
        )?;
    }
    let root = paths::workspace_root();
    shell::run(Command::new("cargo").current_dir(&root).args([
        "build",
        "--release",
        "--locked",
        "-p",
        "oneshot-desk",
        "-p",
        "minimal-window",
        // Each names one package's binary (a `--bin` applies to every package selected).
        "--bin",
        "oneshot-desk",
        "--bin",
        "minimal-window",
    ]))?;
    let release = paths::target_dir().join("release");
    let home = bench_dir.join("window-home");
    if home.exists() {
        std::fs::remove_dir_all(&home).context("clearing the previous benchmark HOME")?;
    }
    std::fs::create_dir_all(&home)?;
    let mut program = vec![
        "cargo", "bench", "--locked", "-p", "e2e", "--bench", "window",
    ];
    if let Some(filter) = filter {
        program.extend(["--", filter]);
    }
    let mut cmd = test::desktop_session(&home, &program)?;
    cmd.env("ONESHOT_BENCH_DIR", bench_dir)
        .env("ONESHOT_DESK_APP", release.join("oneshot-desk"))
        .env("ONESHOT_MINIMAL_WINDOW", release.join("minimal-window"))
        .env("ONESHOT_BENCH_PDFJS_DIR", ui.join("bench/dist"))
        .env("ONESHOT_E2E_ARTIFACTS", root.join("artifacts/bench-window"));
    shell::run(&mut cmd)
}
