//! Where things live: the workspace root and the ignored `.tools/` folder that holds what
//! `cargo xtask setup` provisions (Python venv, PDFium, ...).

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's manifest directory). `cargo run` passes the
/// manifest directory at run time, which is preferred over the compile-time one: with a target
/// directory shared between checkouts, the binary may have been built from another checkout.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), Path::to_path_buf)
}

/// The ignored folder for provisioned tools.
pub fn tools_dir() -> PathBuf {
    workspace_root().join(".tools")
}

/// The Python virtual environment holding the independent PDF signature validators.
pub fn python_venv() -> PathBuf {
    tools_dir().join("venv")
}

/// The cargo target directory in use (honours `CARGO_TARGET_DIR`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The window's front-end project.
pub fn ui_dir() -> PathBuf {
    workspace_root().join("ui")
}
