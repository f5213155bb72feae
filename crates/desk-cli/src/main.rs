//! oneshot-desk-cli: the desk's flows headless, for IT staff, scripts and tests.

fn main() -> std::process::ExitCode {
    desk_cli::main()
}
