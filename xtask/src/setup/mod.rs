//! `cargo xtask setup`: provisions everything the build and the tests need. Each step checks
//! first and does nothing when its part is already in place, so a second run takes seconds.

pub mod cargo_tools;
mod npm;
mod python;
mod system_packages;

use anyhow::Result;

/// Runs every provisioning step in dependency order.
pub fn run_all() -> Result<()> {
    system_packages::ensure()?;
    cargo_tools::ensure()?;
    python::ensure()?;
    npm::ensure()?;
    eprintln!("setup: everything is in place");
    Ok(())
}
