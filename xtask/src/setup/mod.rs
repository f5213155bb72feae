//! `cargo xtask setup`: provisions everything the build and the tests need. Each step checks
//! first and does nothing when its part is already in place, so a second run takes seconds.

pub mod cargo_tools;
mod npm;
pub mod pdfium;
mod python;
mod system_packages;
pub mod tauri_cli;

use anyhow::Result;

/// Options of `cargo xtask setup`.
#[derive(clap::Args, Debug, Default)]
pub struct SetupArgs {
    /// Also fetch PDFium for this platform (for bundling an installer built elsewhere); may be
    /// repeated. One of: linux-x64, linux-arm64, windows-x64, macos-arm64, macos-x64, or `all`.
    #[arg(long = "pdfium-platform", value_name = "PLATFORM")]
    pub pdfium_platforms: Vec<String>,
}

/// Runs every provisioning step in dependency order.
pub fn run_all() -> Result<()> {
    system_packages::ensure()?;
    cargo_tools::ensure()?;
    python::ensure()?;
    npm::ensure()?;
    tauri_cli::ensure()?;
    pdfium::ensure_host()?;
    eprintln!("setup: everything is in place");
    Ok(())
}

/// `cargo xtask setup` with its options: everything, plus PDFium for the named platforms.
pub fn run(args: &SetupArgs) -> Result<()> {
    run_all()?;
    for requested in &args.pdfium_platforms {
        if requested == "all" {
            for platform in pdfium::platform_names() {
                pdfium::ensure_platform(platform)?;
            }
        } else {
            pdfium::ensure_platform(requested)?;
        }
    }
    Ok(())
}
