//! Answers the app's real native file dialogs (GTK) the way a person would: waits for the dialog
//! window by its title, types the path (in an open dialog's location field, Ctrl+L, or a save
//! dialog's name field) and presses Enter.
//! Driven with xdotool on the test's X display, so the dialog under test is the one users see.

use anyhow::{Context, Result, bail};
use std::path::Path;
use std::time::Duration;
use tokio::process::Command;

/// Chooses `path` in the file dialog titled `title` that the app opened on `display`. Types the
/// path again if the dialog is still open afterwards (keys sent while GTK was still settling are
/// lost on a loaded machine).
pub async fn choose_file(display: &str, title: &str, path: &Path) -> Result<()> {
    answer(display, title, path, Entry::Location).await
}

/// Saves as `path` in the save dialog titled `title` that the app opened on `display`: the
/// whole path replaces the proposed name in the name field (GTK accepts a full path there), then
/// Enter. `path` must not exist yet (GTK would ask before replacing it).
pub async fn save_file(display: &str, title: &str, path: &Path) -> Result<()> {
    answer(display, title, path, Entry::Name).await
}

/// Where the path is typed.
#[derive(Clone, Copy)]
enum Entry {
    /// An open dialog's location field, shown by Ctrl+L.
    Location,
    /// A save dialog's name field, which has the focus when it opens.
    Name,
}

async fn answer(display: &str, title: &str, path: &Path, entry: Entry) -> Result<()> {
    let text = path.to_str().context("the path is not valid UTF-8")?;
    let window = wait_for_window(display, title).await?;
    for _ in 0..3 {
        xdotool(display, &["windowfocus", "--sync", &window]).await?;
        if matches!(entry, Entry::Location) {
            xdotool(display, &["key", "--clearmodifiers", "ctrl+l"]).await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        xdotool(display, &["key", "--clearmodifiers", "ctrl+a"]).await?;
        xdotool(display, &["type", "--delay", "5", text]).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        xdotool(display, &["key", "Return"]).await?;
        if closes_within(display, &window, Duration::from_secs(3)).await {
            return Ok(());
        }
    }
    bail!(
        "the file dialog {title:?} did not accept {}",
        path.display()
    )
}

/// Whether the window is gone (or hidden) within `limit`.
async fn closes_within(display: &str, window: &str, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while std::time::Instant::now() < deadline {
        let visible = Command::new("xdotool")
            .env("DISPLAY", display)
            .args(["search", "--onlyvisible", "--name", "."])
            .output()
            .await
            .map(|out| {
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .any(|id| id.trim() == window)
            })
            .unwrap_or(false);
        if !visible {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

async fn wait_for_window(display: &str, title: &str) -> Result<String> {
    for _ in 0..100 {
        let output = Command::new("xdotool")
            .env("DISPLAY", display)
            .args([
                "search",
                "--onlyvisible",
                "--name",
                &format!("^{}$", regex_escape(title)),
            ])
            .output()
            .await
            .context("running xdotool: run `cargo xtask setup`")?;
        if let Some(id) = String::from_utf8_lossy(&output.stdout).lines().next() {
            // GTK maps the dialog before it is ready for keys.
            tokio::time::sleep(Duration::from_millis(500)).await;
            return Ok(id.trim().to_owned());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no file dialog titled {title:?} appeared within 10 s")
}

/// How long one xdotool command may take. `windowfocus --sync` waits for the focus to arrive and
/// never gives up by itself: without a limit a dialog that never takes the focus would hang the
/// test until nextest's own timeout, without saying why.
const XDOTOOL_LIMIT: Duration = Duration::from_secs(10);

async fn xdotool(display: &str, args: &[&str]) -> Result<()> {
    let child = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(XDOTOOL_LIMIT, child)
        .await
        .with_context(|| {
            format!(
                "xdotool {} did not finish within {} s (the dialog never took the focus?)",
                args.join(" "),
                XDOTOOL_LIMIT.as_secs()
            )
        })?
        .context("running xdotool")?;
    if !status.success() {
        bail!("xdotool {} failed with {status}", args.join(" "));
    }
    Ok(())
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\.^$|?*+()[]{}".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}
