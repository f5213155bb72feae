// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::Path;
use std::process::ExitCode;

/// The name under which this binary is the command-line tool instead of the window. The Linux
/// packages install `oneshot-desk-cli` as a link to the app: one binary instead of two nearly
/// identical ones (they share all of desk-core and pdf-engine) keeps the installer small.
const CLI_NAME: &str = "oneshot-desk-cli";

fn main() -> ExitCode {
    if started_as_cli() {
        return desk_cli::main();
    }
    oneshot_desk::run();
    ExitCode::SUCCESS
}

fn started_as_cli() -> bool {
    std::env::args_os()
        .next()
        .as_deref()
        .and_then(|arg0| Path::new(arg0).file_stem())
        .is_some_and(|stem| stem == CLI_NAME)
}
