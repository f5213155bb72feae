//! `classic` end to end, codes from standard input, `resume`, JSON lines.

use crate::support::{Bench, assert_externally_valid, finish, spawn, text, type_line};

/// The first request of a fresh simulator.
const FIRST_PK: u64 = 1001;

async fn signs_everything(layout: &'static str) {
    let bench = Bench::new(layout).await;
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(2))
        .args(["--token", crate::support::SANDBOX_TOKEN]);
    let mut child = spawn(cmd);
    let code = bench.code(FIRST_PK).await;
    type_line(&mut child, &code);
    let output = finish(child).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Signed: request 1001, 3 file(s) saved and verified"),
        "{stdout}"
    );
    let mut saved: Vec<_> = std::fs::read_dir(bench.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    saved.sort();
    let names: Vec<_> = saved
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Service contract 1001.pdf",
            "agreement-1.pdf",
            "agreement-2.pdf"
        ]
    );
    let ca = bench.sim.ca_certificate_pem();
    for path in &saved {
        assert_externally_valid(&ca, path);
    }
    assert_eq!(bench.status(FIRST_PK).await, "ISSUED");
    assert_eq!(bench.documents(FIRST_PK).await, 0);
    assert!(!String::from_utf8_lossy(&output.stderr).contains(&code));
}

#[tokio::test(flavor = "multi_thread")]
async fn classic_signs_and_saves_in_the_current_layout() {
    signs_everything("current").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn classic_signs_and_saves_in_the_legacy_layout() {
    signs_everything("legacy").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_code_on_standard_input_is_asked_again() {
    let bench = Bench::new("current").await;
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(1))
        .env("ONESHOT_TOKEN", crate::support::SANDBOX_TOKEN);
    let mut child = spawn(cmd);
    let code = bench.code(FIRST_PK).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    type_line(&mut child, wrong);
    type_line(&mut child, &code);
    let output = finish(child).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: otp.invalid"), "{stderr}");
    assert!(!stderr.contains(wrong), "{stderr}");
    assert_eq!(bench.status(FIRST_PK).await, "ISSUED");
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_code_the_flow_is_left_resumable_then_resumed() {
    let bench = Bench::new("legacy").await;
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(1))
        .args(["--token", crate::support::SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: cli.no_code"), "{stderr}");
    assert!(
        stderr.contains("continue with: oneshot-desk-cli resume 1"),
        "{stderr}"
    );

    let status = finish(spawn({
        let mut cmd = bench.cli();
        cmd.arg("status");
        cmd
    }))
    .await;
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("otp_sent"),
        "{}",
        text(&status)
    );

    // The code the customer has is still good: resume asks for it and finishes.
    let mut cmd = bench.cli();
    cmd.arg("resume");
    let mut child = spawn(cmd);
    type_line(&mut child, &bench.code(FIRST_PK).await);
    let output = finish(child).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(bench.documents(FIRST_PK).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_sign_answer_exits_3_and_resume_finishes_without_signing_again() {
    let bench = Bench::new("current").await;
    bench
        .sim
        .set_faults(optimizer_sim::FaultPlan::parse("drop_after=sign:1x").unwrap());
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(1)).args([
        "--token",
        crate::support::SANDBOX_TOKEN,
        "--practice",
        "--json",
    ]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["error"]["code"], "optimizer.unreachable");
    assert!(lines.iter().any(|l| l["type"] == "flow_changed"));
    assert!(lines.iter().any(|l| l["type"] == "transfer"));

    let mut cmd = bench.cli();
    cmd.args(["resume", "1", "--json"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let last: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .last()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["type"], "result");
    assert_eq!(last["result"]["state"], "done");
    assert_eq!(bench.status(FIRST_PK).await, "ISSUED");
    assert_eq!(bench.documents(FIRST_PK).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_exit_1_and_usage_errors_exit_2() {
    let bench = Bench::new("current").await;
    let mut args = bench.classic_args(1);
    let customer = std::path::PathBuf::from(&args[2]);
    std::fs::write(&customer, r#"{"given_name": "Ana"}"#).unwrap();
    let mut cmd = bench.cli();
    cmd.args(&args)
        .args(["--token", crate::support::SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: customer.invalid"));

    args.retain(|a| a != "--document" && !a.ends_with(".pdf"));
    let mut cmd = bench.cli();
    cmd.args(&args);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_process_is_resumed_from_the_journal() {
    let bench = Bench::new("current").await;
    bench
        .sim
        .set_faults(optimizer_sim::FaultPlan::parse("latency=document_upload:2s").unwrap());
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(2))
        .args(["--token", crate::support::SANDBOX_TOKEN, "--practice"]);
    let mut child = spawn(cmd);
    // Wait for the upload's intent to be on disk, then kill the CLI in the middle of the call.
    let journal_path = bench.dir.path().join("data/journal.sqlite3");
    let pending = loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if !journal_path.exists() {
            continue;
        }
        let journal = desk_core::journal::Journal::open(&journal_path).unwrap();
        let pending = journal
            .pending_steps(desk_core::journal::RequestId(1))
            .unwrap_or_default();
        if pending.iter().any(|s| s.step == "upload") {
            break pending;
        }
    };
    assert_eq!(pending.len(), 1);
    child.kill().unwrap();
    let killed = finish(child).await;
    assert_eq!(killed.status.code(), None, "killed by a signal");
    bench.sim.set_faults(optimizer_sim::FaultPlan::default());

    let mut cmd = bench.cli();
    cmd.args(["resume", "--practice"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let journal = desk_core::journal::Journal::open(&journal_path).unwrap();
    let steps = journal.steps(desk_core::journal::RequestId(1)).unwrap();
    assert!(
        steps
            .iter()
            .all(|s| s.phase != desk_core::journal::StepPhase::Intent)
    );
    assert_eq!(steps.iter().filter(|s| s.step == "sign").count(), 1);
    assert_eq!(bench.status(FIRST_PK).await, "ISSUED");
    assert_eq!(bench.documents(FIRST_PK).await, 0);
    assert_eq!(std::fs::read_dir(bench.out()).unwrap().count(), 3);
}
