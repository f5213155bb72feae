//! The support bundle: a zip IT sends when asking for help, with versions, the checks, the
//! effective settings and the most recent logs — scrubbed, and never with secrets, the
//! journal or customer documents.

use super::scrub::Scrubber;
use super::{Diagnosis, PdfiumStatus};
use crate::Desk;
use crate::desk::blocking;
use crate::error::{DeskError, DeskResult};
use crate::flow::{FlowSnapshot, TokenChoice};
use crate::redact::{REDACTED, is_secret_name};
use crate::settings::SettingEntry;
use crate::vault::SecretKey;
use serde::Serialize;
use serde_json::json;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// At most this many bytes of (scrubbed) log lines go into a bundle, newest first.
pub const BUNDLE_LOG_LIMIT: u64 = 5 * 1024 * 1024;

/// How many past flows lend their customers' names to the scrubbing of the logs (the logs
/// are kept 14 days; a desk rarely runs more flows than this in that time).
const FLOWS_SCRUBBED: usize = 2000;

/// What the caller knows and desk-core does not.
#[derive(Debug)]
pub struct BundleRequest {
    /// The program making the bundle (`oneshot-desk`, `oneshot-desk-cli`).
    pub app_name: String,
    /// Its version.
    pub app_version: String,
    /// PDFium as the caller found it.
    pub pdfium: PdfiumStatus,
    /// The RAO token the checks look for.
    pub token: TokenChoice,
}

/// A written bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BundleWritten {
    /// Where it is (the name asked for, or a numbered variant when that was taken).
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// How many log files it holds (some possibly cut to their newest lines).
    pub log_files: u32,
    /// Whether every check passed.
    pub checks_ok: bool,
}

impl Desk {
    /// Runs the checks and writes the support bundle to `destination` (a `.zip` path whose
    /// folder exists), atomically and without replacing an existing file.
    ///
    /// Inside: `README.txt`, `versions.json`, `diagnostics.json`, `settings.json` and
    /// `logs/` (the newest log files, at most [`BUNDLE_LOG_LIMIT`] bytes). Every text is
    /// scrubbed of the secret values in the keyring, of the customers' names, documents and
    /// folders the journal knows, and of secrets by name ([`crate::redact`]). Never inside:
    /// keyring contents, the journal, documents or ID photos.
    pub async fn export_support_bundle(
        &self,
        destination: &Path,
        request: BundleRequest,
    ) -> DeskResult<BundleWritten> {
        let file_name = destination
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| {
                DeskError::new(
                    "bundle.invalid_destination",
                    format!("{} is not a file name", destination.display()),
                )
            })?
            .to_string();
        let dir = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let diagnosis = self.diagnose(&request.token, request.pdfium.clone()).await;
        let scrubber = self.bundle_scrubber(&request.token).await?;
        let contents = BundleContents {
            versions: versions(&request, &diagnosis),
            diagnosis,
            settings: self.settings(),
            log_dir: self.paths().log_dir.clone(),
        };
        let checks_ok = contents.diagnosis.ok;
        let (bytes, log_files) = blocking(move || contents.zip(&scrubber)).await?;
        let written =
            crate::output::write_atomically(&dir, &file_name, bytes.as_slice(), |_| {}).await?;
        tracing::info!(path = %written.path.display(), size = written.size, "support bundle written");
        Ok(BundleWritten {
            path: written.path,
            size: written.size,
            log_files,
            checks_ok,
        })
    }

    /// A scrubber knowing the keyring's secret values and the journal's customers.
    async fn bundle_scrubber(&self, token: &TokenChoice) -> DeskResult<Scrubber> {
        let mut secrets = Vec::new();
        if let TokenChoice::Value(value) = token {
            secrets.push(value.clone());
        }
        // The keyring may be unavailable (that is one of the checks): the bundle is then
        // still made, scrubbed by name only, since there is nothing there to leak.
        let tokens = self.stored_tokens().await.unwrap_or_default();
        let billing = self
            .settings_values()
            .billing
            .username
            .as_ref()
            .map(|u| u.as_str().to_string());
        let vault = self.inner.vault.clone();
        let stored = blocking(move || {
            let mut keys: Vec<SecretKey> = Vec::new();
            for token in &tokens {
                keys.push(SecretKey::RaoToken {
                    label: token.label.clone(),
                });
                if let Some(username) = &token.username {
                    keys.push(SecretKey::RaoPassword {
                        username: username.clone(),
                    });
                    keys.push(SecretKey::RaoPin {
                        username: username.clone(),
                    });
                }
            }
            if let Some(username) = billing {
                keys.push(SecretKey::BillingPassword { username });
            }
            keys.iter()
                .filter_map(|key| vault.get(key).ok().flatten())
                .collect::<Vec<_>>()
        })
        .await;
        secrets.extend(stored);

        let mut flows = self.recent_flows(FLOWS_SCRUBBED).await.unwrap_or_default();
        flows.extend(self.unfinished_flows().await.unwrap_or_default());
        let (words, fragments) = personal_values(&flows);
        Ok(Scrubber::new(&secrets, &words, &fragments))
    }
}

/// Customers' names (whole and by part), document names and the paths of customer files.
fn personal_values(flows: &[FlowSnapshot]) -> (Vec<String>, Vec<String>) {
    let mut words = Vec::new();
    let mut fragments = Vec::new();
    for flow in flows {
        words.push(flow.customer_display_name.clone());
        words.extend(
            flow.customer_display_name
                .split_whitespace()
                .map(str::to_string),
        );
        for document in &flow.documents {
            words.push(document.name.clone());
            if let Some(stem) = Path::new(&document.name).file_stem() {
                words.push(stem.to_string_lossy().into_owned());
            }
            fragments.push(document.original_path.to_string_lossy().into_owned());
        }
        if let Some(folder) = &flow.output_folder {
            fragments.push(folder.to_string_lossy().into_owned());
        }
    }
    (words, fragments)
}

fn versions(request: &BundleRequest, diagnosis: &Diagnosis) -> serde_json::Value {
    let connection = &diagnosis.connection;
    json!({
        "app": {"name": request.app_name, "version": request.app_version},
        "desk_core": env!("CARGO_PKG_VERSION"),
        "pdfium": match &request.pdfium {
            Ok(library) => json!({"ok": true, "library": library}),
            Err(error) => json!({"ok": false, "code": error.code.to_string(), "message": error.message}),
        },
        "os": {
            "family": std::env::consts::FAMILY,
            "name": std::env::consts::OS,
            "release": os_release(),
            "arch": std::env::consts::ARCH,
        },
        "optimizer": {
            "url": connection.url,
            "reachable": connection.reachable,
            "layout": connection.layout,
            "version": connection.version,
            "error": connection.error.as_ref().map(|e| e.code.to_string()),
        },
        "created": jiff::Timestamp::now().to_string(),
    })
}

/// The distribution's name on Linux (`PRETTY_NAME` of os-release); `null` elsewhere.
fn os_release() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|value| value.trim_matches('"').to_string())
}

struct BundleContents {
    versions: serde_json::Value,
    diagnosis: Diagnosis,
    settings: Vec<SettingEntry>,
    log_dir: PathBuf,
}

impl BundleContents {
    /// The zip's bytes and how many log files went in.
    fn zip(self, scrubber: &Scrubber) -> DeskResult<(Vec<u8>, u32)> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip_now());
        let mut add = |name: &str, text: &str| -> DeskResult<()> {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(text.as_bytes()).map_err(io_error)
        };
        add("README.txt", README)?;
        add("versions.json", &scrubber.scrub(&pretty(&self.versions)))?;
        add(
            "diagnostics.json",
            &scrubber.scrub(&pretty(
                &serde_json::to_value(&self.diagnosis).map_err(json_error)?,
            )),
        )?;
        add(
            "settings.json",
            &scrubber.scrub(&pretty(&settings_json(&self.settings))),
        )?;
        let logs = recent_logs(&self.log_dir, scrubber, BUNDLE_LOG_LIMIT);
        let count = u32::try_from(logs.len()).unwrap_or(u32::MAX);
        for (name, text) in &logs {
            add(&format!("logs/{name}"), text)?;
        }
        let cursor = zip.finish().map_err(zip_error)?;
        Ok((cursor.into_inner(), count))
    }
}

const README: &str = "\
OneShot Desk support bundle
===========================

Made by the desk for its support team. Inside:

- versions.json     the program, desk-core, PDFium, operating system and architecture, and
                    the Optimizer's address, API layout and version as last tested;
- diagnostics.json  the set-up checks (Optimizer, layout, TLS, proxy, keyring, PDFium,
                    output folder, disk space, RAO token), each OK or failed with the reason;
- settings.json     every effective setting with the layer it comes from (default, IT's
                    system file, user file) and whether IT locked it;
- logs/             the most recent log files, newest first, at most 5 MB in all (the
                    oldest lines of the last file may be cut).

Every text was scrubbed: the values of the secrets in the OS keyring, the names of the
desk's customers and documents and the folders of their files are replaced with
[redacted] or [customer data], and so are values named like secrets (token, password,
PIN, OTP, ...).

Never inside: keyring contents (RAO tokens, passwords, PINs, billing password), one-time
codes, customer documents, signed PDFs, ID photos, the request journal.
";

/// Every setting as `{key, value, origin, locked}`; values of secret-named keys are never
/// written even though secrets do not belong in settings files.
fn settings_json(entries: &[SettingEntry]) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = entries
        .iter()
        .map(|entry| {
            let key = entry.key.to_string();
            let value = if is_secret_name(&key) && !entry.value.is_null() {
                json!(REDACTED)
            } else {
                entry.value.clone()
            };
            json!({"key": key, "value": value, "origin": entry.origin, "locked": entry.locked})
        })
        .collect();
    json!({ "settings": entries })
}

/// The newest log files in `dir`, scrubbed line by line, until `limit` bytes: the file that
/// does not fit whole keeps its newest lines. Unreadable files are left out.
fn recent_logs(dir: &Path, scrubber: &Scrubber, limit: u64) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let metadata = entry.metadata().ok()?;
            let name = entry.file_name().to_str()?.to_string();
            if !metadata.is_file() || !name.contains(".log") {
                return None;
            }
            Some((metadata.modified().ok()?, name, entry.path()))
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    let mut left = limit;
    let mut logs = Vec::new();
    for (_, name, path) in files {
        if left == 0 {
            break;
        }
        let Ok(raw) = read_tail(&path, left) else {
            continue;
        };
        let lines: Vec<String> = raw.lines().map(|line| scrubber.scrub(line)).collect();
        if lines.is_empty() {
            // A log just opened and not written to yet: the older ones still count.
            continue;
        }
        // Newest lines are last: keep the longest tail that fits.
        let mut kept = Vec::new();
        let mut size = 0u64;
        for line in lines.iter().rev() {
            let cost = line.len() as u64 + 1;
            if size + cost > left {
                break;
            }
            size += cost;
            kept.push(line.as_str());
        }
        if kept.is_empty() {
            // Not even the newest line fits in what is left: neither will older files'.
            break;
        }
        kept.reverse();
        left -= size;
        logs.push((name, kept.join("\n") + "\n"));
    }
    logs
}

/// At most the last `limit` bytes of a file, starting at a whole line.
fn read_tail(path: &Path, limit: u64) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    let start = length.saturating_sub(limit);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.take(limit).read_to_end(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if start > 0 {
        // The first line was cut by the seek.
        return Ok(text
            .split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default());
    }
    Ok(text)
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()) + "\n"
}

fn zip_now() -> zip::DateTime {
    let now = jiff::Zoned::now();
    let part = |n: i8| u8::try_from(n).unwrap_or(0);
    zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).unwrap_or(1980),
        part(now.month()),
        part(now.day()),
        part(now.hour()),
        part(now.minute()),
        part(now.second()),
    )
    .unwrap_or_default()
}

fn zip_error(error: zip::result::ZipError) -> DeskError {
    DeskError::new(
        "bundle.write_failed",
        "The support bundle could not be made",
    )
    .with_detail(error.to_string())
}

fn io_error(error: std::io::Error) -> DeskError {
    DeskError::new(
        "bundle.write_failed",
        "The support bundle could not be made",
    )
    .with_detail(error.to_string())
}

fn json_error(error: serde_json::Error) -> DeskError {
    DeskError::new(
        "bundle.write_failed",
        "The support bundle could not be made",
    )
    .with_detail(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_newest_log_does_not_hide_the_older_ones() {
        let dir = tempfile::tempdir().unwrap();
        let older = dir.path().join("oneshot-desk.2026-11-22.log");
        std::fs::write(&older, "2026-11-22T09:00:00Z  INFO started\n").unwrap();
        // Written a moment later: the newest, opened and not written to yet.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("oneshot-desk.2026-11-23.log"), "").unwrap();
        let scrubber = Scrubber::new(&[], &[], &[]);
        let logs = recent_logs(dir.path(), &scrubber, 1024);
        let names: Vec<&str> = logs.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["oneshot-desk.2026-11-22.log"]);
    }

    #[test]
    fn the_newest_lines_are_kept_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("desk.log"), "first line\nsecond line\n").unwrap();
        let scrubber = Scrubber::new(&[], &[], &[]);
        let logs = recent_logs(dir.path(), &scrubber, 14);
        assert_eq!(
            logs,
            [("desk.log".to_string(), "second line\n".to_string())]
        );
    }
}
