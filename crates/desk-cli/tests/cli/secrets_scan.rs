//! No secret ever lands in a file or an event: complete flows (a token created from the RAO's
//! password and PIN, a classic signature with the billing account, an eIDAS identification
//! approved with the RAO's password and PIN, a support bundle) run with recognisable values,
//! then every file the CLI and desk-core wrote under the test's private HOME, XDG folders,
//! TMPDIR and desk folders (journal with its WAL/SHM, settings, logs, output, temporary files,
//! the inside of zips) and every line the CLI printed (`--json`: the desk's events) is searched
//! for each value, in plain text, base64, URL encoding and hex. The OS keyring (a real Secret
//! Service in its own session, outside those folders) is the only place they may be.

use crate::support::{Bench, Watched, finish, run, spawn, text, type_line};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use optimizer_sim::config::BillingCredentials;
use optimizer_sim::{RaoAccount, SimConfig};
use secrecy::SecretString;
use secret_scan::Scanner;
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
                password_b64: SecretString::from(STANDARD.encode(BILLING_PASSWORD)),
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

    let mut secrets: Vec<(&str, String)> = [
        ("token", TOKEN),
        ("RAO password", RAO_PASSWORD),
        ("RAO PIN", RAO_PIN),
        ("billing password", BILLING_PASSWORD),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.to_string()))
    .collect();
    secrets.extend(codes.iter().map(|code| ("OTP", code.clone())));
    let scanner = Scanner::new(secrets.iter().cloned());

    // The control: the scanner finds every secret in every form it knows.
    let control = scanner.scan(Path::new("control"), &scanner.control());
    assert_eq!(
        control.len(),
        scanner.form_count(),
        "the scan misses planted secrets: {control:?}"
    );

    // The real search.
    let (mut hits, searched) = scanner.scan_tree(&[&root]).unwrap();
    for kind in ["journal.sqlite3", ".log", ".toml", ".pdf", ".zip"] {
        assert!(
            searched
                .files
                .iter()
                .any(|f| f.to_string_lossy().contains(kind)),
            "no {kind} file was written: {:?}",
            searched.files
        );
    }
    hits.extend(scanner.scan(Path::new("<printed output and events>"), printed.as_bytes()));
    assert!(
        printed.contains("\"type\":\"flow_changed\""),
        "no events seen"
    );
    let hits: Vec<String> = hits.iter().map(ToString::to_string).collect();
    assert!(hits.is_empty(), "secrets found:\n{}", hits.join("\n"));
    for file in &searched.files {
        eprintln!("searched {}", file.strip_prefix(&root).unwrap().display());
    }
    eprintln!(
        "searched {} items ({} bytes) and {} bytes of output for {} secrets in {} forms: none found",
        searched.items,
        searched.bytes,
        printed.len(),
        secrets.len(),
        scanner.form_count()
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
