//! The Tauri bundler (npm `@tauri-apps/cli`), which turns the app into installers.
//!
//! It lives in `.tools/tauri-cli/` rather than in the window's `package.json`: the npm package
//! pulls one prebuilt binary per platform as an optional dependency, and a lock file written on
//! one platform cannot be installed from a registry mirror that lacks the others. The version is
//! pinned here instead (kept in step with the `tauri` crate), and the platform binary is named
//! explicitly so npm never resolves it on its own.

use crate::{paths, shell};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;
use std::process::Command;

/// The `@tauri-apps/cli` release used to bundle; matches the `tauri` crate's minor version.
pub const VERSION: &str = "2.12.5";

/// The folder holding the installed bundler.
fn install_dir() -> PathBuf {
    paths::tools_dir().join("tauri-cli")
}

/// The `tauri` command of the installed bundler.
pub fn tauri_command() -> PathBuf {
    install_dir().join("node_modules/.bin/tauri")
}

/// The npm package carrying this platform's prebuilt binary.
fn platform_package() -> Result<&'static str> {
    Ok(match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "@tauri-apps/cli-linux-x64-gnu",
        ("linux", "aarch64") => "@tauri-apps/cli-linux-arm64-gnu",
        ("windows", "x86_64") => "@tauri-apps/cli-win32-x64-msvc",
        ("macos", "aarch64") => "@tauri-apps/cli-darwin-arm64",
        ("macos", "x86_64") => "@tauri-apps/cli-darwin-x64",
        (os, arch) => bail!("no prebuilt Tauri bundler for {os}/{arch}"),
    })
}

/// Installs the pinned bundler unless that exact version is already there.
pub fn ensure() -> Result<()> {
    let dir = install_dir();
    let stamp = dir.join(".oneshot-desk-version");
    if std::fs::read_to_string(&stamp).is_ok_and(|v| v == VERSION) && tauri_command().is_file() {
        return Ok(());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    shell::run(
        Command::new("npm")
            .current_dir(&dir)
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--loglevel=error",
                "--prefix",
            ])
            .arg(&dir)
            .arg(format!("@tauri-apps/cli@{VERSION}"))
            .arg(format!("{}@{VERSION}", platform_package()?)),
    )?;
    if !tauri_command().is_file() {
        bail!(
            "npm installed @tauri-apps/cli but {} is missing",
            tauri_command().display()
        );
    }
    std::fs::write(&stamp, VERSION).context("writing the Tauri bundler stamp")?;
    Ok(())
}
