//! The first start of a desk with no signing server: the window opens on the setup, tries the
//! address typed (a wrong port is explained, the simulator is recognised), saves it, creates the
//! RAO token in the real keyring, and the next start goes straight to work.

use anyhow::Result;
use e2e::home::{files_containing, open_desk};
use e2e::{App, AppOptions};
use optimizer_sim::{RaoAccount, SimConfig, Simulator};
use secrecy::ExposeSecret;

/// A RAO the simulated Registration Authority knows and that has no token yet.
const RAO: &str = "7001700:first-run-pw:2468:973";

/// A loopback port nothing listens on.
fn closed_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

#[tokio::test]
async fn first_run_tests_the_address_saves_it_and_creates_a_token() -> Result<()> {
    let sim = Simulator::start(SimConfig {
        seed: Some(11),
        raos: vec![
            RaoAccount::practice(),
            RaoAccount::parse(RAO).map_err(anyhow::Error::msg)?,
        ],
        ..SimConfig::default()
    })
    .await?;
    let home = tempfile::tempdir()?;
    let label = format!("first run {}", std::process::id());
    let options = || AppOptions {
        env: Vec::new(),
        home: Some(home.path().to_path_buf()),
    };

    let mut app = App::start("first-run", options()).await?;
    app.wait_attribute("setup-screen", "data-step", "server")
        .await?;
    assert!(app.exists("nav-setup").await?);
    app.screenshot("welcome").await?;

    // A wrong port: the explanation, in words, and nothing saved.
    let port = closed_port()?;
    app.fill("setup-url", &format!("http://127.0.0.1:{port}"))
        .await?;
    app.click("setup-test").await?;
    app.wait_attribute(
        "setup-connection-result",
        "data-code",
        "optimizer.unreachable",
    )
    .await?;
    let title = app
        .find("setup-connection-result-title")
        .await?
        .text()
        .await?;
    assert_eq!(title, "The signing server cannot be reached.");
    app.screenshot("wrong-port").await?;

    // The simulator: recognised, with its layout.
    app.fill("setup-url", &sim.base_url()).await?;
    app.click("setup-test").await?;
    let detail = app
        .wait_text("setup-connection-result-detail", |text| !text.is_empty())
        .await?;
    assert!(detail.contains("current layout"), "{detail}");
    app.screenshot("connected").await?;

    // Enter continues: the address is saved and the token step follows.
    app.press_enter("setup-url").await?;
    app.wait_attribute("setup-screen", "data-step", "token")
        .await?;
    app.screenshot("token-step").await?;
    app.fill("setup-token-label", &label).await?;
    app.fill("setup-token-username", "7001700").await?;
    app.fill("setup-token-password", "first-run-pw").await?;
    app.fill("setup-token-pin", "2468").await?;
    app.screenshot("token-typed").await?;
    app.click("setup-token-submit").await?;
    app.wait_attribute("setup-screen", "data-step", "ready")
        .await?;
    let ready = app.find("setup-ready-text").await?.text().await?;
    assert!(ready.contains(&label), "{ready}");
    app.screenshot("ready").await?;
    app.click("setup-finish").await?;
    app.wait_gone("nav-setup").await?;
    app.find("nav-settings").await?;
    app.screenshot("after-setup").await?;
    app.close().await?;

    // The desk's own view: the address is the user's setting, the token is in the keyring and
    // is the default, and its value is in no file of the workstation.
    let desk = open_desk(home.path())?;
    let base = sim.base_url();
    assert_eq!(
        desk.connection()
            .url
            .as_deref()
            .map(|u| u.trim_end_matches('/')),
        Some(base.trim_end_matches('/'))
    );
    let saved = desk.stored_tokens().await?;
    let token = saved
        .iter()
        .find(|token| token.label == label)
        .expect("the token is listed on this computer");
    assert!(token.is_default);
    let vault = desk_core::vault::Vault::new(desk.paths());
    let value = vault.rao_token(&label)?;
    assert!(!value.expose_secret().is_empty());
    assert_eq!(
        files_containing(home.path(), value.expose_secret())?,
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        files_containing(home.path(), "first-run-pw")?,
        Vec::<std::path::PathBuf>::new()
    );

    // The next start goes straight to work: no setup.
    let mut app = App::start("first-run-again", options()).await?;
    app.find("nav-settings").await?;
    assert!(!app.exists("nav-setup").await?);
    assert!(!app.exists("setup-screen").await?);
    app.screenshot("second-start").await?;
    app.close().await?;

    desk.forget_token(&label, true).await?;
    Ok(())
}
