//! No secret ever lands in a file or an event: complete flows (a token created from the RAO's
//! password and PIN, a classic signature with the billing account, an eIDAS identification
//! approved with the RAO's password and PIN, a support bundle) run with recognisable values,
//! then every file the CLI and desk-core wrote under the test's private HOME, XDG folders,
//! TMPDIR and desk folders (journal with its WAL/SHM, settings, logs, output, temporary files,
//! the inside of zips) and every line the CLI printed (`--json`: the desk's events) is searched
//! for each value, in plain text, base64, URL encoding and hex. The OS keyring (a real Secret
//! Service in its own session, outside those folders) is the only place they may be.

use crate::corpus::files_under;
use crate::support::{Bench, Watched, finish, run, spawn, text, type_line};
use optimizer_sim::config::BillingCredentials;
use optimizer_sim::{RaoAccount, SimConfig};
use secrecy::SecretString;
use std::path::Path;

const TOKEN: &str = "ca9a7e00-70ce-4e11-a5ec-4e7c0ffee999";
const RAO_USER: &str = "7007001";
const RAO_ID: &str = "974";
const RAO_PASSWORD: &str = "Canary+Rao/Pass=Q7w";
const RAO_PIN: &str = "Pk9361canary";
const BILLING_USER: &str = "canary-billing@bank.test";
const BILLING_PASSWORD: &str = "Canary Billing&Pw3";

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_reaches_a_file_or_an_event() {
    let bench = Bench::with_config(
        "current",
        SimConfig {
            seed: Some(17),
            sandbox_token: Some(TOKEN.into()),
            // The first RAO owns the sandbox token; the second has none yet.
            raos: vec![
                RaoAccount::practice(),
                RaoAccount {
                    username: RAO_USER.into(),
                    password: SecretString::from(RAO_PASSWORD),
                    pin: SecretString::from(RAO_PIN),
                    rao_id: RAO_ID.parse().unwrap(),
                },
            ],
            billing: Some(BillingCredentials {
                username: BILLING_USER.into(),
                password_b64: SecretString::from(base64(BILLING_PASSWORD.as_bytes(), STD)),
            }),
            ..SimConfig::default()
        },
    )
    .await;
    let root = bench.dir.path().to_path_buf();
    let private = |mut cmd: std::process::Command| {
        for (var, dir) in [
            ("HOME", "home"),
            ("XDG_CONFIG_HOME", "xdg/config"),
            ("XDG_DATA_HOME", "xdg/data"),
            ("XDG_STATE_HOME", "xdg/state"),
            ("XDG_CACHE_HOME", "xdg/cache"),
            ("TMPDIR", "tmp"),
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
            cmd.env(var, root.join(dir));
        }
        cmd.arg("--json");
        cmd
    };
    let mut printed = String::new();
    let mut keep = |output: &std::process::Output| {
        assert_eq!(output.status.code(), Some(0), "{}", text(output));
        printed.push_str(&text(output));
    };

    // The billing account: its username in the settings, its password in the keyring (set
    // through desk-core, as the window's settings screen does; the CLI has no command for it).
    let mut cmd = private(bench.cli());
    cmd.args(["settings", "set", "billing.username", BILLING_USER]);
    keep(&finish(spawn(cmd)).await);
    let desk = open_desk(&root);
    desk.set_billing_password(SecretString::from(BILLING_PASSWORD))
        .await
        .unwrap();
    drop(desk);

    // A token from the RAO's password and PIN, stored in the keyring.
    let label = format!("canary {}", std::process::id());
    let mut cmd = private(bench.cli());
    cmd.args([
        "tokens",
        "create",
        "--username",
        RAO_USER,
        "--label",
        &label,
    ]);
    keep(&run(cmd, &format!("{RAO_PASSWORD}\n{RAO_PIN}\n")).await);

    // Classic, with the token from the environment and the code typed.
    let mut codes = Vec::new();
    let mut cmd = private(bench.cli());
    cmd.args(bench.classic_args(1)).env("ONESHOT_TOKEN", TOKEN);
    let mut child = spawn(cmd);
    codes.push(bench.code(1001).await);
    type_line(&mut child, &codes[0]);
    keep(&finish(child).await);

    // eIDAS VideoID approved with the RAO's password and PIN, then signed with a code.
    let customer = root.join("videoid-customer.json");
    std::fs::write(
        &customer,
        r#"{"email": "marta.ruiz@example.com", "mobile_phone_number": "+34 622 333 444"}"#,
    )
    .unwrap();
    let document = root.join("docs/mandate.pdf");
    std::fs::write(&document, crate::support::pdf("Mandate")).unwrap();
    let mut cmd = private(bench.cli());
    cmd.arg("videoid")
        .arg("--customer")
        .arg(&customer)
        .arg("--document")
        .arg(&document)
        .arg("--out")
        .arg(root.join("signed-videoid"))
        .args(["--approve", "--rao-username", RAO_USER, "--rao-id", RAO_ID])
        .args(["--poll-min", "0.05", "--poll-max", "0.5"])
        .env("ONESHOT_TOKEN", TOKEN);
    let mut cli = Watched::start(cmd);
    // Standard input is read in order: the RAO's password and PIN first, the code later.
    cli.type_line(RAO_PASSWORD);
    cli.type_line(RAO_PIN);
    complete_identification(&bench, 1002).await;
    codes.push(bench.code(1002).await);
    cli.type_line(&codes[1]);
    keep(&cli.finish().await);

    // A support bundle, and the token forgotten again.
    let mut cmd = private(bench.cli());
    cmd.args(["support-bundle", "--out"])
        .arg(root.join("bundle.zip"));
    keep(&finish(spawn(cmd)).await);
    let mut cmd = private(bench.cli());
    cmd.args(["tokens", "forget", &label]);
    keep(&finish(spawn(cmd)).await);

    let secrets: Vec<(&str, String)> = [
        ("token", TOKEN),
        ("RAO password", RAO_PASSWORD),
        ("RAO PIN", RAO_PIN),
        ("billing password", BILLING_PASSWORD),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_string()))
    .chain(codes.iter().map(|code| ("OTP", code.clone())))
    .collect();

    // The control: the scanner finds every secret in every form it knows.
    let planted = root.join("control/planted.bin");
    std::fs::create_dir_all(planted.parent().unwrap()).unwrap();
    let mut bait = b"\x00binary\xff".to_vec();
    for (_, value) in &secrets {
        for form in forms(value) {
            bait.extend(b" ");
            bait.extend(form);
            bait.extend(b" ");
        }
    }
    std::fs::write(&planted, &bait).unwrap();
    let found = scan(&planted, &bait, &secrets);
    let expected: usize = secrets.iter().map(|(_, v)| forms(v).len()).sum();
    assert!(
        found.len() >= expected,
        "the scan misses planted secrets: {found:?}"
    );
    std::fs::remove_dir_all(root.join("control")).unwrap();

    // The real search.
    let files = files_under(&root);
    let kinds = ["journal.sqlite3", ".log", ".toml", ".pdf", ".zip"];
    for kind in kinds {
        assert!(
            files.iter().any(|f| f.to_string_lossy().contains(kind)),
            "no {kind} file was written: {files:?}"
        );
    }
    let mut hits = Vec::new();
    let mut scanned = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        scanned += 1;
        hits.extend(scan(file, &bytes, &secrets));
        if file.extension().is_some_and(|e| e == "zip") {
            let mut archive = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).unwrap();
                let mut inner = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut inner).unwrap();
                scanned += 1;
                let name = file.join(entry.name().unwrap().to_string());
                hits.extend(scan(&name, &inner, &secrets));
            }
        }
    }
    hits.extend(scan(
        Path::new("<printed output and events>"),
        printed.as_bytes(),
        &secrets,
    ));
    assert!(
        printed.contains("\"type\":\"flow_changed\""),
        "no events seen"
    );
    assert!(hits.is_empty(), "secrets found:\n{}", hits.join("\n"));
    for file in &files {
        eprintln!("searched {}", file.strip_prefix(&root).unwrap().display());
    }
    eprintln!(
        "searched {scanned} files (and {} bytes of output) for {} secrets: none found",
        printed.len(),
        secrets.len()
    );
}

/// desk-core on the CLI's folders, for what only the window's settings screen does.
fn open_desk(root: &Path) -> desk_core::Desk {
    let root = root.to_path_buf();
    let paths = desk_core::paths::Paths::from_lookup(move |variable| {
        let dir = match variable {
            "ONESHOT_DESK_DATA_DIR" => "data",
            "ONESHOT_DESK_CONFIG_DIR" => "config",
            "ONESHOT_DESK_LOG_DIR" => "logs",
            "ONESHOT_DESK_CACHE_DIR" => "cache",
            "ONESHOT_DESK_OUTPUT_DIR" => "output",
            "ONESHOT_DESK_SYSTEM_CONFIG" => "system.toml",
            _ => return None,
        };
        Some(root.join(dir).into_os_string())
    })
    .unwrap();
    desk_core::Desk::open(desk_core::DeskOptions::new(paths), |_| {}).unwrap()
}

async fn complete_identification(bench: &Bench, pk: u64) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    for _ in 0..600 {
        let answer = client
            .post(format!(
                "{}/_sim/videoid/{pk}/complete",
                bench.sim.base_url()
            ))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        if answer.status().is_success() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("request {pk} never reached the identification");
}

/// Where each secret appears in `bytes`, in any of its forms.
fn scan(path: &Path, bytes: &[u8], secrets: &[(&str, String)]) -> Vec<String> {
    let mut hits = Vec::new();
    for (name, value) in secrets {
        let digits_only = value.bytes().all(|b| b.is_ascii_digit());
        for form in forms(value) {
            let mut from = 0;
            while let Some(at) = find(&bytes[from..], &form) {
                let start = from + at;
                let end = start + form.len();
                // A code is six digits: inside a longer number (an offset, a size) it is not
                // the code.
                let inside_number = digits_only
                    && (start > 0 && bytes[start - 1].is_ascii_digit()
                        || bytes.get(end).is_some_and(u8::is_ascii_digit));
                if !inside_number {
                    hits.push(format!(
                        "{name} as {:?} in {} at byte {start}",
                        String::from_utf8_lossy(&form),
                        path.display()
                    ));
                }
                from = end;
            }
        }
    }
    hits
}

/// A secret as text, base64 (both alphabets, at the three alignments it can have inside a
/// longer encoded text), URL-encoded and hex (both cases).
fn forms(value: &str) -> Vec<Vec<u8>> {
    let bytes = value.as_bytes();
    let mut forms = vec![bytes.to_vec()];
    for alphabet in [STD, URL_SAFE] {
        for shift in 0..3 {
            let mut padded = vec![0u8; shift];
            padded.extend(bytes);
            let encoded = base64(&padded, alphabet);
            // Only the characters that depend on the secret alone, whatever surrounds it.
            let skip = (shift * 8).div_ceil(6);
            let keep = ((shift + bytes.len()) * 8) / 6;
            let stable = encoded.as_bytes()[skip..keep].to_vec();
            if stable.len() >= 6 && !forms.contains(&stable) {
                forms.push(stable);
            }
        }
    }
    let url: String = bytes
        .iter()
        .map(|&b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    for candidate in [url.clone(), url.replace("%20", "+")] {
        if candidate.as_bytes() != bytes && !forms.contains(&candidate.clone().into_bytes()) {
            forms.push(candidate.into_bytes());
        }
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    forms.push(hex.clone().into_bytes());
    forms.push(hex.to_uppercase().into_bytes());
    forms
}

const STD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
