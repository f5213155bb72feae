//! `doctor` against a running and a stopped simulator.

use crate::support::{Bench, finish, spawn, text};

#[tokio::test(flavor = "multi_thread")]
async fn doctor_reports_each_check() {
    let bench = Bench::new("auto").await;
    let mut cmd = bench.cli();
    cmd.args(["doctor", "--token", crate::support::SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in [
        "OK   optimizer",
        "OK   layout         current",
        "OK   tls            not used (http)",
        "OK   proxy          none",
        "OK   keyring        available",
        "OK   pdfium         PDFium 159.0.8149.0",
        "OK   output folder",
        "OK   disk space",
        "OK   rao token      given on the command line",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }

    let url = bench.sim.base_url();
    bench.sim.shutdown().await;
    let mut cmd = bench_cli_for(&bench.dir, &url);
    cmd.args(["doctor", "--json"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let result: serde_json::Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    let checks = result["result"]["checks"].as_array().unwrap();
    let optimizer = checks.iter().find(|c| c["name"] == "optimizer").unwrap();
    assert_eq!(optimizer["ok"], false);
    assert_eq!(optimizer["code"], "optimizer.unreachable");
    // Without the server its layout and version are unknown, not "OK".
    let layout = checks.iter().find(|c| c["name"] == "layout").unwrap();
    assert_eq!(layout["ok"], false);
    assert_eq!(layout["code"], "optimizer.unreachable");
    let keyring = checks.iter().find(|c| c["name"] == "keyring").unwrap();
    assert_eq!(keyring["ok"], true);
    let token = checks.iter().find(|c| c["name"] == "rao token").unwrap();
    assert_eq!(token["code"], "rao.no_token");
}

fn bench_cli_for(dir: &tempfile::TempDir, url: &str) -> std::process::Command {
    let root = dir.path();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_oneshot-desk-cli"));
    cmd.env("ONESHOT_DESK_DATA_DIR", root.join("data"))
        .env("ONESHOT_DESK_CONFIG_DIR", root.join("config"))
        .env("ONESHOT_DESK_LOG_DIR", root.join("logs"))
        .env("ONESHOT_DESK_CACHE_DIR", root.join("cache"))
        .env("ONESHOT_DESK_OUTPUT_DIR", root.join("output"))
        .env("ONESHOT_DESK_SYSTEM_CONFIG", root.join("system.toml"))
        .env_remove("ONESHOT_TOKEN")
        .args(["--optimizer", url, "--proxy", "none"]);
    cmd
}
