//! `cargo xtask`: the project's automation. Every step a developer or CI needs is here, so the
//! README's commands are the whole story on a fresh Debian 12 machine.

mod bench;
mod bindings;
mod bundle;
mod fuzz;
mod paths;
mod run;
mod setup;
mod shell;
mod test;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "OneShot Desk project automation")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install every system package, tool and library the build and the tests need (idempotent).
    Setup(setup::SetupArgs),
    /// Practice mode: set everything up, start the simulated Optimizer and open the app
    /// connected to it with a practice RAO token.
    Run(run::RunArgs),
    /// Run every check: formatting, lints and all tests (sets everything up first).
    Test(test::TestArgs),
    /// Regenerate the window's TypeScript bindings from the Rust commands and events.
    Bindings,
    /// Run every benchmark in release and write target/bench/report.{md,json}.
    Bench(bench::BenchArgs),
    /// Build the installers (.deb and .rpm here; NSIS, MSI and dmg on their own systems) with
    /// PDFium and the CLI inside.
    Bundle(bundle::BundleArgs),
    /// Run the cargo-fuzz targets (Optimizer answers, webhook bodies, PDF open/render) for a
    /// bounded time each, on stable Rust.
    Fuzz(fuzz::FuzzArgs),
}

fn main() -> std::process::ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Setup(args) => setup::run(&args),
        Command::Run(args) => {
            setup::run_all()?;
            run::run(&args)
        }
        Command::Test(args) => {
            setup::run_all()?;
            test::run(&args)
        }
        Command::Bindings => bindings::run(),
        Command::Bench(args) => {
            setup::run_all()?;
            bench::run(&args)
        }
        Command::Bundle(args) => {
            setup::run_all()?;
            bundle::run(&args).map(|_| ())
        }
        Command::Fuzz(args) => {
            setup::run_all()?;
            fuzz::run(&args)
        }
    }
}
