//! Debian packages for building the native shell and running the tests headless.

use crate::shell;
use anyhow::{Result, bail};
use std::process::Command;

/// Build dependencies of Tauri 2 on Linux (WebKitGTK 4.1 and friends).
const BUILD: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "ca-certificates",
    "file",
    "patchelf",
    "libssl-dev",
    "libdbus-1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libsoup-3.0-dev",
    "libjavascriptcoregtk-4.1-dev",
    "libwebkit2gtk-4.1-dev",
];

/// What the tests use: a virtual display, WebDriver for WebKitGTK, a private D-Bus session with a
/// real Secret Service, independent signature validators (poppler's pdfsig with an NSS trust store
/// made by certutil, openssl for CMS), tools to make test fixtures, and real-world PDFs (the
/// manuals Debian's documentation packages install).
const TEST: &[&str] = &[
    "xvfb",
    "xauth",
    // Answers the app's native file dialogs in the end-to-end tests, as a person would.
    "xdotool",
    "webkit2gtk-driver",
    "dbus",
    "gnome-keyring",
    "imagemagick",
    "fonts-dejavu-core",
    "poppler-utils",
    "qpdf",
    "openssl",
    "python3-venv",
    // Signature checks of what the simulator signs: NSS's trust store and chain validation
    // (certutil, vfychain) for pdfsig, CMS checks (openssl), and real-world PDFs from small
    // documentation packages.
    "libnss3-tools",
    "openssl",
    "libtasn1-doc",
    "shared-mime-info",
    "zlib1g-dev",
    "fontconfig",
    // Real-world PDFs for pdf-engine's tests and benchmarks and the window benchmark (which
    // also makes its scanned PDF from it with poppler-utils' pdftoppm): pgfmanual.pdf (1300+ pages),
    // the R manuals (refman 2400 pages), the gnuplot and Asymptote manuals.
    "texlive-pictures-doc",
    "r-doc-pdf",
    "gnuplot-doc",
    "asymptote-doc",
];

/// Installs whatever is missing with apt-get; a no-op when everything is there.
pub fn ensure() -> Result<()> {
    if !cfg!(target_os = "linux") || !shell::on_path("dpkg-query") {
        eprintln!(
            "setup: not a Debian-family system; install the equivalents of these packages by hand: {}",
            BUILD
                .iter()
                .chain(TEST)
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = BUILD
        .iter()
        .chain(TEST)
        .copied()
        .filter(|p| !installed(p))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("setup: installing Debian packages: {}", missing.join(" "));
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = if shell::is_root() {
            Command::new("apt-get")
        } else if shell::on_path("sudo") {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        } else {
            bail!(
                "installing packages needs root or sudo: {}",
                missing.join(" ")
            );
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        shell::run(&mut cmd)
    };
    apt(&["update", "-qq"])?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

fn installed(package: &str) -> bool {
    shell::output_of(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.ends_with("install ok installed"))
}
