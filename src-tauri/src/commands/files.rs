//! Opening saved files and folders with the system's own programs.

use crate::error::{IpcError, IpcResult};

/// Opens a file (the signed PDF) or folder with the program the system uses for it.
#[tauri::command]
#[specta::specta]
pub fn open_path(path: String) -> IpcResult<()> {
    if !std::path::Path::new(&path).exists() {
        return Err(IpcError::new(
            "files.missing",
            "the file or folder no longer exists",
        ));
    }
    open::that_detached(&path).map_err(|error| {
        IpcError::new(
            "files.open_failed",
            format!("the system could not open it: {error}"),
        )
    })
}
