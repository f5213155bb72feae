//! The `optimizer-sim` binary: start-up line, options, and that `--help` and the README
//! document the same options and every fault operation name.

use optimizer_sim::Op;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_optimizer-sim");

fn readme() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap()
}

fn long_options(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn binary_prints_listening_serves_and_writes_the_ca() {
    let dir = tempfile::tempdir().unwrap();
    let ca_out = dir.path().join("ca.pem");
    let mut child = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "5",
            "--webhook-format",
            "legacy",
            "--faults",
            "latency=tokens:1ms",
        ])
        .arg("--ca-out")
        .arg(&ca_out)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("LISTENING ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "{url}"
    );
    // This test talks to a separate process, so nothing in it has installed the TLS provider
    // that reqwest's workspace-wide `rustls-no-provider` build needs.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let hello: serde_json::Value = reqwest::get(format!("{url}/api/v1/hello"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(hello["details"], "Hello");
    let served = reqwest::get(format!("{url}/_sim/ca.pem"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(std::fs::read_to_string(&ca_out).unwrap(), served);
    assert!(served.starts_with("-----BEGIN CERTIFICATE-----"));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(dir.path().join("data/state.json").is_file());
}

#[test]
fn bad_options_fail_with_a_clear_message() {
    let out = Command::new(BIN)
        .args(["--faults", "boom=1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault `boom`"));
    let out = Command::new(BIN)
        .args(["--rao", "only-a-user"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("USER:PASSWORD:PIN"));
}

#[test]
fn help_and_readme_document_the_same_options_and_every_operation() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let readme = readme();
    let in_help = long_options(&help);
    let in_readme = long_options(&readme);
    let undocumented: Vec<_> = in_help.difference(&in_readme).collect();
    assert!(
        undocumented.is_empty(),
        "options missing from the README: {undocumented:?}"
    );
    for op in Op::ALL {
        assert!(
            readme.contains(&format!("`{}`", op.name())),
            "README lacks operation `{}`",
            op.name()
        );
    }
    for endpoint in [
        "/_sim/ca.pem",
        "/_sim/sms/",
        "/_sim/videoid/",
        "/_sim/faults",
        "/_sim/webhooks",
        "/videoid/",
    ] {
        assert!(
            help.contains(endpoint) && readme.contains(endpoint),
            "{endpoint} documented in both"
        );
    }
}
