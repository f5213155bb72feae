//! The window's npm packages, installed exactly as locked in `ui/package-lock.json`.

use crate::{paths, shell};
use anyhow::{Context, Result};
use std::process::Command;

pub fn ensure() -> Result<()> {
    let ui = paths::ui_dir();
    let lock =
        std::fs::read(ui.join("package-lock.json")).context("reading ui/package-lock.json")?;
    let stamp = ui.join("node_modules/.oneshot-desk-lock");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }
    shell::run(Command::new("npm").current_dir(&ui).args([
        "ci",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]))?;
    std::fs::write(&stamp, lock).context("writing the npm stamp")?;
    Ok(())
}
