//! A private Python environment with pyHanko, the independent validator that checks every
//! signed PDF the tests produce (beside poppler's `pdfsig`).

use crate::{paths, shell};
use anyhow::{Context, Result};
use std::process::Command;

/// Pinned versions, so every machine validates with the same tool.
const REQUIREMENTS: &str = include_str!("../../python-requirements.txt");

pub fn ensure() -> Result<()> {
    let venv = paths::python_venv();
    let stamp = venv.join(".requirements");
    if std::fs::read_to_string(&stamp).is_ok_and(|done| done == REQUIREMENTS) {
        return Ok(());
    }
    if !venv.join("bin/python").exists() {
        std::fs::create_dir_all(paths::tools_dir())?;
        shell::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    }
    let requirements = paths::workspace_root().join("xtask/python-requirements.txt");
    shell::run(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
            .arg(&requirements),
    )?;
    std::fs::write(&stamp, REQUIREMENTS).context("writing the venv stamp")?;
    Ok(())
}
