//! The start-up baseline of the window benchmark (`tests/benches/window`): a Tauri window and
//! nothing else (no plugins, no commands, one static page), built with the same toolchain, the
//! same Tauri and the same release profile as the app, so the app's start-up can be compared
//! with what any Tauri window costs on the same machine.
//!
//! With `ONESHOT_MINIMAL_WINDOW_URL` set, the window shows that address instead: the benchmark
//! runs its pdf.js baseline page there (served from loopback), in the same kind of WebKitGTK
//! web view as the app's, because the app itself refuses to show any page but its own.

use tauri::{WebviewUrl, WebviewWindowBuilder};

/// The address to show instead of the embedded page.
const URL_ENV: &str = "ONESHOT_MINIMAL_WINDOW_URL";

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let url = match std::env::var(URL_ENV) {
                Ok(address) => WebviewUrl::External(address.parse()?),
                Err(_) => WebviewUrl::App("index.html".into()),
            };
            // The app's window size (src-tauri/tauri.conf.json), so pages lay out alike. Made
            // here rather than in tauri.conf.json so the address can come from the environment.
            WebviewWindowBuilder::new(app, "main", url)
                .title("Minimal window")
                .inner_size(1280.0, 840.0)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
