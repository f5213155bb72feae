//! Desktop manners: one window per desk, focused again by a second launch, and the window
//! reopened where and as large as it was left.

use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window must rest before its place is written down.
const SAVE_AFTER_REST: Duration = Duration::from_millis(500);

/// The app identifier that keys "one instance" (and the webview's own storage).
///
/// Two windows over the same journal would race on the same requests, so a second launch must
/// hand over to the first. A desk started over another data directory
/// (`ONESHOT_DESK_DATA_DIR`: a training profile, a second workstation account, each end-to-end
/// test) has its own journal and may run beside it: its identifier gets a suffix derived from
/// that directory. The usual desk, with the platform's data directory, keeps the plain one.
pub fn identifier_for(base: &str, data_dir_override: Option<&OsStr>) -> String {
    match data_dir_override.filter(|dir| !dir.is_empty()) {
        None => base.to_owned(),
        Some(dir) => {
            let digest = Sha256::digest(dir.as_encoded_bytes());
            format!("{base}.profile-{}", hex::encode(&digest[..6]))
        }
    }
}

/// Brings the running desk's window to the front when the desk is launched again.
pub fn focus_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        // Best effort: a window manager may refuse focus; the second launch has exited anyway.
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// What is remembered of the window: size, position and maximized state. Visibility is not:
/// the desk always opens visible.
pub fn remembered_window_state() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// Writes the window's place to disk once it has rested after a move or resize. The plugin
/// itself writes only when the app exits normally; a desk that is switched off or killed would
/// otherwise forget where its employee put it.
pub fn save_when_moved<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let generation = Arc::new(AtomicU64::new(0));
    let app = app.clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
        let generation = Arc::clone(&generation);
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SAVE_AFTER_REST).await;
            if generation.load(Ordering::SeqCst) == mine
                && let Err(error) = app.save_window_state(remembered_window_state())
            {
                tracing::warn!(%error, "could not remember the window's place");
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::identifier_for;
    use std::ffi::OsStr;

    #[test]
    fn the_usual_desk_keeps_the_plain_identifier() {
        assert_eq!(identifier_for("app.desk", None), "app.desk");
        assert_eq!(identifier_for("app.desk", Some(OsStr::new(""))), "app.desk");
    }

    #[test]
    fn each_data_directory_is_its_own_instance() {
        let a = identifier_for("app.desk", Some(OsStr::new("/srv/a")));
        let b = identifier_for("app.desk", Some(OsStr::new("/srv/b")));
        assert_ne!(a, b);
        assert_eq!(a, identifier_for("app.desk", Some(OsStr::new("/srv/a"))));
        // Tauri accepts only letters, digits, '-' and '.' in identifiers.
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        );
    }
}
