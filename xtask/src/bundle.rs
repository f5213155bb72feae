//! `cargo xtask bundle`: installers for workstations, built offline with the pinned Tauri bundler.
//!
//! The static bundle settings (names, icons, formats per platform, WebView2 offline installer)
//! live in `src-tauri/tauri*.conf.json`. What depends on this checkout — where PDFium and the
//! CLI were built — is passed to the bundler as a configuration overlay written here:
//!
//! - Linux (.deb, .rpm): `/usr/lib/oneshot-desk/libpdfium.so`, the place pdf-engine looks next
//!   to `/usr/bin` (`../lib/oneshot-desk/`), shared by the app and the CLI. The CLI is the app's
//!   own binary started as `/usr/bin/oneshot-desk-cli`, a link to `/usr/bin/oneshot-desk` (see
//!   `src-tauri/src/main.rs`): the .deb gets the link when it is repacked with xz
//!   (`bundle/deb.rs`), the .rpm (xz-compressed by the bundler) from its install scripts.
//! - Windows and macOS: PDFium as a bundled resource (`pdfium/`), where pdf-engine looks in the
//!   app's resource directory. These installers can only be built on their own systems.

use crate::setup::{pdfium, tauri_cli};
use crate::{paths, shell};
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::Command;

mod deb;

/// The PDFium version file `cargo xtask setup` writes beside the library (pdf-engine reads it).
const VERSION_FILE: &str = "pdfium-version.json";

/// Options of `cargo xtask bundle`.
#[derive(clap::Args, Debug, Default)]
pub struct BundleArgs {
    /// Bundle the debug build (quick; what the test command installs) instead of the release.
    #[arg(long)]
    pub debug: bool,
    /// Installer formats, comma-separated (default: deb,rpm on Linux, nsis,msi on Windows,
    /// dmg on macOS).
    #[arg(long, value_delimiter = ',', value_name = "FORMATS")]
    pub formats: Vec<String>,
}

/// Builds the installers and returns their paths.
pub fn run(args: &BundleArgs) -> Result<Vec<PathBuf>> {
    let root = paths::workspace_root();
    let profile = if args.debug { "debug" } else { "release" };
    let formats = if args.formats.is_empty() {
        default_formats().iter().map(ToString::to_string).collect()
    } else {
        args.formats.clone()
    };

    let platform = pdfium::host_platform().context("no pinned PDFium for this platform")?;
    let library = pdfium::ensure_platform(platform)?;
    let overlay = paths::target_dir().join("bundle-overlay.json");
    std::fs::write(&overlay, overlay_config(&library, &root)?.to_string())
        .context("writing the bundle configuration overlay")?;

    let bundle_dir = paths::target_dir().join(profile).join("bundle");
    for format in &formats {
        // A previous build's installer must not be mistaken for this one's.
        let _ = std::fs::remove_dir_all(bundle_dir.join(format));
    }
    let mut tauri = Command::new(tauri_cli::tauri_command());
    tauri
        .current_dir(root.join("src-tauri"))
        .args(["build", "--ci", "--bundles", &formats.join(",")])
        .arg("--config")
        .arg(&overlay)
        .env("CARGO_TARGET_DIR", paths::target_dir());
    if args.debug {
        tauri.arg("--debug");
    }
    shell::run(&mut tauri)?;

    let installers = installers_in(&bundle_dir, &formats)?;
    for installer in installers
        .iter()
        .filter(|path| path.extension().is_some_and(|e| e == "deb"))
    {
        deb::finish(installer, !args.debug)?;
    }
    for installer in &installers {
        let size = std::fs::metadata(installer)?.len();
        eprintln!(
            "bundle: {} ({:.1} MB)",
            installer.display(),
            size as f64 / 1_000_000.0
        );
    }
    Ok(installers)
}

fn default_formats() -> &'static [&'static str] {
    match std::env::consts::OS {
        "windows" => &["nsis", "msi"],
        "macos" => &["dmg"],
        _ => &["deb", "rpm"],
    }
}

/// The per-checkout part of the bundle configuration (see the module documentation).
fn overlay_config(library: &Path, root: &Path) -> Result<serde_json::Value> {
    let library = path_text(library)?;
    let file_name = Path::new(&library)
        .file_name()
        .and_then(|name| name.to_str())
        .context("PDFium library without a file name")?
        .to_owned();
    // The wheel's version file beside the library lets "About" and `doctor` name the build.
    let version = path_text(&Path::new(&library).with_file_name(VERSION_FILE))?;
    Ok(if cfg!(target_os = "linux") {
        let files = json!({
            format!("/usr/lib/oneshot-desk/{file_name}"): library,
            format!("/usr/lib/oneshot-desk/{VERSION_FILE}"): version,
        });
        let packaging = root.join("src-tauri").join("packaging");
        json!({ "bundle": { "linux": {
            "deb": { "files": files },
            "rpm": {
                "files": files,
                "postInstallScript": path_text(&packaging.join("rpm-post-install.sh"))?,
                "postRemoveScript": path_text(&packaging.join("rpm-post-remove.sh"))?,
                "compression": { "type": "xz", "level": 9 },
            },
        } } })
    } else {
        json!({ "bundle": { "resources": {
            library: format!("pdfium/{file_name}"),
            version: format!("pdfium/{VERSION_FILE}"),
        } } })
    })
}

fn path_text(path: &Path) -> Result<String> {
    path.to_str()
        .map(str::to_owned)
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

fn installers_in(bundle_dir: &Path, formats: &[String]) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for format in formats {
        let dir = bundle_dir.join(format);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            bail!(
                "the bundler wrote no {format} installer in {}",
                dir.display()
            );
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
