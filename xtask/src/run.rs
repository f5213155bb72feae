//! `cargo xtask run`: practice mode. Builds the window, the simulator and the CLI, starts a
//! fresh simulated Optimizer, sets up a practice workstation pointing at it (IT's settings file,
//! a RAO token created through the API and kept in the keyring), then opens the app. Signatures
//! made here are real PAdES signatures from a throw-away CA, and the SMS code the "customer"
//! receives is shown in the window, so a newcomer completes a signature in a minute.

use crate::{paths, shell};
use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The simulator's practice RAO (see optimizer-sim's README).
const PRACTICE_RAO: (&str, &str, &str) = ("9001800", "practice", "1234");
const TOKEN_LABEL: &str = "practice";

#[derive(clap::Args)]
pub struct RunArgs {
    /// Keep the previous practice session (its requests, signed files and simulator state)
    /// instead of starting fresh.
    #[arg(long)]
    keep: bool,
}

pub fn run(args: &RunArgs) -> Result<()> {
    let root = paths::workspace_root();
    shell::run(
        Command::new("npm")
            .current_dir(paths::ui_dir())
            .args(["run", "--silent", "build"]),
    )?;
    shell::run(Command::new("cargo").current_dir(&root).args([
        "build",
        "-p",
        "optimizer-sim",
        "-p",
        "desk-cli",
        "-p",
        "oneshot-desk",
    ]))?;
    let home = paths::target_dir().join("practice");
    if home.exists() && !args.keep {
        std::fs::remove_dir_all(&home).context("clearing the previous practice session")?;
    }
    std::fs::create_dir_all(&home)?;

    // Outside a desktop session there is no keyring: start a private one for the session, its
    // keyring files kept in the practice home (not the user's own login keyring).
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() && !in_private_session() {
        let xtask = std::env::current_exe()?;
        let script = r#"echo -n practice | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@""#;
        let mut cmd = Command::new("dbus-run-session");
        cmd.args(["--", "sh", "-c", script, "sh"])
            .arg(xtask)
            .arg("run")
            .arg("--keep");
        cmd.env(PRIVATE_SESSION, "1")
            .env("XDG_DATA_HOME", home.join("session"));
        return shell::run(&mut cmd);
    }

    let mut sim = Simulator::start(&home)?;
    let result = practice(&home, &sim.url);
    sim.stop();
    result
}

const PRIVATE_SESSION: &str = "ONESHOT_PRACTICE_PRIVATE_SESSION";

fn in_private_session() -> bool {
    std::env::var_os(PRIVATE_SESSION).is_some()
}

fn practice(home: &Path, url: &str) -> Result<()> {
    std::fs::write(home.join("system-config.toml"), system_settings(url, home))?;
    let fresh_token = !home.join("data/rao-tokens.json").exists();
    if fresh_token {
        create_token(home, url)?;
    }
    eprintln!(
        "practice: the simulated Optimizer is at {url}; signed documents go to {}",
        home.join("signed").display()
    );
    let binary = paths::target_dir().join("debug/oneshot-desk");
    let mut app = Command::new(&binary);
    desk_environment(&mut app, home);
    app.env("ONESHOT_DESK_PRACTICE", "1");
    shell::run(&mut app)
}

/// What IT would write for a practice workstation.
fn system_settings(url: &str, home: &Path) -> String {
    format!(
        "# Practice workstation written by `cargo xtask run`.\n\
         [optimizer]\nurl = \"{url}\"\nlayout = \"auto\"\n\n\
         [request]\nenvironment = \"sandbox\"\nregistration_authority = \"9999\"\n\
         profile = \"PFnubeNC\"\n\n[output]\nfolder = \"{}\"\n\n\
         [rao]\ndefault_token_label = \"{TOKEN_LABEL}\"\n",
        home.join("signed").display()
    )
}

/// Every folder of the desk below the practice home, so nothing touches the user's own desk.
fn desk_environment(cmd: &mut Command, home: &Path) {
    for (variable, name) in [
        ("ONESHOT_DESK_DATA_DIR", "data"),
        ("ONESHOT_DESK_CONFIG_DIR", "config"),
        ("ONESHOT_DESK_LOG_DIR", "logs"),
        ("ONESHOT_DESK_CACHE_DIR", "cache"),
        ("ONESHOT_DESK_OUTPUT_DIR", "signed"),
        ("ONESHOT_DESK_SYSTEM_CONFIG", "system-config.toml"),
    ] {
        cmd.env(variable, home.join(name));
    }
}

/// Creates the practice RAO's token through the API with the CLI; it lands in the keyring.
fn create_token(home: &Path, url: &str) -> Result<()> {
    let (username, password, pin) = PRACTICE_RAO;
    let cli = paths::target_dir().join("debug/oneshot-desk-cli");
    let mut cmd = Command::new(&cli);
    desk_environment(&mut cmd, home);
    cmd.args([
        "--optimizer",
        url,
        "tokens",
        "create",
        "--username",
        username,
    ])
    .args(["--label", TOKEN_LABEL, "--env", "sandbox", "--default"])
    .stdin(Stdio::piped());
    eprintln!(
        "+ {} tokens create --username {username} --label {TOKEN_LABEL}",
        cli.display()
    );
    let mut child = cmd.spawn().context("starting oneshot-desk-cli")?;
    child
        .stdin
        .take()
        .context("the CLI's standard input")?
        .write_all(format!("{password}\n{pin}\n").as_bytes())?;
    let status = child.wait()?;
    if !status.success() {
        bail!("creating the practice token failed ({status}); is a keyring service running?");
    }
    Ok(())
}

/// The simulator child process, stopped when practice ends.
struct Simulator {
    child: Child,
    url: String,
}

impl Simulator {
    fn start(home: &Path) -> Result<Self> {
        let binary: PathBuf = paths::target_dir().join("debug/optimizer-sim");
        let mut child = Command::new(&binary)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--no-sandbox-token",
                "--data-dir",
            ])
            .arg(home.join("optimizer"))
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("the simulator's output")?;
        let mut reader = BufReader::new(stdout);
        let mut first = String::new();
        reader.read_line(&mut first)?;
        // Keep reading what it prints, so it never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let Some(url) = first.trim().strip_prefix("LISTENING ") else {
            let _ = child.kill();
            bail!("the simulator did not start: {first:?}");
        };
        Ok(Self {
            url: url.to_owned(),
            child,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
