//! tauri-driver, started per test on its own ports so tests can run in parallel.

use anyhow::{Context, Result, bail};
use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// A running tauri-driver; killed (with its WebKitWebDriver) when dropped.
pub struct Driver {
    pub port: u16,
    child: Child,
}

impl Driver {
    /// Starts tauri-driver with the app's environment and waits until it accepts connections.
    pub async fn start(envs: &[(String, String)], log_dir: &Path) -> Result<Self> {
        let port = free_port()?;
        let native_port = free_port()?;
        let log = std::fs::File::create(log_dir.join("tauri-driver.log"))?;
        let mut command = Command::new(tool("tauri-driver")?);
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::from(log.try_clone()?))
            .stderr(Stdio::from(log))
            .kill_on_drop(true);
        let child = command.spawn().context("starting tauri-driver")?;
        // tauri-driver starts WebKitWebDriver on the native port at once, but forwards the first
        // session to it without waiting: on a loaded machine that request meets a closed port.
        // Both must accept connections before the session is opened.
        let deadline = Instant::now() + Duration::from_secs(20);
        for listening in [port, native_port] {
            while tokio::net::TcpStream::connect(("127.0.0.1", listening))
                .await
                .is_err()
            {
                if Instant::now() > deadline {
                    bail!("tauri-driver did not listen on port {listening} within 20 s");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Ok(Self { port, child })
    }

    /// tauri-driver's process id (`None` once it has exited).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Stops tauri-driver and waits for it to exit.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Finds a provisioned tool on PATH or in cargo's bin directory, or says how to get it.
fn tool(name: &str) -> Result<std::path::PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .with_context(|| format!("`{name}` is not installed: run `cargo xtask setup`"))
}
