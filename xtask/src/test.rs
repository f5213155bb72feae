//! `cargo xtask test`: the project's one test command. Formatting, lints and every test suite,
//! the suites inside a private D-Bus session with a real, unlocked gnome-keyring and a fresh
//! `HOME`, so nothing touches the developer's own keyring, settings or files.

use crate::{paths, shell};
use anyhow::{Context, Result};
use std::process::Command;

#[derive(clap::Args)]
pub struct TestArgs {
    /// Only run tests whose name matches this filter (passed to nextest).
    filter: Vec<String>,
}

pub fn run(args: &TestArgs) -> Result<()> {
    let root = paths::workspace_root();
    shell::run(
        Command::new("cargo")
            .current_dir(&root)
            .args(["fmt", "--all", "--check"]),
    )?;
    shell::run(Command::new("cargo").current_dir(&root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_suites(args)
}

fn run_suites(args: &TestArgs) -> Result<()> {
    let root = paths::workspace_root();
    let home = paths::target_dir().join("test-home");
    if home.exists() {
        std::fs::remove_dir_all(&home).context("clearing the previous test HOME")?;
    }
    std::fs::create_dir_all(&home)?;

    let mut nextest = vec![
        "cargo",
        "nextest",
        "run",
        "--workspace",
        "--locked",
        "--no-fail-fast",
    ];
    if std::env::var_os("CI").is_some() {
        nextest.extend(["--profile", "ci"]);
    }
    nextest.extend(args.filter.iter().map(String::as_str));

    // The keyring daemon reads its unlock password from stdin; the session bus and the daemon
    // end with dbus-run-session, so no process outlives the run.
    let script = r#"echo -n oneshot-desk-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@""#;
    let mut cmd = Command::new("dbus-run-session");
    cmd.current_dir(&root)
        .args(["--", "sh", "-c", script, "sh"])
        .args(&nextest)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", &home)
        .env("ONESHOT_TOOLS_DIR", paths::tools_dir());
    // Keep cargo and rustup where they are even though HOME moves.
    for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
        if std::env::var_os(var).is_none()
            && let Some(user_home) = std::env::var_os("HOME")
        {
            cmd.env(var, std::path::Path::new(&user_home).join(default));
        }
    }
    shell::run(&mut cmd)
}
