//! `tokens create | list | forget` against the simulator and the session keyring.

use crate::support::{Bench, finish, run, spawn, text};
use optimizer_sim::{RaoAccount, SimConfig};

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_created_listed_and_forgotten() {
    let bench = Bench::with_config(
        "current",
        SimConfig {
            seed: Some(5),
            raos: vec![
                RaoAccount::practice(),
                RaoAccount::parse("5057249:Gy6F89xK:t8tr6vkg:973").unwrap(),
            ],
            ..SimConfig::default()
        },
    )
    .await;
    let label = format!("cli test {}", std::process::id());
    let mut cmd = bench.cli();
    cmd.args([
        "tokens",
        "create",
        "--username",
        "5057249",
        "--label",
        &label,
    ]);
    let output = run(cmd, "Gy6F89xK\nt8tr6vkg\n").await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("stored in the keyring as \"{label}\" (default)")),
        "{stdout}"
    );
    assert!(!text(&output).contains("Gy6F89xK") && !text(&output).contains("t8tr6vkg"));

    let mut cmd = bench.cli();
    cmd.args(["tokens", "list"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&format!("(keyring: {label})")), "{stdout}");
    assert!(
        stdout.contains("3bf8…c7da"),
        "the sandbox token, masked: {stdout}"
    );
    assert!(!stdout.contains(crate::support::SANDBOX_TOKEN));

    let mut cmd = bench.cli();
    cmd.args(["tokens", "forget", &label, "--on-optimizer"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("deleted on the Optimizer"));

    let mut cmd = bench.cli();
    cmd.args(["tokens", "list", "--json"]);
    let output = finish(spawn(cmd)).await;
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["result"]["keyring"], serde_json::json!([]));
    assert_eq!(result["result"]["optimizer"].as_array().unwrap().len(), 1);

    // No password on standard input: a usage error, nothing created.
    let mut cmd = bench.cli();
    cmd.args([
        "tokens",
        "create",
        "--username",
        "5057249",
        "--label",
        &label,
    ]);
    let output = run(cmd, "").await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}
