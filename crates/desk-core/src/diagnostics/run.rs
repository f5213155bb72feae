//! The checks themselves, in the order `doctor` prints them.

use super::{Check, Diagnosis, PdfiumStatus};
use crate::desk::blocking;
use crate::error::DeskError;
use crate::flow::TokenChoice;
use crate::{ConnectionReport, Desk};
use std::path::{Path, PathBuf};

/// Below this much free space in the output folder, signing large documents may fail.
pub const MIN_FREE_BYTES: u64 = 200 * 1024 * 1024;

impl Desk {
    /// Checks the set-up: Optimizer reachable and recognised, layout, TLS, proxy, keyring,
    /// PDFium (checked by the caller), output folder writable, disk space and the RAO token
    /// `token` names. Never fails itself: every problem is a failed [`Check`].
    pub async fn diagnose(&self, token: &TokenChoice, pdfium: PdfiumStatus) -> Diagnosis {
        let connection = self.connection();
        let report = self.test_connection(&connection).await;
        let mut checks = connection_checks(&report, &connection.proxy);
        checks.push(match self.keyring_available().await {
            Ok(()) => Check::ok("keyring", "available"),
            Err(error) => Check::fail("keyring", &error),
        });
        checks.push(match pdfium {
            Ok(library) => Check::ok("pdfium", library),
            Err(error) => Check::fail("pdfium", &error),
        });
        let output = self.inner.read_settings().output_folder();
        checks.extend(blocking(move || output_checks(&output)).await);
        checks.push(self.token_check(token).await);
        Diagnosis {
            ok: checks.iter().all(|c| c.ok),
            checks,
            connection: report,
        }
    }

    async fn token_check(&self, token: &TokenChoice) -> Check {
        const NAME: &str = "rao token";
        let stored = match token {
            TokenChoice::Value(_) => return Check::ok(NAME, "given on the command line"),
            _ => self.stored_tokens().await,
        };
        let list = match stored {
            Ok(list) => list,
            Err(error) => return Check::fail(NAME, &error),
        };
        match token {
            TokenChoice::Label(label) if list.iter().any(|t| &t.label == label) => {
                Check::ok(NAME, format!("\"{label}\" in the keyring"))
            }
            TokenChoice::Label(label) => Check::fail(
                NAME,
                &DeskError::new(
                    "vault.unknown_token",
                    format!("no token labelled \"{label}\""),
                ),
            ),
            _ => match list.iter().find(|t| t.is_default) {
                Some(token) => {
                    Check::ok(NAME, format!("default \"{}\" in the keyring", token.label))
                }
                None => Check::fail(
                    NAME,
                    &DeskError::new("rao.no_token", "no token stored (tokens create)"),
                ),
            },
        }
    }
}

/// `optimizer`, `layout`, `tls` and `proxy`, all read from one connection test.
fn connection_checks(report: &ConnectionReport, proxy: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    let url = report.url.as_deref();
    checks.push(match (url, &report.error) {
        (None, _) => Check::fail(
            "optimizer",
            &DeskError::new(
                "optimizer.not_configured",
                "no Optimizer URL (optimizer.url or --optimizer)",
            ),
        ),
        (Some(url), None) => Check::ok(
            "optimizer",
            format!(
                "{url} reachable, layout {}",
                report.layout.as_deref().unwrap_or("?")
            ),
        ),
        (Some(_), Some(error)) => Check::fail("optimizer", error),
    });
    // The layout and version are what the Optimizer answered: when it could not be reached,
    // the configured layout proves nothing about the server.
    checks.push(match (&report.layout, &report.error) {
        (_, Some(error)) => Check::fail("layout", error),
        (Some(layout), None) => Check::ok(
            "layout",
            format!(
                "{layout} (version {})",
                report.version.as_deref().unwrap_or("unknown")
            ),
        ),
        (None, None) => Check::fail(
            "layout",
            &DeskError::new("optimizer.not_recognised", "not detected"),
        ),
    });
    let https = url.is_some_and(|u| u.starts_with("https://"));
    checks.push(match &report.error {
        Some(error) if error.code.area() == "tls" => Check::fail("tls", error),
        _ if url.is_none() => Check::fail(
            "tls",
            &DeskError::new("optimizer.not_configured", "not checked: no Optimizer URL"),
        ),
        _ if !https => Check::ok("tls", "not used (http)"),
        _ if report.reachable => Check::ok("tls", "certificate trusted"),
        _ => Check::fail(
            "tls",
            &DeskError::new(
                "tls.not_checked",
                "not checked: the Optimizer was not reached",
            ),
        ),
    });
    checks.push(match &report.error {
        Some(error) if error.code.area() == "proxy" => Check::fail("proxy", error),
        _ => Check::ok("proxy", proxy),
    });
    checks
}

/// `output folder` (writable) and `disk space` (at least [`MIN_FREE_BYTES`] free).
fn output_checks(output: &Path) -> Vec<Check> {
    let writable = match writable(output) {
        Ok(()) => Check::ok("output folder", format!("{} writable", output.display())),
        Err(error) => Check::fail("output folder", &error),
    };
    let space = match fs4::available_space(existing_ancestor(output)) {
        Ok(free) if free >= MIN_FREE_BYTES => {
            Check::ok("disk space", format!("{} MB free", free / 1024 / 1024))
        }
        Ok(free) => Check::fail(
            "disk space",
            &DeskError::new(
                "output.no_space",
                format!("only {} MB free in the output folder", free / 1024 / 1024),
            ),
        ),
        Err(e) => Check::fail(
            "disk space",
            &DeskError::new("output.no_space", format!("cannot tell: {e}")),
        ),
    };
    vec![writable, space]
}

fn writable(dir: &Path) -> Result<(), DeskError> {
    let probe: PathBuf = dir.join(".oneshot-desk-doctor");
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::File::create(&probe).map(drop))
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| {
            DeskError::new(
                "output.not_writable",
                format!("{} is not writable", dir.display()),
            )
            .with_detail(e.to_string())
        })
}

/// The folder itself or, when it does not exist yet, the nearest parent that does (where
/// it will be created, so whose disk counts).
fn existing_ancestor(path: &Path) -> &Path {
    path.ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("/"))
}
