//! `cargo xtask test`: the project's one test command. Formatting, lints and type checks of both
//! the Rust and the TypeScript side, the window's production build, then every test suite —
//! inside a private D-Bus session with a real, unlocked gnome-keyring and a fresh `HOME`, so
//! nothing touches the developer's own keyring, settings or files. Each end-to-end test starts
//! its own virtual X display.

use crate::{bundle, paths, setup::cargo_tools, shell};
use anyhow::{Context, Result};
use std::process::Command;

#[derive(clap::Args)]
pub struct TestArgs {
    /// Only run tests whose name matches this filter (passed to nextest); static checks still run.
    filter: Vec<String>,
}

pub fn run(args: &TestArgs) -> Result<()> {
    let root = paths::workspace_root();
    let cargo = |args: &[&str]| shell::run(Command::new("cargo").current_dir(&root).args(args));
    cargo(&["fmt", "--all", "--check"])?;
    check_ui()?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])?;
    // The end-to-end tests drive the real app binary, which nextest does not build for them.
    cargo(&[
        "build",
        "--locked",
        "-p",
        "oneshot-desk",
        "--bin",
        "oneshot-desk",
    ])?;
    // The installer test installs the workstation package; the debug build is bundled, since
    // it is already built (a release build would double the test command's compile time).
    let deb = bundle::run(&bundle::BundleArgs {
        debug: true,
        formats: vec!["deb".to_owned()],
    })?
    .into_iter()
    .next()
    .context("the bundler built no .deb")?;
    run_suites(args, &deb)
}

/// Prettier, ESLint, svelte-check (TypeScript strict), the UI's unit tests and its build.
pub fn check_ui() -> Result<()> {
    let ui = paths::ui_dir();
    for script in ["format:check", "lint", "check", "test", "build"] {
        shell::run(
            Command::new("npm")
                .current_dir(&ui)
                .args(["run", "--silent", script]),
        )?;
    }
    Ok(())
}

fn run_suites(args: &TestArgs, deb: &std::path::Path) -> Result<()> {
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

    let mut cmd = desktop_session(&home, &nextest)?;
    cmd.env("ONESHOT_DESK_DEB", deb)
        .env(
            "ONESHOT_DESK_APP",
            paths::target_dir().join("debug/oneshot-desk"),
        )
        .env(
            "ONESHOT_E2E_ARTIFACTS",
            paths::workspace_root().join("artifacts/e2e"),
        );
    shell::run(&mut cmd)
}

/// `program` in what the window needs to run headless as on a workstation: a private session
/// bus with an unlocked Secret Service (the keyring), a private `home` (so no real keyring or
/// settings are touched), the provisioned tools and tauri-driver on `PATH`. Each end-to-end test
/// or benchmark starts its own X server.
pub fn desktop_session(home: &std::path::Path, program: &[&str]) -> Result<Command> {
    let root = paths::workspace_root();
    // The keyring daemon reads its unlock password from stdin; the session bus and the daemon end
    // with the run, so no process outlives it.
    let script = r#"echo -n oneshot-desk-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@""#;
    let mut cmd = Command::new("dbus-run-session");
    cmd.current_dir(&root)
        .args(["--", "sh", "-c", script, "sh"])
        .args(program)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_RUNTIME_DIR", home)
        .env("ONESHOT_TOOLS_DIR", paths::tools_dir());
    // Keep cargo, rustup and cargo-installed tools where they are even though HOME moves.
    if let Some(user_home) = std::env::var_os("HOME") {
        for (var, default) in [("CARGO_HOME", ".cargo"), ("RUSTUP_HOME", ".rustup")] {
            if std::env::var_os(var).is_none() {
                cmd.env(var, std::path::Path::new(&user_home).join(default));
            }
        }
    }
    if let Some(dir) = cargo_tools::cargo_bin("tauri-driver").parent() {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let joined = std::env::join_paths(
            std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&path)),
        )?;
        cmd.env("PATH", joined);
    }
    Ok(cmd)
}
