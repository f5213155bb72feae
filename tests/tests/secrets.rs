//! No secret reaches a file or the window's events: in the real window, a RAO token is created
//! from a recognisable password and PIN, a billing password is saved, and a classic signature is
//! made with the desk's token and the code the customer received. Meanwhile the page records
//! every desk event the window receives and every answer the app's commands give it. Then every
//! file the app wrote below its private home (settings, journal with its WAL, logs, cache,
//! signed documents, WebKit's own storage, temporary files) and everything recorded is searched
//! for each secret, in plain text, base64, URL encoding and hex. The OS keyring (a real Secret
//! Service in the test's own D-Bus session, outside that home) is the only place they may be.

#[allow(dead_code)]
#[path = "classic/support.rs"]
mod support;

use anyhow::{Context, Result, ensure};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use e2e::{App, Layout, SimulatedDesk};
use optimizer_sim::RaoAccount;
use optimizer_sim::config::BillingCredentials;
use secrecy::{ExposeSecret, SecretString};
use secret_scan::Scanner;
use std::path::Path;
use support::{
    ANA, SIGNING_LIMIT, add_documents, choose_photos, fill_customer, photos, request_pk,
    review_everything, saved_pdfs, short_document, sms_code,
};

const DESK_TOKEN: &str = "5ec7e75e-0b7a-4c1e-9d2a-c0ffee5ec7e7";
const RAO_USER: &str = "7002002";
const RAO_PASSWORD: &str = "Canary+Rao/Pass=W9z";
const RAO_PIN: &str = "Pk4826canary";
const BILLING_USER: &str = "canary-billing@desk.test";
const BILLING_PASSWORD: &str = "Canary Billing&Pw5";

/// Installed in the page before anything secret happens: keeps every desk event the window
/// receives (through a listener of its own, beside the UI's) and the body of every answer the
/// app's commands send back (the IPC answers travel through `fetch` on the `ipc:` scheme).
const CAPTURE: &str = r"
const done = arguments[arguments.length - 1];
const internals = window.__TAURI_INTERNALS__;
const capture = { events: [], answers: [] };
window.__secretCapture = capture;
const fetchFromPage = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const response = await fetchFromPage(input, init);
  const url = typeof input === 'string' ? input : input.url;
  if (url.startsWith('ipc:')) {
    response.clone().text().then(
      (body) => capture.answers.push(url + ' ' + body),
      (error) => capture.answers.push(url + ' unreadable: ' + error),
    );
  }
  return response;
};
const handler = internals.transformCallback((event) => capture.events.push(JSON.stringify(event)));
internals
  .invoke('plugin:event|listen', { event: 'desk-event-message', target: { kind: 'Any' }, handler })
  .then(() => done('listening'), (error) => done('refused: ' + error));
";

#[tokio::test]
async fn no_secret_reaches_a_file_or_the_window() -> Result<()> {
    let desk = SimulatedDesk::start(Layout::Current, |config| {
        config.seed = Some(23);
        config.sandbox_token = Some(DESK_TOKEN.to_owned());
        config.raos.push(RaoAccount {
            username: RAO_USER.to_owned(),
            password: SecretString::from(RAO_PASSWORD),
            pin: SecretString::from(RAO_PIN),
            rao_id: 975,
        });
        config.billing = Some(BillingCredentials {
            username: BILLING_USER.to_owned(),
            password_b64: SecretString::from(STANDARD.encode(BILLING_PASSWORD)),
        });
    })
    .await?;
    let home = desk.home().to_path_buf();
    let mut options = desk.app_options();
    // Everything the app and its webview write goes below the test's home, where it is searched.
    for (variable, dir) in [
        ("HOME", "user"),
        ("XDG_CONFIG_HOME", "user/.config"),
        ("XDG_DATA_HOME", "user/.local/share"),
        ("XDG_STATE_HOME", "user/.local/state"),
        ("XDG_CACHE_HOME", "user/.cache"),
        ("TMPDIR", "tmp"),
    ] {
        std::fs::create_dir_all(home.join(dir))?;
        options.env.push((
            variable.to_owned(),
            home.join(dir).to_string_lossy().into_owned(),
        ));
    }
    let photos = photos()?;
    let mut app = App::start("secrets", options).await?;
    app.find("nav-settings").await?;
    let listening = app.run_async(CAPTURE, Vec::new()).await?;
    ensure!(
        listening == "listening",
        "the capture is not in place: {listening}"
    );

    // A RAO token from the RAO's password and PIN.
    let label = format!("Canary {}", std::process::id());
    app.click("nav-settings").await?;
    app.click("settings-tab-tokens").await?;
    app.fill("token-create-label", &label).await?;
    app.fill("token-create-username", RAO_USER).await?;
    app.fill("token-create-password", RAO_PASSWORD).await?;
    app.fill("token-create-pin", RAO_PIN).await?;
    app.click("token-create-submit").await?;
    app.find(&format!("token-{label}")).await?;
    app.screenshot("token-created").await?;

    // The billing account the signing uses.
    app.click("settings-tab-billing").await?;
    app.fill("setting-billing.username-input", BILLING_USER)
        .await?;
    app.press_enter("setting-billing.username-input").await?;
    app.wait_attribute("billing-password-status", "data-stored", "false")
        .await?;
    app.fill("billing-password-input", BILLING_PASSWORD).await?;
    app.click("billing-password-save").await?;
    app.wait_attribute("billing-password-status", "data-stored", "true")
        .await?;

    // A classic signature with the desk's token (IT's default) and the customer's code.
    app.click("nav-newSignature").await?;
    app.wait_attribute("flow-screen", "data-step", "customer")
        .await?;
    fill_customer(&app, &ANA).await?;
    choose_photos(&app, &photos).await?;
    add_documents(&app, &[short_document()]).await?;
    app.click("customer-continue").await?;
    let pk = request_pk(&app).await?;
    review_everything(&mut app, 1).await?;
    app.click("review-confirm").await?;
    app.wait_attribute("flow-screen", "data-step", "code")
        .await?;
    app.click("otp-delivery-sms").await?;
    app.click("otp-send").await?;
    app.find("otp-input").await?;
    let code = sms_code(&desk, pk).await?;
    app.fill("otp-input", &code).await?;
    app.click("otp-sign").await?;
    app.wait_attribute_within("flow-screen", "data-state", "done", SIGNING_LIMIT)
        .await?;
    app.wait_attribute("result-document-1", "data-verified", "true")
        .await?;
    app.screenshot("signed").await?;

    let captured = app
        .run_async(
            "arguments[arguments.length - 1](window.__secretCapture || null);",
            Vec::new(),
        )
        .await?;
    app.close().await?;

    // The created token's value, read back from the keyring, is a secret too.
    let core = desk.desk()?;
    let created = desk_core::vault::Vault::new(core.paths()).rao_token(&label)?;
    let secrets = [
        ("desk token", DESK_TOKEN.to_owned()),
        ("created token", created.expose_secret().to_owned()),
        ("RAO password", RAO_PASSWORD.to_owned()),
        ("RAO PIN", RAO_PIN.to_owned()),
        ("billing password", BILLING_PASSWORD.to_owned()),
        ("code", code),
    ];
    let scanner = Scanner::new(secrets.iter().cloned());
    let control = scanner.scan(Path::new("control"), &scanner.control());
    ensure!(
        control.len() == scanner.form_count(),
        "the search misses planted secrets: {control:?}"
    );

    // What the window received: the capture must have seen the flow, or it proves nothing.
    let events = strings(&captured["events"]).context("no events recorded")?;
    let answers = strings(&captured["answers"]).context("no answers recorded")?;
    ensure!(
        events.iter().any(|e| e.contains("flow_changed")),
        "no flow event reached the window's listener: {events:?}"
    );
    ensure!(
        answers.iter().any(|a| a.contains("flow_start_classic"))
            && answers.iter().any(|a| a.contains("token")),
        "the commands' answers were not recorded: {} answers",
        answers.len()
    );
    let mut hits = scanner.scan(Path::new("<desk events>"), events.join("\n").as_bytes());
    hits.extend(scanner.scan(
        Path::new("<command answers>"),
        answers.join("\n").as_bytes(),
    ));

    // What the app left on disk.
    let (file_hits, searched) = scanner.scan_tree(&[&home])?;
    hits.extend(file_hits);
    for kind in ["journal.sqlite3", ".log", "settings.toml", ".pdf"] {
        ensure!(
            searched
                .files
                .iter()
                .any(|f| f.to_string_lossy().contains(kind)),
            "no {kind} file was written: {:?}",
            searched.files
        );
    }
    ensure!(
        saved_pdfs(&desk.output_dir())?.len() == 2,
        "the document and the contract are saved"
    );
    let hits: Vec<String> = hits.iter().map(ToString::to_string).collect();
    ensure!(hits.is_empty(), "secrets found:\n{}", hits.join("\n"));
    eprintln!(
        "searched {} files ({} bytes), {} events and {} command answers for {} secrets in {} \
         forms: none found",
        searched.items,
        searched.bytes,
        events.len(),
        answers.len(),
        secrets.len(),
        scanner.form_count()
    );

    core.forget_token(&label, false).await?;
    core.forget_billing_password().await?;
    Ok(())
}

fn strings(value: &serde_json::Value) -> Option<Vec<String>> {
    value.as_array().map(|items| {
        items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect()
    })
}
