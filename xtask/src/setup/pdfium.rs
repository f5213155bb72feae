//! PDFium for `crates/pdf-engine`. No Linux distribution packages PDFium, so the library comes
//! from the `pypdfium2` wheel on PyPI, which carries a plain `libpdfium.so` / `pdfium.dll` /
//! `libpdfium.dylib` beside its Python bindings. The wheel version and every platform's sha256 are
//! pinned: a changed file on the index fails the setup instead of loading unknown code.
//!
//! Only the library and its `version.json` (renamed `pdfium-version.json`, read by pdf-engine for
//! "About" and `doctor`) are extracted, into `.tools/pdfium/<platform>/`. A stamp file makes the
//! step a no-op when the pinned wheel is already in place.

use crate::{paths, shell};
use anyhow::{Context, Result, bail, ensure};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pypdfium2 release whose wheels carry PDFium build 8149 (chromium/8149), which binds with
/// pdfium-render 0.9.5's `pdfium_latest` bindings with no missing symbols.
pub const PYPDFIUM2_VERSION: &str = "5.15.2";
/// The PDFium build inside [`PYPDFIUM2_VERSION`] (from the wheels' `pypdfium2_raw/version.json`).
pub const PDFIUM_BUILD: u32 = 8149;

/// One platform's pinned wheel.
#[derive(Debug, Clone, Copy)]
pub struct PinnedWheel {
    /// Folder name under `.tools/pdfium/`; pdf-engine derives the same name from its target.
    pub platform: &'static str,
    /// The wheel's platform tag, as `pip download --platform` takes it.
    pub pip_platform: &'static str,
    pub filename: &'static str,
    /// The file's permanent address on PyPI's file host (fallback when pip is not available).
    pub url: &'static str,
    pub sha256: &'static str,
    /// The library's file name inside the wheel's `pypdfium2_raw/` folder.
    pub library: &'static str,
}

/// Every platform the desk is built for. Hashes are PyPI's published sha256 of each file.
pub const WHEELS: &[PinnedWheel] = &[
    PinnedWheel {
        platform: "linux-x64",
        pip_platform: "manylinux_2_17_x86_64",
        filename: "pypdfium2-5.15.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        url: "https://files.pythonhosted.org/packages/c8/e5/2e668bc1bc6fe22f9006694b5571a2dd2c9b874d6a21d16ee839c8f7f6ea/pypdfium2-5.15.2-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        sha256: "dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37",
        library: "libpdfium.so",
    },
    PinnedWheel {
        platform: "linux-arm64",
        pip_platform: "manylinux_2_17_aarch64",
        filename: "pypdfium2-5.15.2-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
        url: "https://files.pythonhosted.org/packages/03/1f/7a18e64c50049dce8512239bcdb9f8469d0a0c352dd42ae85b6b01d143f8/pypdfium2-5.15.2-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.whl",
        sha256: "dd46e93c0c3a73f6cea8489baff6d77a5d0759dd53fbbce0aeb49c91830176fc",
        library: "libpdfium.so",
    },
    PinnedWheel {
        platform: "windows-x64",
        pip_platform: "win_amd64",
        filename: "pypdfium2-5.15.2-py3-none-win_amd64.whl",
        url: "https://files.pythonhosted.org/packages/fe/7f/8aa446529fa14523e5c18f89e823afc95526689f76a75efe68a82a10d850/pypdfium2-5.15.2-py3-none-win_amd64.whl",
        sha256: "74d1bace34fb01c660d0b64344d5a4b7d276942b7c6623c88ab59ea21c5acfbd",
        library: "pdfium.dll",
    },
    PinnedWheel {
        platform: "macos-arm64",
        pip_platform: "macosx_13_0_arm64",
        filename: "pypdfium2-5.15.2-py3-none-macosx_13_0_arm64.whl",
        url: "https://files.pythonhosted.org/packages/e7/bb/bf88a781a53c905022b25b2d1fb742c908f86b8076403471f626cc41a508/pypdfium2-5.15.2-py3-none-macosx_13_0_arm64.whl",
        sha256: "e71fe832e94421ac3c28d6a6ed4a9e61f22417089652d339f391c4ffc2a44c35",
        library: "libpdfium.dylib",
    },
    PinnedWheel {
        platform: "macos-x64",
        pip_platform: "macosx_13_0_x86_64",
        filename: "pypdfium2-5.15.2-py3-none-macosx_13_0_x86_64.whl",
        url: "https://files.pythonhosted.org/packages/09/de/9e7eda3ee1c00228d72f7fc53a370d76eed51fe5fea25debc428ac684e35/pypdfium2-5.15.2-py3-none-macosx_13_0_x86_64.whl",
        sha256: "7f296a298074d76fb7c3d1ecb80d7097a96778bf0ad9c5c48a0170e56e2c6821",
        library: "libpdfium.dylib",
    },
];

/// The platform folder of the machine running the setup (the build platform), if pinned.
/// Must agree with `pdf_engine::library::PLATFORM_DIR`.
pub fn host_platform() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("linux-x64"),
        ("linux", "aarch64") => Some("linux-arm64"),
        ("windows", "x86_64") => Some("windows-x64"),
        ("macos", "aarch64") => Some("macos-arm64"),
        ("macos", "x86_64") => Some("macos-x64"),
        _ => None,
    }
}

/// The names accepted by `cargo xtask setup --pdfium-platform`.
pub fn platform_names() -> Vec<&'static str> {
    WHEELS.iter().map(|w| w.platform).collect()
}

/// Provisions PDFium for the build platform (the part of `cargo xtask setup` the tests need).
pub fn ensure_host() -> Result<()> {
    match host_platform() {
        Some(platform) => ensure_platform(platform).map(|_| ()),
        None => {
            eprintln!(
                "setup: no pinned PDFium wheel for {}-{}; pdf-engine needs a PDFium library \
                 named by ONESHOT_PDFIUM_PATH (see crates/pdf-engine/README.md)",
                std::env::consts::OS,
                std::env::consts::ARCH
            );
            Ok(())
        }
    }
}

/// Provisions PDFium for `platform` (one of [`platform_names`]) and returns the library's path.
pub fn ensure_platform(platform: &str) -> Result<PathBuf> {
    let wheel = WHEELS
        .iter()
        .find(|w| w.platform == platform)
        .with_context(|| {
            format!(
                "no pinned PDFium wheel for platform `{platform}`; known: {}",
                platform_names().join(", ")
            )
        })?;
    let dest = paths::tools_dir().join("pdfium").join(wheel.platform);
    let library = dest.join(wheel.library);
    let stamp = dest.join(".wheel");
    let expected_stamp = format!("{} {}\n", wheel.filename, wheel.sha256);
    if library.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == expected_stamp) {
        return Ok(library);
    }

    let downloads = paths::tools_dir().join("pdfium").join("downloads");
    std::fs::create_dir_all(&downloads)?;
    let wheel_path = downloads.join(wheel.filename);
    if !has_sha256(&wheel_path, wheel.sha256)? {
        eprintln!("setup: downloading PDFium (pypdfium2 {PYPDFIUM2_VERSION}) for {platform}");
        download(wheel, &downloads)?;
    }
    ensure!(
        has_sha256(&wheel_path, wheel.sha256)?,
        "{} does not have the pinned sha256 {}; delete it and run `cargo xtask setup` again",
        wheel_path.display(),
        wheel.sha256
    );

    std::fs::create_dir_all(&dest)?;
    extract(
        &wheel_path,
        &format!("pypdfium2_raw/{}", wheel.library),
        &library,
    )?;
    extract(
        &wheel_path,
        "pypdfium2_raw/version.json",
        &dest.join("pdfium-version.json"),
    )?;
    std::fs::write(&stamp, expected_stamp).context("writing the PDFium stamp")?;
    // The wheel is only a carrier; keeping it would double the folder's size.
    std::fs::remove_file(&wheel_path).ok();
    eprintln!("setup: PDFium build {PDFIUM_BUILD} in {}", dest.display());
    Ok(library)
}

/// Prefers pip, which honours the machine's index, proxy and certificate configuration; falls
/// back to curl on the pinned file address when no pip can be run or pip fails.
fn download(wheel: &PinnedWheel, into: &Path) -> Result<()> {
    let target = into.join(wheel.filename);
    // pip keeps a file it finds already in place, whatever its content.
    if target.exists() {
        std::fs::remove_file(&target).context("removing a wheel with the wrong hash")?;
    }
    let python = python_candidates().into_iter().find(|python| {
        shell::output_of(Command::new(python).args(["-m", "pip", "--version"])).is_some()
    });
    if let Some(python) = python {
        let mut pip = Command::new(python);
        pip.args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args([
            "--no-deps",
            "--only-binary=:all:",
            "--platform",
            wheel.pip_platform,
        ])
        .arg("--dest")
        .arg(into)
        .arg(format!("pypdfium2=={PYPDFIUM2_VERSION}"));
        match shell::run(&mut pip) {
            Ok(()) if target.is_file() => return Ok(()),
            Ok(()) => eprintln!("setup: pip did not produce {}; trying curl", wheel.filename),
            Err(err) => eprintln!("setup: pip could not download the wheel ({err:#}); trying curl"),
        }
    }
    if !shell::on_path("curl") && !shell::on_path("curl.exe") {
        bail!("neither pip nor curl can download {}", wheel.url);
    }
    let part = into.join(format!("{}.part", wheel.filename));
    shell::run(
        Command::new("curl")
            .args([
                "--fail",
                "--location",
                "--silent",
                "--show-error",
                "--retry",
                "3",
            ])
            .arg("--output")
            .arg(&part)
            .arg(wheel.url),
    )?;
    std::fs::rename(&part, &target).context("moving the downloaded wheel")?;
    Ok(())
}

fn python_candidates() -> Vec<PathBuf> {
    let venv = paths::python_venv();
    let mut candidates = vec![venv.join("bin/python"), venv.join("Scripts/python.exe")];
    candidates.retain(|p| p.is_file());
    candidates.extend(["python3", "python"].map(PathBuf::from));
    candidates
}

fn has_sha256(path: &Path, expected: &str) -> Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(err) => return Err(err).with_context(|| format!("reading {}", path.display())),
    };
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    let actual: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(actual == expected)
}

/// Copies one member of the wheel to `to`, through a temporary name so an interrupted setup
/// never leaves a half-written library that a later run would take for complete.
fn extract(wheel: &Path, member: &str, to: &Path) -> Result<()> {
    let file =
        std::fs::File::open(wheel).with_context(|| format!("opening {}", wheel.display()))?;
    let mut archive = zip::ZipArchive::new(file).context("reading the wheel as a zip archive")?;
    let mut entry = archive
        .by_name(member)
        .with_context(|| format!("the wheel has no `{member}`"))?;
    let tmp = to.with_extension("part");
    let mut out =
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    std::io::copy(&mut entry, &mut out).with_context(|| format!("extracting {member}"))?;
    out.sync_all()?;
    drop(out);
    std::fs::rename(&tmp, to).with_context(|| format!("moving {} into place", to.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pinned_wheel_is_the_pinned_version_on_the_file_host() {
        for wheel in WHEELS {
            assert!(
                wheel
                    .filename
                    .starts_with(&format!("pypdfium2-{PYPDFIUM2_VERSION}-"))
            );
            assert!(
                wheel
                    .url
                    .starts_with("https://files.pythonhosted.org/packages/")
            );
            assert!(wheel.url.ends_with(wheel.filename));
            assert_eq!(wheel.sha256.len(), 64);
            assert!(wheel.filename.contains(wheel.pip_platform));
        }
    }

    #[test]
    fn the_build_platform_has_a_pinned_wheel_when_it_is_a_desk_platform() {
        if let Some(platform) = host_platform() {
            assert!(platform_names().contains(&platform));
        }
    }
}
