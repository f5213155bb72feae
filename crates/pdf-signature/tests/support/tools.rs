//! The independent validators provisioned by `cargo xtask setup`.

use std::path::PathBuf;

/// `ONESHOT_TOOLS_DIR`, else `<workspace>/.tools`.
pub fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.tools"))
}

/// pyHanko's command line.
pub fn pyhanko() -> PathBuf {
    let path = tools_dir().join("venv/bin/pyhanko");
    assert!(
        path.exists(),
        "pyHanko is missing at {}: run `cargo xtask setup`",
        path.display()
    );
    path
}

/// poppler's `pdfsig`.
pub fn pdfsig() -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("pdfsig"))
            .find(|p| p.is_file())
    });
    found
        .unwrap_or_else(|| panic!("pdfsig (poppler-utils) is not on PATH: run `cargo xtask setup`"))
}
