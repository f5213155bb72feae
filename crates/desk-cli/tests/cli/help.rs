//! `--help` documents every option, the exit codes and the token variable; `settings` works.

use crate::support::{Bench, finish, spawn, text};

fn help(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_oneshot-desk-cli"))
        .args(args)
        .arg("--help")
        .env_remove("ONESHOT_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_mentions_every_option() {
    let global = [
        "--optimizer",
        "--layout",
        "--ca-cert",
        "--proxy",
        "--json",
        "--token",
        "ONESHOT_TOKEN",
        "--token-label",
        "--poll-min",
        "--poll-max",
    ];
    let top = help(&[]);
    for option in global {
        assert!(top.contains(option), "{option} missing from --help");
    }
    for exit in [
        "0 success",
        "1 failed",
        "2 usage",
        "3 the flow needs attention",
    ] {
        assert!(top.contains(exit), "exit code {exit:?} missing from --help");
    }
    for command in [
        "doctor",
        "tokens",
        "classic",
        "videoid",
        "videoid-external",
        "evidences",
        "approve",
        "refuse",
        "video",
        "resume",
        "status",
        "cancel",
        "inspect",
        "settings",
    ] {
        assert!(top.contains(command), "{command} missing from --help");
    }
    let follow = [
        "--no-wait",
        "--stop-at-review",
        "--approve",
        "--timeout",
        "--rao-id",
        "--rao-username",
    ];
    let cases: [(&[&str], &[&str]); 14] = [
        (
            &["classic"],
            &[
                "--customer",
                "--document",
                "--out",
                "--id-front",
                "--id-rear",
                "--selfie",
                "--ext-unlock-type",
                "--ext-unlock-value",
                "--delivery",
                "--practice",
            ],
        ),
        (
            &["resume"],
            &[
                "--recreate",
                "--ext-unlock-type",
                "--delivery",
                "--practice",
                "--stop-at-review",
                "--rao-username",
            ],
        ),
        (
            &["videoid"],
            &[
                "--customer",
                "--document",
                "--out",
                "--ext-unlock-type",
                "--delivery",
                "--practice",
            ],
        ),
        (
            &["videoid-external"],
            &[
                "--customer",
                "--evidences",
                "--video",
                "--document",
                "--out",
            ],
        ),
        (&["evidences"], &["<ID>", "--evidences", "--video"]),
        (
            &["approve"],
            &[
                "<ID>",
                "--document",
                "--rao-id",
                "--rao-username",
                "--practice",
            ],
        ),
        (
            &["refuse"],
            &["<ID>", "--reason", "--rao-id", "--rao-username"],
        ),
        (&["video"], &["<ID>", "--out"]),
        (
            &["tokens", "create"],
            &["--username", "--label", "--env", "--default"],
        ),
        (&["tokens", "forget"], &["--on-optimizer", "<LABEL>"]),
        (&["inspect"], &["--trust", "<FILE>"]),
        (&["settings", "set"], &["<KEY>", "<VALUE>"]),
        (&["status"], &["[ID]"]),
        (&["cancel"], &["<ID>"]),
    ];
    for (command, options) in cases {
        let text = help(command);
        for option in options.iter().chain(global.iter()) {
            assert!(
                text.contains(option),
                "{option} missing from {command:?} --help"
            );
        }
    }
    for command in ["videoid", "videoid-external"] {
        let text = help(&[command]);
        for option in follow {
            assert!(
                text.contains(option),
                "{option} missing from {command} --help"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_are_shown_and_changed_but_locked_keys_refused() {
    let bench = Bench::new("current").await;
    std::fs::write(
        bench.dir.path().join("system.toml"),
        "locked = [\"request.environment\"]\n[request]\nenvironment = \"sandbox\"\n",
    )
    .unwrap();
    let mut cmd = bench.cli();
    cmd.args(["settings", "set", "signing.otp_delivery", "whatsapp"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("signing.otp_delivery = whatsapp  [user]")
    );

    let mut cmd = bench.cli();
    cmd.args(["settings", "set", "request.environment", "prod"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: settings.locked"));

    let mut cmd = bench.cli();
    cmd.args(["settings", "show"]);
    let output = finish(spawn(cmd)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("request.environment = sandbox  [IT, locked]"),
        "{stdout}"
    );

    let mut cmd = bench.cli();
    cmd.args(["settings", "set", "no.such", "x"]);
    let output = finish(spawn(cmd)).await;
    assert!(String::from_utf8_lossy(&output.stderr).contains("settings.unknown_key"));
}

#[tokio::test(flavor = "multi_thread")]
async fn inspect_reports_signatures() {
    let bench = Bench::new("current").await;
    let path = bench.dir.path().join("plain.pdf");
    std::fs::write(&path, crate::support::pdf("plain")).unwrap();
    let mut cmd = bench.cli();
    cmd.args(["inspect", path.to_str().unwrap()]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("can be sent for signing: yes"), "{stdout}");
    assert!(stdout.contains("signatures: 0"), "{stdout}");
}
