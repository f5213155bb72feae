//! `videoid`, `videoid-external`, `approve`, `refuse`, `status` and `resume` end to end: the
//! customer's side of an eIDAS identification is played through the simulator's
//! `/_sim/videoid/{pk}/...` calls, an external one brings evidences with real image files and a
//! recording.

use crate::support::{
    Bench, SANDBOX_TOKEN, Watched, assert_externally_valid, finish, png, run, spawn, text,
};
use optimizer_sim::{RaoAccount, SimConfig};
use std::path::{Path, PathBuf};

/// The first request of a fresh simulator.
const FIRST_PK: u64 = 1001;
/// The practice RAO's id on the simulator.
const RAO_ID: &str = "972";
/// The simulator's RA doing external identifications.
const EXTERNAL_RA: &str = "9998";
/// Reads of the request's status 50 ms apart at first, never more than half a second.
const QUICK_POLLING: [&str; 4] = ["--poll-min", "0.05", "--poll-max", "0.5"];

/// customer.json as the employee knows the customer before the identification.
fn customer(bench: &Bench, external: bool) -> PathBuf {
    let path = bench.dir.path().join("customer.json");
    let ra = if external {
        format!(",\n  \"registration_authority\": \"{EXTERNAL_RA}\"")
    } else {
        String::new()
    };
    std::fs::write(
        &path,
        format!(
            "{{\n  \"email\": \"marta.ruiz@example.com\",\n  \"mobile_phone_number\": \"+34 622 \
             333 444\"{ra}\n}}"
        ),
    )
    .unwrap();
    path
}

/// `count` PDFs as `--document` arguments.
fn documents(bench: &Bench, count: usize) -> Vec<String> {
    let mut args = Vec::new();
    for i in 1..=count {
        let path = bench
            .dir
            .path()
            .join("docs")
            .join(format!("mandate {i}.pdf"));
        std::fs::write(&path, crate::support::pdf(&format!("Mandate {i}"))).unwrap();
        args.extend(["--document".to_string(), path.display().to_string()]);
    }
    args
}

/// `videoid` with the customer, `count` documents, the output folder, the sandbox token, the
/// RAO's id and quick polling.
fn eidas_command(bench: &Bench, count: usize) -> std::process::Command {
    let mut cmd = bench.cli();
    cmd.arg("videoid")
        .arg("--customer")
        .arg(customer(bench, false))
        .args(documents(bench, count))
        .arg("--out")
        .arg(bench.out())
        .args(["--token", SANDBOX_TOKEN, "--rao-id", RAO_ID])
        .args(QUICK_POLLING);
    cmd
}

/// The customer's side of an eIDAS identification: `complete`, `incomplete` or `fail`.
async fn customer_does(bench: &Bench, pk: u64, action: &str) {
    let body = if action == "complete" {
        serde_json::json!({"given_name": "Marta", "surname_1": "Ruiz", "surname_2": "Soler",
                           "serial_number": "12345678Z", "id_document_type": "IDC",
                           "id_document_country": "ES"})
    } else {
        serde_json::json!({})
    };
    let answer = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!(
            "{}/_sim/videoid/{pk}/{action}",
            bench.sim.base_url()
        ))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "{action}: {}",
        answer.status()
    );
}

/// The link line's link, after checking that it names the flow and the request.
fn link_of(line: &str, pk: u64) -> String {
    assert!(
        line.starts_with(&format!(
            "Identification link for the customer (flow 1, request {pk}): "
        )),
        "{line}"
    );
    line.rsplit(' ').next().unwrap().to_string()
}

/// The files in the output folder, by name.
fn saved(bench: &Bench) -> Vec<PathBuf> {
    let mut saved: Vec<_> = std::fs::read_dir(bench.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    saved.sort();
    saved
}

/// Every document and the contract saved, each signature valid for pdfsig and pyHanko, the
/// request issued and cleaned on the Optimizer.
async fn assert_signed(bench: &Bench, pk: u64, count: usize) {
    let saved = saved(bench);
    let names: Vec<_> = saved
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut expected = vec![format!("Service contract {pk}.pdf")];
    expected.extend((1..=count).map(|i| format!("mandate {i}.pdf")));
    assert_eq!(names, expected);
    let ca = bench.sim.ca_certificate_pem();
    for path in &saved {
        assert_externally_valid(&ca, path);
    }
    assert_eq!(bench.status(pk).await, "ISSUED");
    assert_eq!(bench.documents(pk).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn eidas_prints_the_link_waits_for_the_customer_then_signs_after_approval() {
    let bench = Bench::new("current").await;
    let mut cli = Watched::start(eidas_command(&bench, 2));
    let line = cli.stdout_line("Identification link").await;
    let link = link_of(&line, FIRST_PK);
    // The link is the simulator's page for the customer's phone.
    let page = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(&link)
        .send()
        .await
        .unwrap();
    assert!(page.status().is_success(), "{link}: {}", page.status());
    cli.stderr_line("Waiting for the customer's identification")
        .await;

    customer_does(&bench, FIRST_PK, "complete").await;
    cli.stderr_line("ready for the review").await;
    assert_eq!(bench.status(FIRST_PK).await, "VIDEOREVIEW");
    cli.type_line("approve");
    let code = bench.code(FIRST_PK).await;
    cli.type_line(&code);
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Signed: request 1001, 3 file(s) saved and verified"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The QR code for the phone: a square of half blocks.
    let qr: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.is_empty() && l.chars().all(|c| " █▀▄".contains(c)))
        .collect();
    assert!(qr.len() > 10, "no QR code:\n{stderr}");
    assert!(
        qr.iter()
            .all(|l| l.chars().count() == qr[0].chars().count())
    );
    assert!(
        stderr.contains("The identification is approved."),
        "{stderr}"
    );
    assert!(!stderr.contains(&code) && !stdout.contains(&code));
    assert_signed(&bench, FIRST_PK, 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_at_review_then_approve_in_a_second_run_with_the_keyring_token() {
    // A second RAO, without a token yet (the practice RAO's is the sandbox token).
    let bench = Bench::with_config(
        "legacy",
        SimConfig {
            seed: Some(11),
            raos: vec![
                RaoAccount::practice(),
                RaoAccount::parse("5057249:Gy6F89xK:t8tr6vkg:973").unwrap(),
            ],
            ..SimConfig::default()
        },
    )
    .await;
    let label = format!("videoid test {}", std::process::id());
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
    let mut cmd = bench.cli();
    cmd.args(["settings", "set", "rao.id", "973"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let mut cmd = bench.cli();
    cmd.arg("videoid")
        .arg("--customer")
        .arg(customer(&bench, false))
        .arg("--out")
        .arg(bench.out())
        .args(["--token-label", &label, "--stop-at-review", "--practice"])
        .args(QUICK_POLLING);
    let mut cli = Watched::start(cmd);
    let link = cli.stdout_line("Identification link").await;
    link_of(&link, FIRST_PK);
    customer_does(&bench, FIRST_PK, "complete").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("flow 1: ready for the review (request 1001)"),
        "{stdout}"
    );
    assert!(stdout.contains("oneshot-desk-cli approve 1"), "{stdout}");
    assert_eq!(bench.status(FIRST_PK).await, "VIDEOREVIEW");

    let mut cmd = bench.cli();
    cmd.args(["status", "1"]);
    let output = finish(spawn(cmd)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("video_review"), "{}", text(&output));
    assert!(
        stdout.contains("status on the Optimizer: VIDEOREVIEW"),
        "{stdout}"
    );
    assert!(stdout.contains("Marta Ruiz Soler"), "{stdout}");

    // No token option: the approval uses the keyring token the flow was started with. No
    // documents were given at the start: they come with the approval. The flow was started in
    // practice mode: the code is read from the simulator's inbox again.
    let mut cmd = bench.cli();
    cmd.args(["approve", "1"]).args(documents(&bench, 1));
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("Signed: request 1001"),
        "{}",
        text(&output)
    );
    assert_signed(&bench, FIRST_PK, 1).await;

    let mut cmd = bench.cli();
    cmd.args(["tokens", "forget", &label]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[tokio::test(flavor = "multi_thread")]
async fn refuse_with_a_reason_and_the_rao_credentials_cancels_the_request() {
    let bench = Bench::new("current").await;
    let mut cmd = eidas_command(&bench, 1);
    cmd.arg("--stop-at-review");
    let mut cli = Watched::start(cmd);
    cli.stdout_line("Identification link").await;
    customer_does(&bench, FIRST_PK, "complete").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // Without a reason: a usage error, nothing sent.
    let mut cmd = bench.cli();
    cmd.args(["refuse", "1"]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert_eq!(bench.status(FIRST_PK).await, "VIDEOREVIEW");

    let mut cmd = bench.cli();
    cmd.args([
        "refuse",
        "1",
        "--reason",
        "Expired document",
        "--rao-username",
        "9001800",
        "--rao-id",
        RAO_ID,
    ]);
    let output = run(cmd, "practice\n1234\n").await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("flow 1: identification refused, request 1001 cancelled"),
        "{}",
        text(&output)
    );
    assert!(!text(&output).contains("practice\n") && !text(&output).contains("1234"));
    assert_eq!(bench.status(FIRST_PK).await, "CANCELLED");

    let mut cmd = bench.cli();
    cmd.args(["status", "1"]);
    let output = finish(spawn(cmd)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("refused: Expired document"), "{stdout}");
    assert!(!stdout.contains("continue with"), "{stdout}");
    assert!(
        !bench.out().exists() || std::fs::read_dir(bench.out()).unwrap().next().is_none(),
        "nothing saved"
    );

    // A refused flow is over: approving it fails with a coded error.
    let mut cmd = bench.cli();
    cmd.args(["approve", "1", "--token", SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error: flow.wrong_state"),
        "{}",
        text(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incomplete_identification_times_out_then_resume_follows_the_next_try() {
    let bench = Bench::new("current").await;
    let mut cmd = eidas_command(&bench, 1);
    cmd.args(["--timeout", "3"]);
    let mut cli = Watched::start(cmd);
    cli.stdout_line("Identification link").await;
    customer_does(&bench, FIRST_PK, "incomplete").await;
    cli.stderr_line("left the identification unfinished").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: cli.timeout"), "{stderr}");
    assert!(
        stderr.contains("continue with: oneshot-desk-cli resume 1"),
        "{stderr}"
    );

    let mut cmd = bench.cli();
    cmd.args(["status", "1"]);
    let output = finish(spawn(cmd)).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("video_incomplete"), "{}", text(&output));
    assert!(
        stdout.contains("status on the Optimizer: VIDEOINCOMPLETE"),
        "{stdout}"
    );
    assert!(stdout.contains("link for the customer: http"), "{stdout}");

    // The customer tries again: `resume` follows the identification to the review and stops.
    let mut cmd = bench.cli();
    cmd.args(["resume", "1", "--stop-at-review"])
        .args(QUICK_POLLING);
    let mut cli = Watched::start(cmd);
    cli.stderr_line("Waiting for the customer's identification")
        .await;
    customer_does(&bench, FIRST_PK, "complete").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("ready for the review (request 1001)"),
        "{}",
        text(&output)
    );

    // Cancelled by the employee: the request is cancelled on the Optimizer.
    let mut cmd = bench.cli();
    cmd.args(["cancel", "1", "--token", SANDBOX_TOKEN]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("flow 1 cancelled"));
    assert_eq!(bench.status(FIRST_PK).await, "CANCELLED");
}

/// Evidences with the four images as PNG files next to it, named relative to its folder.
fn evidences(dir: &Path, similarity: i64) -> PathBuf {
    let images = dir.join("images");
    std::fs::create_dir_all(&images).unwrap();
    for name in ["front", "rear", "photo", "selfie"] {
        std::fs::write(images.join(format!("{name}.png")), png()).unwrap();
    }
    let path = dir.join("evidences.json");
    let json = serde_json::json!({
        "images": {"document_front": "images/front.png", "document_rear": "images/rear.png",
                   "document_photo": "images/photo.png", "document_owner": "images/selfie.png"},
        "ocr_data": {"given_name": "Marta", "surname_1": "Ruiz", "surname_2": "Soler",
                     "serial_number": "12345678Z", "id_document_type": "IDC",
                     "id_document_country": "ES"},
        "security_checks": {"otp_validation": true, "documents_match": true,
                            "data_integrity": true, "document_notcopy": true,
                            "document_notexpired": true, "document_notunderage": true,
                            "liveliness": true},
        "similarity_level": similarity,
        "acceptance": {"description": "User Accepted Terms and Conditions and Privacy Policy",
                       "url-doc-privacypolicy": "https://idp.example.com/privacy",
                       "url-doc-termsconditions": "https://idp.example.com/terms",
                       "url-web-videoid": "https://idp.example.com/videoid",
                       "ip": "186.0.91.53", "user-agent": "Mozilla/5.0 (X11; Linux x86_64)",
                       "date": 1622823879708i64}
    });
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    path
}

/// A small recording: an MP4 `ftyp` box, then an `mdat` box of `size` bytes of varied content
/// (the simulator stores recordings without decoding them).
fn video(dir: &Path, size: usize) -> PathBuf {
    let mut bytes = Vec::with_capacity(size + 64);
    bytes.extend(32u32.to_be_bytes());
    bytes.extend(b"ftypisom");
    bytes.extend(512u32.to_be_bytes());
    bytes.extend(b"isomiso2avc1mp41");
    bytes.extend(u32::try_from(size + 8).unwrap().to_be_bytes());
    bytes.extend(b"mdat");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    while bytes.len() < size + 40 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend(state.to_le_bytes());
    }
    let path = dir.join("session.mp4");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn external_command(bench: &Bench, evidences: &Path, video: &Path) -> std::process::Command {
    let mut cmd = bench.cli();
    cmd.arg("videoid-external")
        .arg("--customer")
        .arg(customer(bench, true))
        .arg("--evidences")
        .arg(evidences)
        .arg("--video")
        .arg(video)
        .args(documents(bench, 2))
        .arg("--out")
        .arg(bench.out())
        .args(["--token", SANDBOX_TOKEN, "--rao-id", RAO_ID]);
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn external_evidences_and_recording_are_uploaded_approved_and_signed() {
    let bench = Bench::new("current").await;
    let provider = bench.dir.path().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    let evidences = evidences(&provider, 87);
    let recording = video(&provider, 300_000);
    let size = std::fs::metadata(&recording).unwrap().len();
    // Run from another folder: the images are found next to evidences.json all the same.
    let mut cmd = external_command(&bench, &evidences, &recording);
    cmd.args(["--approve", "--practice"])
        .current_dir(bench.dir.path());
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("upload VideoID 1001.mp4: {size} bytes")),
        "{stderr}"
    );
    assert!(stderr.contains("video_review"), "{stderr}");
    assert!(
        stderr.contains("The identification is approved."),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("Signed: request 1001, 3 file(s) saved and verified"),
        "{}",
        text(&output)
    );
    assert_signed(&bench, FIRST_PK, 2).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_evidences_are_refused_before_anything_is_sent() {
    let bench = Bench::new("current").await;
    let provider = bench.dir.path().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    let evidences = evidences(&provider, 150);
    std::fs::write(provider.join("images/rear.png"), b"not an image").unwrap();
    let recording = video(&provider, 4_096);
    let output = finish(spawn(external_command(&bench, &evidences, &recording))).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: evidences.invalid"), "{stderr}");
    assert!(
        stderr.contains("similarity_level: evidences.similarity_range"),
        "{stderr}"
    );
    assert!(stderr.contains("images.document_rear"), "{stderr}");

    // Not JSON at all.
    std::fs::write(&evidences, "{ similarity_level: 87").unwrap();
    let output = finish(spawn(external_command(&bench, &evidences, &recording))).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error: evidences.malformed"),
        "{}",
        text(&output)
    );

    // Nothing was journaled, no request was created.
    let mut cmd = bench.cli();
    cmd.args(["status", "--json"]);
    let output = finish(spawn(cmd)).await;
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(status["result"]["recent"], serde_json::json!([]));
    let client = oneshot_client::Client::builder(&bench.sim.base_url())
        .build()
        .unwrap();
    assert!(
        client
            .get_request(oneshot_client::RequestPk(FIRST_PK))
            .await
            .is_err()
    );
}

/// Waits until flow 1 has read its request's status back at least once (the webhook receiver
/// runs from before the first read).
async fn first_status_read(bench: &Bench) {
    let journal = bench.dir.path().join("data/journal.sqlite3");
    for _ in 0..1200 {
        if journal.exists() {
            let journal = desk_core::journal::Journal::open(&journal).unwrap();
            let steps = journal
                .steps(desk_core::journal::RequestId(1))
                .unwrap_or_default();
            if steps
                .iter()
                .any(|s| s.step == "status" && s.phase == desk_core::journal::StepPhase::Done)
            {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("flow 1 never read its status");
}

/// A free loopback address.
fn free_address() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_that_never_arrives_leaves_the_reads_of_the_status_to_find_the_review() {
    // The Optimizer calls an address where nobody listens; the desk's receiver waits elsewhere.
    let nowhere = free_address();
    let bench = Bench::with_config(
        "current",
        SimConfig {
            seed: Some(11),
            webhook_url: Some(format!("http://{nowhere}/oneshot-desk/webhook")),
            webhook_attempts: 2,
            webhook_backoff: std::time::Duration::from_millis(50),
            ..SimConfig::default()
        },
    )
    .await;
    let receiver = free_address();
    let mut cmd = bench.cli();
    cmd.args([
        "settings",
        "set",
        "videoid.webhook_listen",
        &receiver.to_string(),
    ]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    let mut cmd = eidas_command(&bench, 1);
    cmd.arg("--stop-at-review");
    let mut cli = Watched::start(cmd);
    cli.stdout_line("Identification link").await;
    first_status_read(&bench).await;
    // The receiver listens while the CLI waits.
    assert!(std::net::TcpStream::connect(receiver).is_ok());
    customer_does(&bench, FIRST_PK, "complete").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("ready for the review (request 1001)"),
        "{}",
        text(&output)
    );
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("webhook: request"),
        "{}",
        text(&output)
    );
    let deliveries: serde_json::Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("{}/_sim/webhooks", bench.sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deliveries = deliveries["deliveries"].as_array().unwrap();
    assert!(!deliveries.is_empty(), "the Optimizer tried to call");
    assert!(
        deliveries
            .iter()
            .all(|d| d["url"].as_str().unwrap().contains(&nowhere.to_string())),
        "{deliveries:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_brings_the_review_long_before_the_next_read() {
    let receiver = free_address();
    let bench = Bench::with_config(
        "current",
        SimConfig {
            seed: Some(11),
            webhook_url: Some(format!("http://{receiver}/oneshot-desk/webhook")),
            webhook_backoff: std::time::Duration::from_millis(50),
            ..SimConfig::default()
        },
    )
    .await;
    let mut cmd = bench.cli();
    cmd.args([
        "settings",
        "set",
        "videoid.webhook_listen",
        &receiver.to_string(),
    ]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));

    // Reads an hour apart: only the webhook can tell the CLI in the test's time.
    let mut cmd = bench.cli();
    cmd.arg("videoid")
        .arg("--customer")
        .arg(customer(&bench, false))
        .args([
            "--stop-at-review",
            "--poll-min",
            "3600",
            "--poll-max",
            "3600",
        ]);
    let cli = Watched::start(cmd);
    first_status_read(&bench).await;
    customer_does(&bench, FIRST_PK, "complete").await;
    let output = cli.finish().await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("webhook: request 1001 is VIDEOREVIEW"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("ready for the review (request 1001)"),
        "{}",
        text(&output)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asynchronous_mode_sends_the_receiver_as_callback_and_the_webhook_ends_the_signing() {
    let bench = Bench::new("current").await;
    let receiver = free_address();
    for (key, value) in [
        ("videoid.webhook_listen", receiver.to_string()),
        ("videoid.async_mode", "true".to_string()),
    ] {
        let mut cmd = bench.cli();
        cmd.args(["settings", "set", key, &value]);
        let output = finish(spawn(cmd)).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    }
    // Reads an hour apart: the signing's end can only come by the webhook.
    let mut cmd = bench.cli();
    cmd.args(bench.classic_args(1)).args([
        "--token",
        SANDBOX_TOKEN,
        "--practice",
        "--poll-min",
        "3600",
        "--poll-max",
        "3600",
    ]);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("The Optimizer signs asynchronously"),
        "{stderr}"
    );
    assert!(
        stderr.contains("webhook: request 1001 is ISSUED"),
        "{stderr}"
    );
    let saved = saved(&bench);
    assert_eq!(saved.len(), 2);
    let ca = bench.sim.ca_certificate_pem();
    for path in &saved {
        assert_externally_valid(&ca, path);
    }
    assert_eq!(bench.status(FIRST_PK).await, "ISSUED");
    assert_eq!(bench.documents(FIRST_PK).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_images_leave_an_external_identification_incomplete_until_evidences_completes_it() {
    let bench = Bench::new("legacy").await;
    let provider = bench.dir.path().join("provider");
    std::fs::create_dir_all(&provider).unwrap();
    let complete = evidences(&provider, 87);
    let text_of = std::fs::read_to_string(&complete).unwrap();
    let mut partial: serde_json::Value = serde_json::from_str(&text_of).unwrap();
    partial["images"]
        .as_object_mut()
        .unwrap()
        .remove("document_owner");
    let partial_path = provider.join("partial.json");
    std::fs::write(&partial_path, partial.to_string()).unwrap();
    let recording = video(&provider, 50_000);
    let output = finish(spawn(external_command(&bench, &partial_path, &recording))).await;
    assert_eq!(output.status.code(), Some(3), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: videoid.incomplete"), "{stderr}");
    assert!(
        stderr.contains("oneshot-desk-cli evidences 1 --evidences FILE"),
        "{stderr}"
    );
    assert_eq!(bench.status(FIRST_PK).await, "VIDEOINCOMPLETE");

    let mut cmd = bench.cli();
    cmd.args(["evidences", "1", "--evidences"]).arg(&complete);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("ready for the review (request 1001)"),
        "{}",
        text(&output)
    );
    assert_eq!(bench.status(FIRST_PK).await, "VIDEOREVIEW");

    // The recording comes back for the review, byte for byte.
    let review = bench.dir.path().join("review");
    let mut cmd = bench.cli();
    cmd.args(["video", "1", "--out"]).arg(&review);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let saved = review.join("VideoID 1001.mp4");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&saved.display().to_string()),
        "{}",
        text(&output)
    );
    assert_eq!(
        std::fs::read(&saved).unwrap(),
        std::fs::read(&recording).unwrap()
    );

    // The Optimizer's own upload body is refused with a clear code.
    let api_shaped = provider.join("api.json");
    std::fs::write(
        &api_shaped,
        r#"{"videoid_data": {"images": {"document_front": "aGVsbG8="}}}"#,
    )
    .unwrap();
    let mut cmd = bench.cli();
    cmd.args(["evidences", "1", "--evidences"]).arg(&api_shaped);
    let output = finish(spawn(cmd)).await;
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: evidences.malformed"), "{stderr}");
    assert!(stderr.contains("upload body"), "{stderr}");
}
