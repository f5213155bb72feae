//! Desktop manners: a second launch hands over to the running desk, and the window reopens
//! where and as large as it was left, even when the desk did not exit normally.

use anyhow::{Context, Result, bail};
use e2e::{App, AppOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_second_launch_hands_over_to_the_running_desk() -> Result<()> {
    let home = tempfile::tempdir()?;
    let options = || AppOptions {
        home: Some(home.path().to_path_buf()),
        ..AppOptions::default()
    };
    let mut app = App::start("second-launch", options()).await?;
    app.find("app-title").await?;

    let binary = std::env::var_os("ONESHOT_DESK_APP").context("ONESHOT_DESK_APP is not set")?;
    let mut second = tokio::process::Command::new(binary)
        .envs(e2e::home::desk_env(home.path()))
        .env("DISPLAY", app.display())
        .kill_on_drop(true)
        .spawn()?;
    let status = tokio::time::timeout(Duration::from_secs(60), second.wait())
        .await
        .context("the second launch kept running beside the first")??;
    assert!(status.success(), "the second launch ended with {status}");

    // The first desk is untouched and still answers.
    app.click("nav-about").await?;
    app.find("app-version").await?;
    app.screenshot("first-still-running").await?;
    app.close().await
}

#[tokio::test]
async fn the_window_reopens_where_it_was_left() -> Result<()> {
    let home = tempfile::tempdir()?;
    let config_home = home.path().join("xdg-config");
    let options = || AppOptions {
        home: Some(home.path().to_path_buf()),
        env: vec![(
            "XDG_CONFIG_HOME".to_owned(),
            config_home.to_string_lossy().into_owned(),
        )],
        ..AppOptions::default()
    };

    let app = App::start("window-state", options()).await?;
    app.find("app-title").await?;
    app.client.set_window_rect(40, 30, 1100, 700).await?;
    // Written once the window rests; the session below ends without a normal exit.
    wait_for_saved_width(&config_home, 1100).await?;
    app.close().await?;

    let mut app = App::start("window-state", options()).await?;
    app.find("app-title").await?;
    let (x, y, width, height) = app.client.get_window_rect().await?;
    assert_eq!((width, height), (1100, 700));
    assert_eq!((x, y), (40, 30));
    app.screenshot("reopened").await?;
    app.close().await
}

/// Waits up to 20 s for the remembered window state to hold this width.
async fn wait_for_saved_width(config_home: &Path, width: u64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(file) = state_file(config_home)
            && let Ok(text) = std::fs::read_to_string(&file)
            && let Ok(state) = serde_json::from_str::<serde_json::Value>(&text)
            && state["main"]["width"].as_u64() == Some(width)
        {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!(
                "the window's new size was not written below {}",
                config_home.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The window-state file in the app's configuration folder (named after its identifier).
fn state_file(config_home: &Path) -> Option<PathBuf> {
    std::fs::read_dir(config_home)
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join(".window-state.json"))
        .find(|path| path.is_file())
}
