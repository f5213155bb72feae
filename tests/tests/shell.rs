//! The window around the screens: a desk that cannot open says why on a full-window notice,
//! and practice mode shows its banner.

use anyhow::Result;
use e2e::{App, AppOptions, Layout, SimulatedDesk};

#[tokio::test]
async fn a_settings_file_with_a_mistake_is_explained_on_a_full_window_notice() -> Result<()> {
    let home = tempfile::tempdir()?;
    // IT's file with a value of the wrong kind on line 3.
    std::fs::write(
        home.path().join("system-config.toml"),
        "[optimizer]\nurl = \"https://optimizer.example.com\"\nconnect_timeout_secs = \"soon\"\n",
    )?;
    let mut app = App::start(
        "startup-error",
        AppOptions {
            env: Vec::new(),
            home: Some(home.path().to_path_buf()),
        },
    )
    .await?;
    app.wait_attribute("startup-error", "data-code", "settings.malformed_file")
        .await?;
    assert_eq!(
        app.find("startup-error-title").await?.text().await?,
        "A settings file contains a mistake."
    );
    let detail = app.find("startup-error-detail").await?.text().await?;
    assert!(detail.contains("system-config.toml"), "{detail}");
    assert!(!app.exists("nav-settings").await?);
    app.screenshot("malformed-settings").await?;
    app.close().await
}

#[tokio::test]
async fn practice_mode_shows_a_calm_banner_on_every_screen() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let mut options = desk.app_options();
    options
        .env
        .push(("ONESHOT_DESK_PRACTICE".to_owned(), "1".to_owned()));
    let mut app = App::start("practice-banner", options).await?;
    let banner = app
        .wait_text("practice-banner", |text| !text.is_empty())
        .await?;
    assert!(
        banner.contains("Practice mode — signatures are not real."),
        "{banner}"
    );
    app.click("nav-settings").await?;
    app.find("settings-screen").await?;
    app.find("practice-banner").await?;
    app.screenshot("settings-in-practice").await?;
    app.close().await
}

#[tokio::test]
async fn without_practice_mode_there_is_no_banner() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let mut app = App::start("no-practice-banner", desk.app_options()).await?;
    app.click("nav-settings").await?;
    app.find("settings-screen").await?;
    assert!(!app.exists("practice-banner").await?);
    app.screenshot("settings").await?;
    app.close().await
}
