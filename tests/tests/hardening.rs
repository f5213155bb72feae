//! The webview is locked down: it may call the app's own commands and listen to events, and
//! nothing else of Tauri's core; it loads no remote content and cannot navigate away from the
//! app; the page-image scheme serves only documents the app opened, by opaque handle.
//!
//! Each refusal is checked beside an allowed call of the same kind, so a broken bridge cannot
//! pass for a locked one.

use anyhow::{Result, ensure};
use e2e::{App, AppOptions};
use serde_json::Value;
use std::io::ErrorKind;
use std::net::TcpListener;

/// Runs `body` (JavaScript that eventually calls `done(value)`) in the window.
async fn run(app: &App, body: &str) -> Result<Value> {
    let script = format!("const done = arguments[arguments.length - 1];\n{body}");
    Ok(app.client.execute_async(&script, Vec::new()).await?)
}

/// Whether `listener` was ever connected to (it is non-blocking).
fn was_contacted(listener: &TcpListener) -> Result<bool> {
    match listener.accept() {
        Ok(_) => Ok(true),
        Err(error) if error.kind() == ErrorKind::WouldBlock => Ok(false),
        Err(error) => Err(error.into()),
    }
}

#[tokio::test]
async fn the_window_may_use_only_what_it_needs() -> Result<()> {
    let remote = TcpListener::bind("127.0.0.1:0")?;
    remote.set_nonblocking(true)?;
    let remote_url = format!("http://127.0.0.1:{}/", remote.local_addr()?.port());

    let mut app = App::start("hardening", AppOptions::default()).await?;
    app.find("app-title").await?;

    // The app's own command answers; a core command the UI does not use is refused.
    let own = run(
        &app,
        "window.__TAURI_INTERNALS__.invoke('app_info')
           .then((info) => done('allowed ' + info.name), (e) => done('refused ' + e));",
    )
    .await?;
    assert_eq!(own, "allowed OneShot Desk");
    for (command, args) in [
        (
            "plugin:window|set_title",
            "{label: 'main', value: 'hijacked'}",
        ),
        (
            "plugin:webview|create_webview_window",
            "{options: {label: 'x', url: 'https://example.com'}}",
        ),
        ("plugin:path|resolve_directory", "{directory: 1}"),
    ] {
        let answer = run(
            &app,
            &format!(
                "window.__TAURI_INTERNALS__.invoke('{command}', {args})
                   .then(() => done('allowed'), (e) => done('refused ' + e));"
            ),
        )
        .await?;
        let text = answer.as_str().unwrap_or_default();
        assert!(
            text.starts_with("refused") && text.contains("not allowed"),
            "{command}: {answer}"
        );
    }

    // No remote content: fetches and images from another origin are blocked before any
    // connection is made.
    let fetched = run(
        &app,
        &format!("fetch('{remote_url}').then(() => done('loaded'), () => done('blocked'));"),
    )
    .await?;
    assert_eq!(fetched, "blocked");
    let image = run(
        &app,
        &format!(
            "const img = new Image();
             img.onload = () => done('loaded');
             img.onerror = () => done('blocked');
             img.src = '{remote_url}logo.png';"
        ),
    )
    .await?;
    assert_eq!(image, "blocked");
    ensure!(
        !was_contacted(&remote)?,
        "the webview connected to a remote server"
    );

    // The page-image scheme knows only opaque handles of documents the app opened: neither a
    // path nor an unknown handle yields an image.
    for address in [
        "pdfpage://localhost/%2Fetc%2Fpasswd/0",
        "pdfpage://localhost/..%2F..%2Fetc%2Fpasswd/0",
        "pdfpage://localhost/0123456789abcdef0123456789abcdef/0",
    ] {
        let answer = run(
            &app,
            &format!(
                "const img = new Image();
                 img.onload = () => done('served');
                 img.onerror = () => done('refused');
                 img.src = '{address}';"
            ),
        )
        .await?;
        assert_eq!(answer, "refused", "{address}");
    }

    // Navigating away is refused: the app's page stays, with its script context alive.
    let stayed = run(
        &app,
        &format!(
            "const before = location.href;
             location.href = '{remote_url}';
             setTimeout(() => done(location.href === before ? 'stayed' : location.href), 1500);"
        ),
    )
    .await?;
    assert_eq!(stayed, "stayed");
    ensure!(
        !was_contacted(&remote)?,
        "the webview navigated to a remote server"
    );
    app.find("app-title").await?;
    app.screenshot("still-the-app").await?;
    app.close().await
}
