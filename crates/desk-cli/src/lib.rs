//! oneshot-desk-cli: the desk's flows headless, for IT staff, scripts and tests.
//!
//! A library so that one program can be both: the `oneshot-desk-cli` binary of this crate
//! calls [`main`], and so does the app's binary when it is started under the CLI's name (the
//! Linux packages ship one binary and `oneshot-desk-cli` as a link to it).

mod advice;
mod cli;
mod commands;
mod output;
mod secrets;

use clap::Parser;
use cli::{Cli, Command, LayoutArg};
use desk_core::flow::TokenChoice;
use desk_core::paths::Paths;
use desk_core::settings::LayoutPreference;
use desk_core::{ConnectionOverride, Desk, DeskError, DeskOptions};
use output::Reporter;
use std::process::ExitCode;

/// Exit codes (documented in `--help` and the README).
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Failed with a coded error.
    pub const FAILED: u8 = 1;
    /// Usage error (clap uses 2 as well).
    pub const USAGE: u8 = 2;
    /// The flow needs attention or can be resumed.
    pub const ATTENTION: u8 = 3;
}

/// A failed command: the error and the exit code it means.
pub struct Failure {
    pub error: DeskError,
    pub exit: u8,
}

impl From<DeskError> for Failure {
    fn from(error: DeskError) -> Self {
        Failure {
            error,
            exit: exit::FAILED,
        }
    }
}

pub type CliResult = Result<(), Failure>;

/// What every command gets.
pub struct Context {
    pub desk: Desk,
    pub out: Reporter,
    pub token: TokenChoice,
}

/// Runs the CLI with this process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Reporter::new(cli.global.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            out.error(&DeskError::new("cli.runtime", error.to_string()));
            return ExitCode::from(exit::FAILED);
        }
    };
    let code = runtime.block_on(run(cli, out.clone()));
    ExitCode::from(code)
}

async fn run(cli: Cli, out: Reporter) -> u8 {
    let context = match open(&cli, out.clone()) {
        Ok(context) => context,
        Err(error) => {
            out.error(&error);
            return exit::FAILED;
        }
    };
    let result = match cli.command {
        Command::Doctor => commands::doctor::run(&context).await,
        Command::Tokens(command) => commands::tokens::run(&context, command).await,
        Command::Classic(args) => commands::classic::classic(&context, args).await,
        Command::Videoid(args) => commands::videoid::videoid(&context, args).await,
        Command::VideoidExternal(args) => commands::videoid::videoid_external(&context, args).await,
        Command::Evidences(args) => commands::videoid::evidences(&context, args).await,
        Command::Approve(args) => commands::videoid::approve(&context, args).await,
        Command::Refuse(args) => commands::videoid::refuse(&context, args).await,
        Command::Video(args) => commands::videoid::video(&context, args).await,
        Command::Resume(args) => commands::classic::resume(&context, args).await,
        Command::Status(args) => commands::status::status(&context, args).await,
        Command::Cancel(args) => commands::status::cancel(&context, args).await,
        Command::Inspect(args) => commands::inspect::run(&context, args).await,
        Command::Render(args) => commands::render::run(&context, args).await,
        Command::Settings(command) => commands::settings::run(&context, command).await,
        Command::SupportBundle(args) => commands::support_bundle::run(&context, args).await,
    };
    match result {
        Ok(()) => exit::OK,
        Err(failure) => {
            out.error(&failure.error);
            failure.exit
        }
    }
}

fn open(cli: &Cli, out: Reporter) -> Result<Context, DeskError> {
    let paths = Paths::from_environment()?;
    let logging = desk_core::logging::LogConfig::new(&paths, "oneshot-desk-cli");
    // Logs are a help, not a requirement: a read-only log folder must not stop the CLI.
    match desk_core::logging::init(&logging) {
        Ok(guard) => std::mem::forget(guard),
        Err(error) => out.info(&format!("warning: no log file ({error})")),
    }
    let mut options = DeskOptions::new(paths);
    options.connection_override = ConnectionOverride {
        url: cli.global.optimizer.clone(),
        layout: cli.global.layout.map(|layout| match layout {
            LayoutArg::Auto => LayoutPreference::Auto,
            LayoutArg::Current => LayoutPreference::Current,
            LayoutArg::Legacy => LayoutPreference::Legacy,
        }),
        ca_certificate: cli
            .global
            .ca_cert
            .as_ref()
            .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())),
        proxy: cli.global.proxy.clone(),
    };
    if let Some(first) = cli.global.poll_min {
        options.following.first_poll = first;
    }
    if let Some(longest) = cli.global.poll_max {
        options.following.max_poll = longest;
    }
    let following = &mut options.following;
    if following.first_poll > following.max_poll {
        // The first wait never exceeds the longest: the one given on the command line wins.
        if cli.global.poll_max.is_some() {
            following.first_poll = following.max_poll;
        } else {
            following.max_poll = following.first_poll;
        }
    }
    let sink = out.clone();
    let desk = Desk::open(options, move |event| sink.event(event))?;
    let token = match (&cli.global.token, &cli.global.token_label) {
        (Some(value), _) if !value.trim().is_empty() => {
            TokenChoice::Value(value.trim().to_string().into())
        }
        (_, Some(label)) => TokenChoice::Label(label.clone()),
        _ => TokenChoice::Default,
    };
    Ok(Context { desk, out, token })
}
