//! The window opens, loads the UI and answers a command over IPC.

use e2e::{App, AppOptions};

#[tokio::test]
async fn window_opens_and_shows_the_version() -> anyhow::Result<()> {
    let mut app = App::start("smoke", AppOptions::default()).await?;
    let title = app.find("app-title").await?;
    assert_eq!(title.text().await?, "OneShot Desk");
    app.click("nav-about").await?;
    let version = app.find("app-version").await?;
    assert_eq!(version.text().await?, env!("CARGO_PKG_VERSION"));
    app.screenshot("window").await?;
    app.close().await
}
