//! `cargo xtask bindings`: regenerates the window's TypeScript bindings from the Rust commands.

use crate::{paths, shell};
use anyhow::Result;
use std::process::Command;

pub fn run() -> Result<()> {
    let target = paths::ui_dir().join("src/lib/bindings.ts");
    shell::run(
        Command::new("cargo")
            .current_dir(paths::workspace_root())
            .args([
                "run",
                "--quiet",
                "-p",
                "oneshot-desk",
                "--example",
                "export-bindings",
                "--",
            ])
            .arg(&target),
    )
}
