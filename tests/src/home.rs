//! A workstation home: every folder of the desk below one directory, as the app under test
//! sees it, and the desk itself opened over that home so a test can check what the window did
//! (the keyring, the settings) through desk-core's own API.

use anyhow::Result;
use desk_core::paths::{Paths, env};
use desk_core::{Desk, DeskOptions};
use std::path::Path;

/// The environment that puts every folder of the desk below `home`, and IT's system-wide file
/// at `<home>/system-config.toml` (absent unless a test writes it).
pub fn desk_env(home: &Path) -> Vec<(String, String)> {
    [
        (env::DATA_DIR, "data"),
        (env::CONFIG_DIR, "config"),
        (env::LOG_DIR, "logs"),
        (env::CACHE_DIR, "cache"),
        (env::OUTPUT_DIR, "signed"),
        (env::SYSTEM_CONFIG, "system-config.toml"),
    ]
    .into_iter()
    .map(|(variable, name)| {
        (
            variable.to_owned(),
            home.join(name).to_string_lossy().into_owned(),
        )
    })
    .collect()
}

/// The desk over `home`, with the same folders, settings and keyring the app uses.
pub fn open_desk(home: &Path) -> Result<Desk> {
    let vars = desk_env(home);
    let paths = Paths::from_lookup(|name| {
        vars.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into())
    })?;
    Ok(Desk::open(DeskOptions::new(paths), |_| {})?)
}

/// Every file below `dir` whose bytes contain `needle` (to prove a secret reached no file).
pub fn files_containing(dir: &Path, needle: &str) -> Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(entry.path())?;
                if bytes
                    .windows(needle.len())
                    .any(|window| window == needle.as_bytes())
                {
                    found.push(entry.path());
                }
            }
        }
    }
    Ok(found)
}
