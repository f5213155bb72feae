//! The workstation installer: the .deb built by `cargo xtask bundle` installs with `dpkg -i`, its
//! binaries find the PDFium it carries, the installed app opens and works through WebDriver, and
//! `dpkg -r` removes every file again.
//!
//! `cargo xtask test` builds the .deb (from the debug build, to reuse what the other tests
//! built) and names it in `ONESHOT_DESK_DEB`. Installing needs root: as another user the
//! commands go through `sudo -n`, and the test fails with a clear message if that is refused.

use anyhow::{Context, Result, bail, ensure};
use e2e::{App, AppOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALLED_APP: &str = "/usr/bin/oneshot-desk";
const INSTALLED_CLI: &str = "/usr/bin/oneshot-desk-cli";
const INSTALLED_PDFIUM: &str = "/usr/lib/oneshot-desk/libpdfium.so";

#[tokio::test]
async fn the_deb_installs_runs_with_its_own_pdfium_and_uninstalls() -> Result<()> {
    let deb = std::env::var_os("ONESHOT_DESK_DEB")
        .map(PathBuf::from)
        .context("ONESHOT_DESK_DEB is not set: run this test through `cargo xtask test`, which builds the .deb first")?;
    ensure!(
        deb.is_file(),
        "the installer {} does not exist",
        deb.display()
    );
    let package = deb_field(&deb, "Package")?;

    let installed = Installed::install(&deb, &package)?;
    for file in [INSTALLED_APP, INSTALLED_CLI, INSTALLED_PDFIUM] {
        ensure!(
            Path::new(file).is_file(),
            "the package did not install {file}"
        );
    }
    let listed = run(Command::new("dpkg").args(["-L", &package]))?;
    assert!(
        listed.lines().any(|line| line.ends_with(".desktop")),
        "no desktop entry in the package:\n{listed}"
    );

    // The CLI finds the PDFium shipped beside it, not a development copy.
    let doctor = Command::new(INSTALLED_CLI)
        .args(["--json", "doctor"])
        .env_remove("ONESHOT_PDFIUM_PATH")
        .env_remove("ONESHOT_TOOLS_DIR")
        .output()?;
    let report = String::from_utf8_lossy(&doctor.stdout);
    let pdfium = report
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|line| line["result"]["checks"].as_array().cloned())
        .flatten()
        .find(|check| check["name"] == "pdfium")
        .with_context(|| {
            format!("no PDFium line in the installed CLI's doctor report:\n{report}")
        })?;
    assert_eq!(pdfium["ok"], true, "{pdfium}");
    assert!(
        pdfium["detail"]
            .as_str()
            .is_some_and(|detail| detail.contains(INSTALLED_PDFIUM)),
        "the installed CLI did not load {INSTALLED_PDFIUM}: {pdfium}"
    );

    // The installed window opens and names the same library in "About".
    let mut app = App::start(
        "installer",
        AppOptions {
            binary: Some(INSTALLED_APP.into()),
            ..AppOptions::default()
        },
    )
    .await?;
    let title = app.find("app-title").await?;
    assert_eq!(title.text().await?, "OneShot Desk");
    app.click("nav-about").await?;
    app.wait_text("about-pdfium", |text| {
        // The version file shipped beside the library names the build.
        text.contains(INSTALLED_PDFIUM) && !text.contains("version unknown")
    })
    .await?;
    app.screenshot("installed-about").await?;
    app.close().await?;

    installed.remove()?;
    for file in [INSTALLED_APP, INSTALLED_CLI, INSTALLED_PDFIUM] {
        assert!(
            !Path::new(file).exists(),
            "{file} is still there after dpkg -r"
        );
    }
    Ok(())
}

/// The installed package; removed again when dropped, so a failing test leaves no package.
struct Installed {
    package: Option<String>,
}

impl Installed {
    fn install(deb: &Path, package: &str) -> Result<Self> {
        let installed = Self {
            package: Some(package.to_owned()),
        };
        run(as_root("dpkg").arg("-i").arg(deb))?;
        Ok(installed)
    }

    fn remove(mut self) -> Result<()> {
        match self.package.take() {
            Some(package) => run(as_root("dpkg").args(["-r", &package])).map(|_| ()),
            None => Ok(()),
        }
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        if let Some(package) = self.package.take() {
            let _ = as_root("dpkg").args(["-r", &package]).status();
        }
    }
}

/// `program` run as root: directly when the tests run as root (CI), otherwise through `sudo -n`.
fn as_root(program: &str) -> Command {
    let is_root = run(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
    if is_root {
        Command::new(program)
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", program]);
        sudo
    }
}

fn deb_field(deb: &Path, field: &str) -> Result<String> {
    Ok(run(Command::new("dpkg-deb").arg("-f").arg(deb).arg(field))?
        .trim()
        .to_owned())
}

/// Runs `command` and returns its standard output; its standard error explains a failure.
fn run(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .with_context(|| format!("could not start {command:?}"))?;
    if !output.status.success() {
        bail!(
            "{command:?} failed ({}): {} (installing a package needs root or password-less sudo)",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
