//! The Settings screen against a desk set up by IT: changes persist across a restart, language
//! and theme apply at once, IT's locked keys stay read-only, the billing password goes only to
//! the keyring, and RAO tokens are created, chosen and forgotten in the real keyring.

use anyhow::Result;
use desk_core::settings::SettingKey;
use desk_core::vault::{SecretKey, Vault};
use e2e::home::files_containing;
use e2e::{App, Layout, SimulatedDesk};
use optimizer_sim::RaoAccount;
use secrecy::ExposeSecret;
use std::path::PathBuf;

async fn open_settings(app: &App, group: &str) -> Result<()> {
    app.click("nav-settings").await?;
    app.click(&format!("settings-tab-{group}")).await?;
    app.find(&format!("settings-panel-{group}")).await?;
    Ok(())
}

fn setting_value(desk: &SimulatedDesk, key: SettingKey) -> Result<serde_json::Value> {
    Ok(desk
        .desk()?
        .settings()
        .into_iter()
        .find(|entry| entry.key == key)
        .map(|entry| entry.value)
        .unwrap_or_default())
}

#[tokio::test]
async fn settings_persist_across_a_restart_and_spanish_changes_the_texts() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let mut app = App::start("settings-persist", desk.app_options()).await?;
    open_settings(&app, "window").await?;
    assert_eq!(app.find("nav-settings").await?.text().await?, "Settings");
    app.screenshot("window-group").await?;

    app.click("setting-ui.language-option-es").await?;
    app.wait_text("nav-settings", |text| text == "Ajustes")
        .await?;
    assert_eq!(app.root_attribute("lang").await?.as_deref(), Some("es"));
    app.click("setting-ui.theme-option-dark").await?;
    app.wait_attribute("setting-ui.theme", "data-origin", "user")
        .await?;
    assert_eq!(
        app.root_attribute("data-theme").await?.as_deref(),
        Some("dark")
    );
    app.screenshot("spanish-dark").await?;

    // A value IT set, changed here: typed, saved with Enter, marked as changed on this computer.
    app.click("settings-tab-requests").await?;
    assert_eq!(
        app.find("setting-request.registration_authority")
            .await?
            .attr("data-origin")
            .await?
            .as_deref(),
        Some("it")
    );
    app.fill("setting-request.registration_authority-input", "1234")
        .await?;
    app.press_enter("setting-request.registration_authority-input")
        .await?;
    app.wait_attribute(
        "setting-request.registration_authority",
        "data-origin",
        "user",
    )
    .await?;
    app.click("settings-tab-signing").await?;
    app.click("setting-signing.otp_delivery-option-whatsapp")
        .await?;
    app.wait_attribute("setting-signing.otp_delivery", "data-origin", "user")
        .await?;
    // A mistake is explained as it is typed and nothing is saved (the visible signature is
    // among the settings for IT, folded by default).
    app.click("settings-for-it-signing").await?;
    app.fill("setting-signing.appearance.position-input", "500,100,300")
        .await?;
    app.press_enter("setting-signing.appearance.position-input")
        .await?;
    app.find("setting-signing.appearance.position-problem")
        .await?;
    app.screenshot("signing-problem").await?;
    app.close().await?;

    // What the desk itself reads now.
    assert_eq!(setting_value(&desk, SettingKey::UiLanguage)?, "es");
    assert_eq!(setting_value(&desk, SettingKey::UiTheme)?, "dark");
    assert_eq!(
        setting_value(&desk, SettingKey::RequestRegistrationAuthority)?,
        "1234"
    );
    assert_eq!(
        setting_value(&desk, SettingKey::SigningOtpDelivery)?,
        "whatsapp"
    );
    assert_eq!(
        setting_value(&desk, SettingKey::SigningAppearancePosition)?,
        "300,100,500,150"
    );

    // The same workstation again: Spanish and dark from the start, the values kept.
    let mut app = App::start("settings-persist-restart", desk.app_options()).await?;
    app.wait_text("nav-settings", |text| text == "Ajustes")
        .await?;
    assert_eq!(
        app.root_attribute("data-theme").await?.as_deref(),
        Some("dark")
    );
    open_settings(&app, "requests").await?;
    assert_eq!(
        app.value("setting-request.registration_authority-input")
            .await?,
        "1234"
    );
    let origin = app
        .find("setting-request.registration_authority-origin")
        .await?
        .text()
        .await?;
    assert!(origin.contains("Cambiado en este ordenador"), "{origin}");
    app.screenshot("restarted-in-spanish").await?;

    // Back to the system's language: English again at once.
    app.click("settings-tab-window").await?;
    app.click("setting-ui.language-option-system").await?;
    app.wait_text("nav-settings", |text| text == "Settings")
        .await?;
    app.close().await
}

#[tokio::test]
async fn a_key_locked_by_it_is_shown_read_only_and_cannot_be_changed() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    desk.lock(&["request.environment", "optimizer.url"])?;
    let mut app = App::start("settings-locked", desk.app_options()).await?;
    open_settings(&app, "requests").await?;
    app.wait_attribute("setting-request.environment", "data-locked", "true")
        .await?;
    let note = app
        .find("setting-request.environment-origin")
        .await?
        .text()
        .await?;
    assert!(note.contains("Set by your IT department"), "{note}");
    let sandbox = app
        .find("setting-request.environment-option-sandbox")
        .await?;
    let prod = app.find("setting-request.environment-option-prod").await?;
    assert!(sandbox.is_selected().await?);
    assert!(!prod.is_enabled().await?);
    // A click on the disabled choice changes nothing.
    let _ = prod.click().await;
    assert!(
        app.find("setting-request.environment-option-sandbox")
            .await?
            .is_selected()
            .await?
    );
    assert!(!app.exists("setting-request.environment-reset").await?);
    // Unlocked neighbours stay editable.
    assert!(
        app.find("setting-request.registration_authority-input")
            .await?
            .is_enabled()
            .await?
    );
    app.screenshot("locked-environment").await?;

    app.click("settings-tab-connection").await?;
    assert!(
        !app.find("setting-optimizer.url-input")
            .await?
            .is_enabled()
            .await?
    );
    // The locked address can still be tried.
    app.click("settings-connection-test").await?;
    let detail = app
        .wait_text("settings-connection-result-detail", |text| !text.is_empty())
        .await?;
    assert!(detail.contains("current layout"), "{detail}");
    app.screenshot("locked-url-tested").await?;
    app.close().await?;

    assert_eq!(
        setting_value(&desk, SettingKey::RequestEnvironment)?,
        "sandbox"
    );
    let user_file = desk.home().join("config/settings.toml");
    let user_settings = std::fs::read_to_string(&user_file).unwrap_or_default();
    assert!(!user_settings.contains("environment"), "{user_settings}");
    Ok(())
}

#[tokio::test]
async fn the_billing_password_is_kept_in_the_keyring_and_in_no_file() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let username = format!("billing-{}", std::process::id());
    // Recognisable, so a copy anywhere in the workstation's files would be found.
    let password = format!("Bp-canary-{}-x7Q", std::process::id());
    let mut app = App::start("settings-billing", desk.app_options()).await?;
    open_settings(&app, "billing").await?;
    app.find("billing-password-needs-username").await?;
    app.fill("setting-billing.username-input", &username)
        .await?;
    app.press_enter("setting-billing.username-input").await?;
    app.wait_attribute("billing-password-status", "data-stored", "false")
        .await?;
    app.screenshot("no-password-yet").await?;
    app.fill("billing-password-input", &password).await?;
    app.click("billing-password-save").await?;
    app.wait_attribute("billing-password-status", "data-stored", "true")
        .await?;
    assert_eq!(app.value("billing-password-input").await?, "");
    app.screenshot("password-saved").await?;
    app.close().await?;

    let core = desk.desk()?;
    let stored = Vault::new(core.paths()).get(&SecretKey::BillingPassword {
        username: username.clone(),
    })?;
    assert_eq!(
        stored.as_ref().map(|secret| secret.expose_secret()),
        Some(password.as_str())
    );
    assert_eq!(
        files_containing(desk.home(), &password)?,
        Vec::<PathBuf>::new()
    );
    assert!(core.forget_billing_password().await?);
    Ok(())
}

#[tokio::test]
async fn rao_tokens_are_created_chosen_and_forgotten_in_the_keyring() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |config| {
        config
            .raos
            .push(RaoAccount::parse("7001701:token-pw:1357:974").expect("a valid RAO"));
    })
    .await?;
    let label = format!("Front desk {}", std::process::id());
    let mut app = App::start("settings-tokens", desk.app_options()).await?;
    open_settings(&app, "tokens").await?;
    app.wait_attribute(
        &format!("token-{}", desk.token_label),
        "data-in-use",
        "true",
    )
    .await?;
    app.find("tokens-server").await?;
    app.screenshot("tokens").await?;

    app.fill("token-create-label", &label).await?;
    app.fill("token-create-username", "7001701").await?;
    app.fill("token-create-password", "token-pw").await?;
    app.fill("token-create-pin", "1357").await?;
    app.click("token-create-submit").await?;
    app.find(&format!("token-{label}")).await?;
    // The password and PIN are gone from the form once used.
    assert_eq!(app.value("token-create-password").await?, "");
    assert_eq!(app.value("token-create-pin").await?, "");
    let uid = app
        .find(&format!("token-{label}-uid"))
        .await?
        .text()
        .await?;
    assert!(uid.contains('…'), "only a masked uid is shown: {uid}");
    app.wait_text("tokens-server", |text| text.contains(&label))
        .await?;
    app.screenshot("created").await?;

    let core = desk.desk()?;
    let vault = Vault::new(core.paths());
    let value = vault.rao_token(&label)?;
    assert!(
        !app.find("tokens-panel")
            .await?
            .text()
            .await?
            .contains(value.expose_secret())
    );
    assert_eq!(
        files_containing(desk.home(), value.expose_secret())?,
        Vec::<PathBuf>::new()
    );

    app.click(&format!("token-{label}-use")).await?;
    app.wait_attribute(&format!("token-{label}"), "data-in-use", "true")
        .await?;
    app.screenshot("in-use").await?;
    let saved = core.stored_tokens().await?;
    assert!(
        saved
            .iter()
            .any(|token| token.label == label && token.is_default)
    );
    assert_eq!(
        setting_value(&desk, SettingKey::RaoDefaultTokenLabel)?,
        label.as_str()
    );

    app.click(&format!("token-{label}-forget")).await?;
    app.click(&format!("token-{label}-also-server")).await?;
    app.screenshot("forget-confirm").await?;
    app.click(&format!("token-{label}-confirm-forget")).await?;
    app.wait_gone(&format!("token-{label}")).await?;
    // IT's token is the one in use again.
    app.wait_attribute(
        &format!("token-{}", desk.token_label),
        "data-in-use",
        "true",
    )
    .await?;
    app.screenshot("forgotten").await?;
    app.close().await?;

    assert!(
        vault
            .get(&SecretKey::RaoToken {
                label: label.clone()
            })?
            .is_none()
    );
    let remote = core.optimizer_tokens().await?;
    assert!(
        remote
            .iter()
            .all(|token| token.username.as_deref() != Some("7001701")),
        "{remote:?}"
    );
    assert_eq!(
        setting_value(&desk, SettingKey::RaoDefaultTokenLabel)?,
        desk.token_label.as_str()
    );
    Ok(())
}

#[tokio::test]
async fn connection_failures_are_explained_and_the_ca_file_is_checked() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |_| {}).await?;
    let work = tempfile::tempdir()?;
    let mut app = App::start("settings-connection", desk.app_options()).await?;
    open_settings(&app, "connection").await?;

    // TLS spoken to a plain HTTP server: the handshake fails, in words; nothing is saved.
    let https = desk.sim.base_url().replacen("http://", "https://", 1);
    app.fill("setting-optimizer.url-input", &https).await?;
    app.click("settings-connection-test").await?;
    app.wait_attribute(
        "settings-connection-result",
        "data-code",
        "tls.handshake_failed",
    )
    .await?;
    let title = app
        .find("settings-connection-result-title")
        .await?
        .text()
        .await?;
    assert_eq!(
        title,
        "A secure connection to the signing server could not be set up."
    );
    app.screenshot("tls-failure").await?;
    app.fill("setting-optimizer.url-input", &desk.sim.base_url())
        .await?;

    // A proxy that does not answer: explained; then a direct connection works again.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    app.click("setting-optimizer.proxy-option-url").await?;
    app.fill(
        "setting-optimizer.proxy-address",
        &format!("http://127.0.0.1:{closed}"),
    )
    .await?;
    app.press_enter("setting-optimizer.proxy-address").await?;
    app.wait_attribute("setting-optimizer.proxy", "data-origin", "user")
        .await?;
    app.click("settings-connection-test").await?;
    app.wait_attribute(
        "settings-connection-result",
        "data-code",
        "proxy.unreachable",
    )
    .await?;
    app.screenshot("proxy-failure").await?;
    app.click("setting-optimizer.proxy-option-none").await?;
    app.wait_text("setting-optimizer.proxy-saved", |text| !text.is_empty())
        .await?;
    app.click("settings-connection-test").await?;
    app.wait_attribute("settings-connection-result", "data-code", "ok")
        .await?;
    assert_eq!(setting_value(&desk, SettingKey::OptimizerProxy)?, "none");

    // The CA file: a file without certificates is refused in words, a PEM file is counted
    // and kept.
    let notes = work.path().join("notes.txt");
    std::fs::write(&notes, "not a certificate")?;
    app.fill(
        "setting-optimizer.ca_certificate-input",
        &notes.to_string_lossy(),
    )
    .await?;
    app.press_enter("setting-optimizer.ca_certificate-input")
        .await?;
    app.wait_attribute(
        "setting-optimizer.ca_certificate-error",
        "data-code",
        "config.invalid",
    )
    .await?;
    app.screenshot("ca-refused").await?;
    let pem = work.path().join("company-ca.pem");
    std::fs::write(&pem, desk.ca_pem())?;
    app.fill(
        "setting-optimizer.ca_certificate-input",
        &pem.to_string_lossy(),
    )
    .await?;
    app.press_enter("setting-optimizer.ca_certificate-input")
        .await?;
    app.wait_text("setting-optimizer.ca_certificate-note", |text| {
        text.contains("Certificates found in the file: 1")
    })
    .await?;
    app.wait_attribute("setting-optimizer.ca_certificate", "data-origin", "user")
        .await?;
    app.screenshot("ca-accepted").await?;
    app.close().await?;

    assert_eq!(
        setting_value(&desk, SettingKey::OptimizerCaCertificate)?,
        pem.to_string_lossy().as_ref()
    );
    Ok(())
}
