//! The classic flow with ten 5 MB PDFs, start to finish: desk-core against `guide_flow.sh`, the
//! guide's calls one by one with curl; and the same calls bare through oneshot-client, the
//! floor no client making them can go under (`bare.rs`).

use crate::sim::SimProcess;
use crate::stats::{figure, median};
use crate::{bare, fixtures, part::round};
use desk_core::customer::CustomerDraft;
use desk_core::flow::{
    ClassicInput, FlowState, IdImages, OutputChoice, SignAuthInput, TokenChoice,
};
use desk_core::paths::Paths;
use desk_core::settings::LayoutPreference;
use desk_core::{ConnectionOverride, Desk, DeskOptions};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const DOCUMENTS: usize = 10;
const DOCUMENT_SIZE: u64 = 5_000_000;
/// A multiple of the three runners, so each goes first, second and third equally often.
const ROUNDS: usize = 6;
/// The desk must take at most this share of the script's time (1.5x faster).
const SPEEDUP: f64 = 1.5;

pub fn run(sim: &SimProcess, work: &Path) -> Value {
    let dir = work.join("flow");
    let docs = dir.join("documents");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 1..=DOCUMENTS {
        let name = format!("document {i:02}.pdf");
        fixtures::write_pdf(&docs.join(name), DOCUMENT_SIZE, i as u64);
    }
    let documents: Vec<PathBuf> = {
        let mut list: Vec<PathBuf> = std::fs::read_dir(&docs)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        list.sort();
        list
    };
    let (front, rear) = fixtures::id_images(&dir);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let desk = open_desk(&dir.join("desk"), &sim.base_url);

    let mut desk_secs = Vec::new();
    let mut script_secs = Vec::new();
    let mut bare_secs = Vec::new();
    let mut review_secs = Vec::new();
    let mut finish_secs = Vec::new();
    for round in 0..ROUNDS {
        let out = dir.join(format!("out-{round}"));
        // Each runner goes first, second and third in turn.
        let mut order = Runner::ALL;
        order.rotate_left(round % Runner::ALL.len());
        for runner in order {
            let elapsed = match runner {
                Runner::Desk => {
                    let input = ClassicInput {
                        customer: customer(),
                        id_images: IdImages {
                            front: Some(front.clone()),
                            rear: Some(rear.clone()),
                            selfie: None,
                        },
                        documents: documents.clone(),
                        output: OutputChoice::Exactly(out.join("desk")),
                        signing: None,
                        appearance: None,
                        token: TokenChoice::Value(
                            optimizer_sim::config::SANDBOX_TOKEN.to_string().into(),
                        ),
                        practice: true,
                    };
                    let [elapsed, to_review, from_code] = runtime.block_on(desk_flow(&desk, input));
                    desk_secs.push(elapsed.as_secs_f64());
                    review_secs.push(to_review.as_secs_f64());
                    finish_secs.push(from_code.as_secs_f64());
                    elapsed
                }
                Runner::Script => {
                    let elapsed = script_flow(sim, &docs, &front, &rear, &out.join("script"));
                    script_secs.push(elapsed.as_secs_f64());
                    elapsed
                }
                Runner::Bare => {
                    let elapsed =
                        runtime.block_on(bare::flow(&sim.base_url, &documents, &front, &rear));
                    bare_secs.push(elapsed.as_secs_f64());
                    elapsed
                }
            };
            eprintln!("flow: {runner:?} {:.2} s", elapsed.as_secs_f64());
        }
        std::fs::remove_dir_all(&out).unwrap();
    }

    let desk_median = median(&desk_secs);
    let script_median = median(&script_secs);
    let bare_median = median(&bare_secs);
    let speedup = script_median / desk_median;
    json!({
        "id": "desk-flow",
        "title": "Whole classic flow: 10 PDFs of 5 MB (desk-core vs the guide's calls with curl)",
        "context": [
            format!("{DOCUMENTS} PDFs of {DOCUMENT_SIZE} bytes; optimizer-sim (release) in its own process, current layout, no added latency, loopback"),
            "desk: desk-core's classic flow (create, upload, contract, review, OTP from the simulated phone, sign, download, save atomically, verify every signature, delete), journaled; the signed copies are fetched up to 8 at a time over reused connections, each written to disk (fsync) and checked before anything is deleted".to_string(),
            "script: guide_flow.sh, one curl process per call in the guide's order (create, one upload call with all files, contract, OTP, SMS, sign, each signed document and the contract, delete); it saves files (without flushing them to disk) but verifies nothing".to_string(),
            "bare calls: the same calls through oneshot-client alone (connections reused, every signed file fetched at once and thrown away; no journal, hashing, check or disk write): the Optimizer's own time and the transfers, which no client making these calls can go under".to_string(),
            format!("the best speed-up over the script a client making these calls could reach in this run: script / bare calls = {:.2}x", script_median / bare_median),
            format!("{ROUNDS} rounds, the three taking turns at going first"),
        ],
        "figures": [
            figure("whole flow, desk-core", "s", &desk_secs),
            figure("whole flow, guide script with curl", "s", &script_secs),
            figure("whole flow, bare oneshot-client calls (the floor)", "s", &bare_secs),
            figure("desk-core: start to review (create, upload, contract)", "s", &review_secs),
            figure("desk-core: code to done (sign, download, save, verify, delete)", "s", &finish_secs),
        ],
        "targets": [{
            "name": "whole classic flow, 10 × 5 MB",
            "unit": "s",
            "figure": round(desk_median),
            "baseline": round(script_median),
            "ratio": round(desk_median / script_median),
            "target": format!("ratio <= {:.3} (at least {SPEEDUP}x faster)", 1.0 / SPEEDUP),
            "met": speedup >= SPEEDUP,
        }],
    })
}

/// Who makes the flow's calls.
#[derive(Debug, Clone, Copy)]
enum Runner {
    Desk,
    Script,
    Bare,
}

impl Runner {
    const ALL: [Runner; 3] = [Runner::Desk, Runner::Script, Runner::Bare];
}

fn open_desk(root: &Path, url: &str) -> Desk {
    let mut options = DeskOptions::new(Paths::under(root));
    options.connection_override = ConnectionOverride {
        url: Some(url.to_string()),
        layout: Some(LayoutPreference::Current),
        ca_certificate: None,
        proxy: Some("none".to_string()),
    };
    Desk::open(options, |_| {}).unwrap()
}

fn customer() -> CustomerDraft {
    serde_json::from_value(json!({
        "given_name": "Ana",
        "surname_1": "García",
        "surname_2": "López",
        "email": "ana.garcia@example.com",
        "mobile_phone_number": "+34612345678",
        "id_document_type": "IDC",
        "id_document_country": "ES",
        "serial_number": "12345678Z",
        "communication_language": "ES"
    }))
    .unwrap()
}

/// The flow as the window drives it, with the review confirmed at once and the code read from
/// the simulated phone.
/// Returns the whole time and the time of its two halves: up to the review (create, upload,
/// contract) and from the code to the end (sign, download, save, verify, delete).
async fn desk_flow(desk: &Desk, input: ClassicInput) -> [Duration; 3] {
    let start = Instant::now();
    let snapshot = desk.start_classic(input).await.unwrap();
    assert_eq!(snapshot.state, FlowState::ContractFetched);
    let to_review = start.elapsed();
    let snapshot = desk.confirm_review(snapshot.id).await.unwrap();
    let snapshot = desk.send_otp(snapshot.id, None).await.unwrap();
    let code = desk.practice_code(snapshot.id).await.unwrap();
    let signing = Instant::now();
    let done = desk
        .sign(snapshot.id, SignAuthInput::Otp(code.code.clone().into()))
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(done.saved_files().len(), DOCUMENTS + 1);
    [elapsed, to_review, signing.elapsed()]
}

fn script_flow(sim: &SimProcess, docs: &Path, front: &Path, rear: &Path, out: &Path) -> Duration {
    std::fs::create_dir_all(out).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/desk/guide_flow.sh");
    let start = Instant::now();
    let status = Command::new("bash")
        .arg(&script)
        .arg(&sim.base_url)
        .arg(optimizer_sim::config::SANDBOX_TOKEN)
        .args([docs, front, rear, out])
        .status()
        .expect("bash runs");
    let elapsed = start.elapsed();
    assert!(status.success(), "{} failed", script.display());
    let saved = std::fs::read_dir(out).unwrap().count();
    assert_eq!(
        saved,
        DOCUMENTS + 2,
        "documents, contract and signed contract"
    );
    elapsed
}
