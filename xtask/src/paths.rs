//! Where things live: the workspace root and the ignored `.tools/` folder that holds what
//! `cargo xtask setup` provisions (Python venv, PDFium, ...).

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
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
