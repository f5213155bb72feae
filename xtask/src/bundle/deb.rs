//! The .deb as the Tauri bundler writes it, finished: the command-line tool added as
//! `/usr/bin/oneshot-desk-cli`, a link to the app's binary (which runs as the CLI under that
//! name), and the package compressed with xz instead of the bundler's fixed gzip. The link is
//! in the package's data, so dpkg owns it and removes it with the package.

use crate::shell;
use anyhow::{Context, Result};
use std::path::Path;
use std::process::Command;

/// The app's binary in the package.
const APP_BINARY: &str = "oneshot-desk";
/// The command-line tool's name on `PATH`.
const CLI_NAME: &str = "oneshot-desk-cli";

/// Rewrites `deb` in place; `smallest` (release) packs with xz at its highest preset, which
/// takes minutes on the large debug binaries, so debug packages (tests) keep gzip.
pub fn finish(deb: &Path, smallest: bool) -> Result<()> {
    let work = deb.with_extension("repack");
    if work.exists() {
        std::fs::remove_dir_all(&work).context("clearing a previous repack")?;
    }
    // dpkg-deb creates the folder it extracts into, but not its parents.
    std::fs::create_dir_all(&work).context("creating the repack folder")?;
    let root = work.join("root");
    shell::run(
        Command::new("dpkg-deb")
            .arg("--raw-extract")
            .arg(deb)
            .arg(&root),
    )?;
    let bin = root.join("usr/bin");
    anyhow::ensure!(
        bin.join(APP_BINARY).is_file(),
        "the bundler's .deb has no /usr/bin/{APP_BINARY}"
    );
    symlink(APP_BINARY, &bin.join(CLI_NAME))?;
    let repacked = work.join("repacked.deb");
    // Every file root's, whoever builds. xz at its highest preset: the package is built once
    // and downloaded many times, and unpacking needs far less memory than packing.
    let compression: &[&str] = if smallest {
        &["-Zxz", "-z9"]
    } else {
        &["-Zgzip", "-z6"]
    };
    shell::run(
        Command::new("dpkg-deb")
            .arg("--root-owner-group")
            .args(compression)
            .arg("--build")
            .arg(&root)
            .arg(&repacked),
    )?;
    std::fs::rename(&repacked, deb)
        .with_context(|| format!("replacing {} with its repacked version", deb.display()))?;
    std::fs::remove_dir_all(&work).context("removing the repack folder")
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) -> Result<()> {
    std::os::unix::fs::symlink(target, link)
        .with_context(|| format!("linking {} to {target}", link.display()))
}

#[cfg(not(unix))]
fn symlink(_target: &str, _link: &Path) -> Result<()> {
    anyhow::bail!(".deb packages are built on Linux")
}
