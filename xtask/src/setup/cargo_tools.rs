//! Cargo subcommands the test command relies on.

use crate::shell;
use anyhow::Result;
use std::process::Command;

/// cargo-nextest runs the test suites (process per test, so one crashing test cannot take the
/// others down). Installed from crates.io when missing.
pub fn ensure() -> Result<()> {
    if shell::output_of(Command::new("cargo").args(["nextest", "--version"])).is_none() {
        shell::run(Command::new("cargo").args(["install", "cargo-nextest", "--locked"]))?;
    }
    Ok(())
}
