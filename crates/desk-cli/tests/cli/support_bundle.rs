//! `support-bundle`: the zip's contents, and what never goes in.

use crate::support::{Bench, SANDBOX_TOKEN, finish, spawn, text};
use std::io::Read;

#[tokio::test(flavor = "multi_thread")]
async fn support_bundle_holds_the_checks_and_scrubbed_logs() {
    let bench = Bench::new("auto").await;
    let logs = bench.dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    // A token pasted into a message by mistake, outside any `token=` pair.
    std::fs::write(
        logs.join("oneshot-desk.2026-11-20.log"),
        format!("2026-11-20T10:00:00Z  WARN desk: header was Bearer {SANDBOX_TOKEN} (sic)\n"),
    )
    .unwrap();
    let out = bench.dir.path().join("support.zip");

    let mut cmd = bench.cli();
    cmd.args(["support-bundle", "--out"])
        .arg(&out)
        .args(["--token", SANDBOX_TOKEN, "--json"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(line["result"]["path"], out.to_str().unwrap());
    assert_eq!(line["result"]["checks_ok"], true);

    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut everything = String::new();
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    for name in [
        "README.txt",
        "versions.json",
        "diagnostics.json",
        "settings.json",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing in {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .any(|n| n == "logs/oneshot-desk.2026-11-20.log"),
        "{names:?}"
    );
    for name in &names {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        everything.push_str(&text);
    }
    assert!(!everything.contains(SANDBOX_TOKEN), "the token leaked");
    assert!(everything.contains("header was Bearer [redacted] (sic)"));
    let versions: serde_json::Value = {
        let mut text = String::new();
        archive
            .by_name("versions.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(versions["app"]["name"], "oneshot-desk-cli");
    assert_eq!(versions["optimizer"]["layout"], "current");
    assert_eq!(versions["pdfium"]["ok"], true);

    // A second bundle never replaces the first.
    let mut cmd = bench.cli();
    cmd.args(["support-bundle", "--out"])
        .arg(&out)
        .args(["--token", SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let second = bench.dir.path().join("support (2).zip");
    assert!(second.is_file(), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("support (2).zip"));
}
