//! Native file dialogs (rfd, GTK on Linux). GTK wants its dialogs created on the main thread;
//! the dialog then runs there while this command awaits its answer.

use crate::error::{IpcError, IpcResult};
use serde::Deserialize;
use tauri::{AppHandle, Manager, WebviewWindow};

/// What the employee is choosing, which decides the dialog's filter.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    Pdf,
    Image,
    Certificate,
    /// A VideoID recording (the desk recognises it by its content, whatever the name).
    Video,
}

/// Lets the employee choose one or several files; an empty list when they cancel.
#[tauri::command]
#[specta::specta]
pub async fn pick_files(
    app: AppHandle,
    window: WebviewWindow,
    kind: FileKind,
    multiple: bool,
    title: String,
) -> IpcResult<Vec<String>> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let (name, extensions): (&str, &[&str]) = match kind {
            FileKind::Pdf => ("PDF", &["pdf", "PDF"]),
            FileKind::Image => ("JPEG / PNG", &["jpg", "jpeg", "png", "JPG", "JPEG", "PNG"]),
            FileKind::Certificate => ("PEM / CRT", &["pem", "crt", "cer"]),
            FileKind::Video => (
                "Video",
                &[
                    "mp4", "m4v", "mov", "webm", "mkv", "avi", "mpg", "mpeg", "MP4", "MOV", "WEBM",
                ],
            ),
        };
        let dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .add_filter(name, extensions)
            .set_parent(&window);
        std::thread::spawn(move || {
            let chosen = if multiple {
                tauri::async_runtime::block_on(dialog.pick_files()).unwrap_or_default()
            } else {
                tauri::async_runtime::block_on(dialog.pick_file())
                    .into_iter()
                    .collect()
            };
            let paths = chosen
                .iter()
                .map(|file| file.path().to_string_lossy().into_owned());
            let _ = sender.send(paths.collect());
        });
    })?;
    receiver
        .await
        .map_err(|_| IpcError::new("app.dialog_failed", "the file dialog closed unexpectedly"))
}

/// Lets the employee choose a folder (e.g. where signed documents are saved).
#[tauri::command]
#[specta::specta]
pub async fn pick_folder(
    app: AppHandle,
    window: WebviewWindow,
    title: String,
) -> IpcResult<Option<String>> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_parent(&window);
        std::thread::spawn(move || {
            let chosen = tauri::async_runtime::block_on(dialog.pick_folder());
            let _ = sender.send(chosen.map(|folder| folder.path().to_string_lossy().into_owned()));
        });
    })?;
    receiver
        .await
        .map_err(|_| IpcError::new("app.dialog_failed", "the folder dialog closed unexpectedly"))
}

/// Lets the employee choose where to save a new file, proposing `default_name` in their
/// documents folder; `None` when they cancel. GTK asks before replacing an existing file.
#[tauri::command]
#[specta::specta]
pub async fn pick_save_file(
    app: AppHandle,
    window: WebviewWindow,
    title: String,
    default_name: String,
) -> IpcResult<Option<String>> {
    let folder = app
        .path()
        .document_dir()
        .ok()
        .filter(|dir| dir.is_dir())
        .or_else(|| app.path().home_dir().ok());
    let extension = std::path::Path::new(&default_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_owned);
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title(title)
            .set_file_name(default_name)
            .set_parent(&window);
        if let Some(folder) = folder {
            dialog = dialog.set_directory(folder);
        }
        if let Some(extension) = extension {
            dialog = dialog.add_filter(extension.to_uppercase(), &[extension.as_str()]);
        }
        std::thread::spawn(move || {
            let chosen = tauri::async_runtime::block_on(dialog.save_file());
            let _ = sender.send(chosen.map(|file| file.path().to_string_lossy().into_owned()));
        });
    })?;
    receiver
        .await
        .map_err(|_| IpcError::new("app.dialog_failed", "the save dialog closed unexpectedly"))
}
