//! The webview shows the app and nothing else: any navigation away from the app's own pages
//! (a link in a server's message, a script gone wrong) is refused. Links the user should follow
//! go to the system browser through the `open_path` command instead.

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

/// Refuses every navigation that does not stay on the app's own pages.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let allowed = is_app_page(url);
            if !allowed {
                tracing::warn!(scheme = url.scheme(), host = ?url.host_str(), "navigation away from the app refused");
            }
            allowed
        })
        .build()
}

/// The app's pages: the embedded UI (`tauri://localhost` on Linux and macOS,
/// `http(s)://tauri.localhost` on Windows), or the Vite dev server of a development build
/// without the embedded UI.
fn is_app_page(url: &Url) -> bool {
    match (url.scheme(), url.host_str()) {
        ("tauri", Some("localhost")) => true,
        ("http" | "https", Some("tauri.localhost")) => true,
        ("http", Some("127.0.0.1")) if !cfg!(feature = "custom-protocol") => {
            url.port() == Some(DEV_SERVER_PORT)
        }
        _ => false,
    }
}

/// `build.devUrl` in tauri.conf.json.
const DEV_SERVER_PORT: u16 = 1420;

#[cfg(test)]
mod tests {
    use super::is_app_page;
    use tauri::Url;

    fn page(text: &str) -> bool {
        is_app_page(&Url::parse(text).expect("a valid URL"))
    }

    #[test]
    fn the_app_own_pages_are_allowed() {
        assert!(page("tauri://localhost/"));
        assert!(page("tauri://localhost/index.html#settings"));
        assert!(page("http://tauri.localhost/"));
        assert!(page("https://tauri.localhost/"));
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(!page("https://example.com/"));
        assert!(!page("http://127.0.0.1:8080/"));
        assert!(!page("file:///etc/passwd"));
        assert!(!page("tauri://evil.example/"));
        assert!(!page("http://tauri.localhost.example.com/"));
        assert!(!page("data:text/html,<h1>hi</h1>"));
    }
}
