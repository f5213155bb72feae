//! A private X display per app under test (Xvfb), so parallel tests never share keyboard focus
//! or windows: a file dialog answered in one test cannot receive another test's keystrokes.

use anyhow::{Context, Result, bail};
use std::process::Stdio;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

pub struct Display {
    pub name: String,
    server: Child,
}

impl Display {
    /// Starts Xvfb on a free display number and waits until it accepts clients.
    pub async fn start() -> Result<Self> {
        let mut server = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting Xvfb: run `cargo xtask setup`")?;
        let mut stdout = server.stdout.take().context("Xvfb's standard output")?;
        let mut number = String::new();
        let mut byte = [0u8; 1];
        // Xvfb writes the display number followed by a newline once it is ready.
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while stdout.read(&mut byte).await? == 1 && byte[0] != b'\n' {
                number.push(char::from(byte[0]));
            }
            Ok::<_, std::io::Error>(())
        })
        .await;
        if !matches!(read, Ok(Ok(()))) || number.is_empty() {
            bail!("Xvfb did not report a display within 10 s");
        }
        Ok(Self {
            name: format!(":{}", number.trim()),
            server,
        })
    }

    /// The app's window as the X server shows it (a dialog over it included), as PNG: the
    /// whole screen when no window with the app's title is visible.
    ///
    /// Not WebDriver's screenshot: that asks WebKit for a snapshot of its next frame, and when
    /// WebKit paints without compositing (a workstation without GPU, as here) and nothing on
    /// the page changes, that frame never comes.
    pub async fn capture(&self, title: &str) -> Result<Vec<u8>> {
        let search = Command::new("xdotool")
            .env("DISPLAY", &self.name)
            .args(["search", "--onlyvisible", "--name", &format!("^{title}$")])
            .output()
            .await
            .context("running xdotool: run `cargo xtask setup`")?;
        let window = String::from_utf8_lossy(&search.stdout)
            .lines()
            .next()
            .map_or_else(|| "root".to_owned(), |id| id.trim().to_owned());
        let capture = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            Command::new("import")
                .args(["-display", &self.name, "-window", &window, "png:-"])
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .output(),
        )
        .await
        .context("ImageMagick's import did not capture the window within 20 s")?
        .context("running ImageMagick's import: run `cargo xtask setup`")?;
        if !capture.status.success() || capture.stdout.is_empty() {
            bail!(
                "capturing window {window} failed: {}",
                String::from_utf8_lossy(&capture.stderr).trim()
            );
        }
        Ok(capture.stdout)
    }

    /// Stops the X server.
    pub async fn stop(mut self) {
        let _ = self.server.kill().await;
    }
}
