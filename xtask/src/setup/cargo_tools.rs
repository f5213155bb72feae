//! Cargo-installed tools the test command relies on.

use crate::shell;
use anyhow::Result;
use std::process::Command;

/// cargo-nextest runs the test suites (a process per test, so one crashing test cannot take the
/// others down); tauri-driver bridges WebDriver to the app's webview for the end-to-end tests.
/// Each is installed from crates.io when missing.
pub fn ensure() -> Result<()> {
    if shell::output_of(Command::new("cargo").args(["nextest", "--version"])).is_none() {
        shell::run(Command::new("cargo").args(["install", "cargo-nextest", "--locked"]))?;
    }
    if !shell::on_path("tauri-driver") && !cargo_bin("tauri-driver").is_file() {
        shell::run(Command::new("cargo").args(["install", "tauri-driver", "--locked"]))?;
    }
    // cargo-fuzz for `cargo xtask fuzz`, pinned, in the project's own tools folder.
    if !crate::fuzz::cargo_fuzz().is_file() {
        let root = crate::paths::tools_dir().join("cargo-fuzz");
        shell::run(
            Command::new("cargo")
                .args([
                    "install",
                    "cargo-fuzz",
                    "--version",
                    CARGO_FUZZ_VERSION,
                    "--locked",
                ])
                .arg("--root")
                .arg(root),
        )?;
    }
    Ok(())
}

/// The cargo-fuzz release `cargo xtask fuzz` is known to work with.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Where `cargo install` puts binaries.
pub fn cargo_bin(name: &str) -> std::path::PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin").join(name)
}
