//! "Never lose a signature" under a bad network: many classic and VideoID flows run at once
//! against a simulator injecting latency, 5xx answers, connections dropped before and after
//! the call was performed, and truncated downloads. Each flow must end either done (signed
//! files saved and verified) or stopped in a resumable state with a typed error; then the
//! faults stop, every unfinished flow is resumed, and all must be done with every call that
//! changes something made exactly once.
//!
//! The counts are printed as a table and written as JSON to `$ONESHOT_FAULT_REPORT`, else
//! `$CARGO_TARGET_DIR/fault-report.json`, else `fault-report.json` in the target directory the
//! test runs from.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "classic/support.rs"]
mod support;

use desk_core::flow::{
    AttentionKind, FlowId, FlowSnapshot, FlowState, NextAction, OutputChoice, RaoApproval,
    RaoAuthInput, ResumeOptions, SignAuthInput, StepStatus, TokenChoice, VideoIdInput, VideoIdKind,
};
use desk_core::settings::LayoutPreference;
use desk_core::{Desk, DeskError};
use optimizer_sim::{FaultPlan, Op, SimConfig};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{SANDBOX_TOKEN, World};

const CLASSIC_FLOWS: usize = 30;
const EIDAS_FLOWS: usize = 5;
const EXTERNAL_FLOWS: usize = 5;
/// Flows running at once (the machine has two cores; calls wait on the network, not the CPU).
const CONCURRENCY: usize = 6;
const DOCUMENTS: usize = 2;
/// The practice RAO's id on the simulator.
const RAO_ID: &str = "972";
/// The simulator's RA doing external identifications.
const EXTERNAL_RA: &str = "9998";
/// The faults of the first pass. Drops after performing hit every call that changes
/// something, so each kind of reconciliation is exercised.
const FAULTS: &str = "latency=*:0ms~60ms;\
    error_rate=*:0.04:503;error_rate=create,sign,document_upload:0.03:500;\
    drop=*:0.02;\
    drop_after=create,videoid_create,document_upload,otp,sign,evidences,video_upload,approve,\
    documents_delete:0.05;\
    truncate=document,contract:0.1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Classic,
    Eidas,
    External,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Classic => "classic",
            Kind::Eidas => "videoid eIDAS",
            Kind::External => "videoid external",
        }
    }
}

/// How one flow went.
#[derive(Default)]
struct Outcome {
    id: Option<FlowId>,
    done_first_time: bool,
    /// The error the first pass stopped with.
    stopped_with: Option<String>,
    recreated: bool,
    done_on_resume: bool,
}

struct Fleet {
    world: World,
    /// eIDAS requests whose customer already finished the identification.
    identified: Mutex<HashSet<u64>>,
    /// Codes asked for again because the first request never reached the Optimizer.
    resent_codes: std::sync::atomic::AtomicU64,
}

#[tokio::test(flavor = "multi_thread")]
async fn flows_under_faults_end_done_or_resumable_then_all_finish_exactly_once() {
    let world = World::with_config(
        LayoutPreference::Current,
        SimConfig {
            seed: Some(2026),
            ..SimConfig::default()
        },
    )
    .await;
    let fleet = Arc::new(Fleet {
        world,
        identified: Mutex::new(HashSet::new()),
        resent_codes: std::sync::atomic::AtomicU64::new(0),
    });
    let kinds: Vec<Kind> = std::iter::repeat_n(Kind::Classic, CLASSIC_FLOWS)
        .chain(std::iter::repeat_n(Kind::Eidas, EIDAS_FLOWS))
        .chain(std::iter::repeat_n(Kind::External, EXTERNAL_FLOWS))
        .collect();
    fleet
        .world
        .sim
        .set_faults(FaultPlan::parse(FAULTS).unwrap());

    // First pass, with faults.
    let gate = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut tasks = Vec::new();
    for (index, kind) in kinds.iter().copied().enumerate() {
        let fleet = fleet.clone();
        let gate = gate.clone();
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            first_pass(&fleet, index, kind).await
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    let fired = fleet.world.sim.faults_fired();
    fleet.world.sim.set_faults(FaultPlan::default());

    // Second pass: every unfinished flow resumed without faults.
    let mut tasks = Vec::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        if outcome.done_first_time {
            continue;
        }
        let id = outcome
            .id
            .unwrap_or_else(|| panic!("flow {index} stopped before it was journaled"));
        let (fleet, gate, kind) = (fleet.clone(), gate.clone(), kinds[index]);
        tasks.push((
            index,
            tokio::spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                second_pass(&fleet, index, kind, id).await
            }),
        ));
    }
    for (index, task) in tasks {
        outcomes[index].recreated = task.await.unwrap();
        outcomes[index].done_on_resume = true;
    }

    // Exactly once, files saved and verified, the Optimizer cleaned, the journal closed.
    let mut signed_pks = Vec::new();
    for (index, outcome) in outcomes.iter().enumerate() {
        let snapshot = fleet.world.desk.flow(outcome.id.unwrap()).await.unwrap();
        let pk = snapshot.request_pk.unwrap();
        assert_done_exactly_once(&fleet, index, &snapshot).await;
        signed_pks.push(pk);
    }
    let sim = &fleet.world.sim;
    let recreated = outcomes.iter().filter(|o| o.recreated).count() as u64;
    let classic_recreated = outcomes
        .iter()
        .zip(&kinds)
        .filter(|(o, k)| o.recreated && **k == Kind::Classic)
        .count() as u64;
    // A lost create answer is either a request the Optimizer never saw (dropped before it was
    // performed) or one it made (dropped after): the desk cannot tell them apart, so it creates
    // again only when the user says so. Each recreate therefore adds at most one orphan request,
    // and without a recreate there is none.
    let videoid_recreated = recreated - classic_recreated;
    for (op, flows, recreates) in [
        (Op::Create, CLASSIC_FLOWS as u64, classic_recreated),
        (
            Op::VideoIdCreate,
            (EIDAS_FLOWS + EXTERNAL_FLOWS) as u64,
            videoid_recreated,
        ),
    ] {
        let created = sim.calls(op).succeeded;
        assert!(
            (flows..=flows + recreates).contains(&created),
            "{op:?}: {created} requests made for {flows} flows with {recreates} created again \
             after a lost answer: one per flow plus at most one per recreate"
        );
    }
    assert_eq!(
        sim.calls(Op::Approve).succeeded,
        (EIDAS_FLOWS + EXTERNAL_FLOWS) as u64
    );
    assert_eq!(sim.calls(Op::Evidences).succeeded, EXTERNAL_FLOWS as u64);
    assert_eq!(sim.calls(Op::VideoUpload).succeeded, EXTERNAL_FLOWS as u64);
    assert_eq!(
        sim.calls(Op::Sign).succeeded,
        kinds.len() as u64,
        "one signing per flow"
    );
    let journal =
        desk_core::journal::Journal::open(&fleet.world.desk.paths().journal_file()).unwrap();
    assert!(journal.unfinished_requests().unwrap().is_empty());

    let resent = fleet
        .resent_codes
        .load(std::sync::atomic::Ordering::Relaxed);
    report(&kinds, &outcomes, &fired, recreated, resent);
}

/// Resumes a stopped flow (the faults are off) and drives it to the end; whether its request
/// was created again after a lost create answer.
async fn second_pass(fleet: &Fleet, index: usize, kind: Kind, id: FlowId) -> bool {
    let desk = &fleet.world.desk;
    let before = desk.flow(id).await.unwrap();
    let recreate = before
        .attention
        .as_ref()
        .is_some_and(|a| a.kind == AttentionKind::CreateOutcomeUnknown);
    let options = ResumeOptions {
        recreate,
        // The token value given at the start is a secret the journal never keeps: a create
        // made again (after a failure or a lost answer) needs it once more.
        token: Some(TokenChoice::Value(SANDBOX_TOKEN.to_string().into())),
    };
    let resumed = match desk.resume(id, options).await {
        Ok(snapshot) => drive(fleet, kind, snapshot).await,
        Err(error) => Err(error),
    };
    let done = resumed.unwrap_or_else(|e| {
        panic!(
            "flow {index} ({}) did not finish on resume: {e:?}",
            kind.name()
        )
    });
    assert_eq!(done.state, FlowState::Done);
    recreate
}

/// Runs flow `index` once with the faults on.
async fn first_pass(fleet: &Fleet, index: usize, kind: Kind) -> Outcome {
    let desk = &fleet.world.desk;
    let folder = flow_folder(fleet, index);
    let started = match kind {
        Kind::Classic => {
            let mut input = fleet.world.input(0);
            // Each flow its own files: flows start at the same time.
            for (slot, name) in [
                (&mut input.id_images.front, "front.png"),
                (&mut input.id_images.rear, "rear.png"),
            ] {
                let path = folder.join(name);
                std::fs::write(&path, support::png()).unwrap();
                *slot = Some(path);
            }
            input.documents = documents(&folder);
            input.output = OutputChoice::Exactly(folder.join("signed"));
            desk.start_classic(input).await
        }
        Kind::Eidas | Kind::External => desk.start_videoid(videoid_input(kind, &folder)).await,
    };
    let mut outcome = Outcome::default();
    let result = match started {
        Ok(snapshot) => {
            outcome.id = Some(snapshot.id);
            drive(fleet, kind, snapshot).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(snapshot) => {
            assert_eq!(snapshot.state, FlowState::Done);
            outcome.done_first_time = true;
        }
        Err(error) => {
            let id = match outcome.id {
                Some(id) => id,
                None => find_flow(desk, &folder).await.unwrap_or_else(|| {
                    panic!("flow {index} failed before it was journaled: {error:?}")
                }),
            };
            outcome.id = Some(id);
            outcome.stopped_with = Some(assert_resumable(desk, id, &error).await);
        }
    }
    outcome
}

/// A stopped flow must say what happened and what to do: the error has a code and a message,
/// and the flow (not finished) either asks for attention offering `resume` (or `recreate`), or
/// waits for an ordinary next action of the employee (enter the code after a code request whose
/// answer was lost, wait for the customer after a failed status read). Returns "code → action".
async fn assert_resumable(desk: &Desk, id: FlowId, error: &DeskError) -> String {
    let code = error.code.to_string();
    let (area, reason) = code
        .split_once('.')
        .unwrap_or_else(|| panic!("error code `{code}` is not area.reason"));
    assert!(!area.is_empty() && !reason.is_empty(), "{code}");
    assert!(!error.message.trim().is_empty(), "{code} without a message");
    let snapshot = desk.flow(id).await.unwrap();
    assert!(!snapshot.finished, "a stopped flow is not finished: {code}");
    if let Some(attention) = &snapshot.attention {
        assert!(
            !attention.explanation.trim().is_empty(),
            "{code}: no explanation"
        );
        assert!(
            attention.actions.iter().any(|a| matches!(
                a,
                desk_core::flow::UserAction::Resume | desk_core::flow::UserAction::Recreate
            )),
            "{code}: neither resume nor recreate offered"
        );
    } else {
        assert!(
            matches!(
                snapshot.next_action,
                NextAction::EnterOtp
                    | NextAction::SendOtp
                    | NextAction::Review
                    | NextAction::WaitForCustomer
                    | NextAction::ReviewIdentification
            ),
            "flow {id} stopped with {code} in {:?}, asking for nothing ({:?})",
            snapshot.state,
            snapshot.next_action
        );
    }
    let action = serde_json::to_value(snapshot.next_action).unwrap();
    format!("{code} → {}", action.as_str().unwrap_or("?"))
}

/// From wherever the flow waits for the employee or the customer, to the end.
async fn drive(
    fleet: &Fleet,
    kind: Kind,
    mut snapshot: FlowSnapshot,
) -> Result<FlowSnapshot, DeskError> {
    let desk = &fleet.world.desk;
    let id = snapshot.id;
    for _ in 0..16 {
        snapshot = match snapshot.state {
            FlowState::Done => return Ok(snapshot),
            FlowState::ContractFetched => desk.confirm_review(id).await?,
            FlowState::Reviewed => desk.send_otp(id, None).await?,
            FlowState::OtpSent => match desk.practice_code(id).await {
                Ok(code) => desk.sign(id, SignAuthInput::Otp(code.code.into())).await?,
                Err(error) if error.code == "practice.no_code" => {
                    // A code request whose connection dropped before it reached the Optimizer
                    // is taken as sent (nothing can be read back about codes): the customer got
                    // nothing, and another code may follow after the minute.
                    if let Some(at) = snapshot.otp.resend_available_at {
                        let wait = at.duration_since(jiff::Timestamp::now());
                        if wait.is_positive() {
                            tokio::time::sleep(wait.unsigned_abs() + Duration::from_millis(50))
                                .await;
                        }
                    }
                    fleet
                        .resent_codes
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    desk.send_otp(id, None).await?
                }
                Err(error) => return Err(error),
            },
            FlowState::VideoPending | FlowState::VideoIncomplete | FlowState::VideoError => {
                if kind == Kind::Eidas
                    && let Some(pk) = snapshot.request_pk
                    && fleet.identified.lock().unwrap().insert(pk)
                {
                    customer_completes(fleet, pk).await;
                }
                desk.wait_for_identification(id, Some(Duration::from_secs(30)))
                    .await?
            }
            FlowState::VideoReview => {
                let approval = RaoApproval {
                    auth: RaoAuthInput::Token(TokenChoice::Value(SANDBOX_TOKEN.to_string().into())),
                    rao_id: Some(RAO_ID.into()),
                };
                desk.approve_videoid(id, approval).await?
            }
            other => {
                return Err(DeskError::new(
                    "test.unexpected_state",
                    format!("flow {id} rests in {other:?} without an error"),
                ));
            }
        };
    }
    Err(DeskError::new(
        "test.no_progress",
        format!("flow {id} did not finish in 16 actions"),
    ))
}

/// The customer's side of an eIDAS identification (simulator-only endpoint, never faulty).
async fn customer_completes(fleet: &Fleet, pk: u64) {
    let answer = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!(
            "{}/_sim/videoid/{pk}/complete",
            fleet.world.sim.base_url()
        ))
        .json(
            &serde_json::json!({"given_name": "Marta", "surname_1": "Ruiz",
            "surname_2": "Soler", "serial_number": "12345678Z",
            "id_document_type": "IDC", "id_document_country": "ES"}),
        )
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "complete {pk}: {}",
        answer.status()
    );
}

fn flow_folder(fleet: &Fleet, index: usize) -> PathBuf {
    let folder = fleet.world.dir.path().join(format!("flow-{index}"));
    std::fs::create_dir_all(folder.join("docs")).unwrap();
    folder
}

fn documents(folder: &Path) -> Vec<PathBuf> {
    (1..=DOCUMENTS)
        .map(|i| {
            let path = folder.join("docs").join(format!("agreement-{i}.pdf"));
            std::fs::write(
                &path,
                support::pdf(&format!("Agreement {i} of {}", folder.display())),
            )
            .unwrap();
            path
        })
        .collect()
}

fn videoid_input(kind: Kind, folder: &Path) -> VideoIdInput {
    let customer = desk_core::customer::CustomerDraft {
        email: "marta.ruiz@example.com".into(),
        mobile_phone_number: "+34 622 333 444".into(),
        registration_authority: (kind == Kind::External).then(|| EXTERNAL_RA.into()),
        ..Default::default()
    };
    let (evidences, video) = if kind == Kind::External {
        (Some(evidences(folder)), Some(video(folder)))
    } else {
        (None, None)
    };
    VideoIdInput {
        kind: if kind == Kind::External {
            VideoIdKind::External
        } else {
            VideoIdKind::Eidas
        },
        customer,
        evidences,
        video,
        documents: documents(folder),
        output: OutputChoice::Exactly(folder.join("signed")),
        signing: None,
        appearance: None,
        token: TokenChoice::Value(SANDBOX_TOKEN.to_string().into()),
        practice: true,
    }
}

fn evidences(folder: &Path) -> desk_core::evidences::EvidencesInput {
    let mut evidences: desk_core::evidences::EvidencesInput =
        serde_json::from_value(serde_json::json!({
            "ocr_data": {"given_name": "Marta", "surname_1": "Ruiz", "surname_2": "Soler",
                         "serial_number": "12345678Z", "id_document_type": "IDC",
                         "id_document_country": "ES"},
            "security_checks": {"otp_validation": true, "documents_match": true,
                                "data_integrity": true, "document_notcopy": true,
                                "document_notexpired": true, "document_notunderage": true,
                                "liveliness": true},
            "similarity_level": 87,
            "acceptance": {"description": "User Accepted Terms and Conditions and Privacy Policy",
                           "url-doc-privacypolicy": "https://idp.example.com/privacy",
                           "url-doc-termsconditions": "https://idp.example.com/terms",
                           "url-web-videoid": "https://idp.example.com/videoid",
                           "ip": "186.0.91.53", "user-agent": "Mozilla/5.0 (X11; Linux x86_64)",
                           "date": 1622823879708i64}
        }))
        .unwrap();
    let slots = [
        &mut evidences.images.document_front,
        &mut evidences.images.document_rear,
        &mut evidences.images.document_photo,
        &mut evidences.images.document_owner,
    ];
    for (i, slot) in slots.into_iter().enumerate() {
        let path = folder.join(format!("evidence-{i}.png"));
        std::fs::write(&path, support::png()).unwrap();
        *slot = Some(path);
    }
    evidences
}

/// A small recording: an MP4 `ftyp` box and an `mdat` box (the simulator does not decode it).
fn video(folder: &Path) -> PathBuf {
    let size = 16_384usize;
    let mut bytes = Vec::with_capacity(size + 64);
    bytes.extend(32u32.to_be_bytes());
    bytes.extend(b"ftypisom");
    bytes.extend(512u32.to_be_bytes());
    bytes.extend(b"isomiso2avc1mp41");
    bytes.extend(u32::try_from(size + 8).unwrap().to_be_bytes());
    bytes.extend(b"mdat");
    bytes.resize(size + 40, 0x5a);
    let path = folder.join("session.mp4");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The flow whose first document is in `folder` (found when its start failed half-way).
async fn find_flow(desk: &Desk, folder: &Path) -> Option<FlowId> {
    desk.recent_flows(200)
        .await
        .unwrap()
        .into_iter()
        .find(|f| {
            f.documents
                .first()
                .is_some_and(|d| d.original_path.starts_with(folder))
        })
        .map(|f| f.id)
}

async fn assert_done_exactly_once(fleet: &Fleet, index: usize, snapshot: &FlowSnapshot) {
    let sim = &fleet.world.sim;
    let pk = snapshot.request_pk.unwrap();
    let what = format!("flow {index} (request {pk})");
    assert_eq!(snapshot.state, FlowState::Done, "{what}");
    assert_eq!(
        sim.calls_for(Op::Sign, pk).succeeded,
        1,
        "{what}: signed once"
    );
    assert_eq!(
        sim.calls_for(Op::DocumentUpload, pk).succeeded,
        1,
        "{what}: uploaded once"
    );
    assert_eq!(fleet.world.status(pk).await, "ISSUED", "{what}");
    assert_eq!(fleet.world.remote_documents(pk).await, 0, "{what}: cleaned");
    for document in &snapshot.documents {
        assert_eq!(
            document.verify,
            StepStatus::Done,
            "{what}: {}",
            document.name
        );
        assert!(document.signature.as_ref().unwrap().passed(), "{what}");
    }
    assert_eq!(
        snapshot.contract.verify,
        StepStatus::Done,
        "{what}: contract"
    );
    // Exactly the signed documents and the contract in the output folder: no second copy of a
    // file downloaded twice, no temporary file.
    let folder = snapshot.output_folder.clone().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected = vec![format!("Service contract {pk}.pdf")];
    expected.extend((1..=DOCUMENTS).map(|i| format!("agreement-{i}.pdf")));
    assert_eq!(names, expected, "{what}");
    let working = fleet
        .world
        .desk
        .paths()
        .data_dir
        .join("flows")
        .join(snapshot.id.to_string());
    assert!(!working.exists(), "{what}: working files left");
}

fn report(
    kinds: &[Kind],
    outcomes: &[Outcome],
    fired: &optimizer_sim::FaultCounts,
    recreated: u64,
    resent: u64,
) {
    let mut rows: BTreeMap<Kind, [u64; 4]> = BTreeMap::new();
    let mut stops: BTreeMap<String, u64> = BTreeMap::new();
    for (kind, outcome) in kinds.iter().zip(outcomes) {
        let row = rows.entry(*kind).or_default();
        row[0] += 1;
        row[1] += u64::from(outcome.done_first_time);
        row[2] += u64::from(outcome.stopped_with.is_some());
        row[3] += u64::from(outcome.done_on_resume);
        if let Some(code) = &outcome.stopped_with {
            *stops.entry(code.clone()).or_default() += 1;
        }
    }
    let mut table = String::from(
        "\nflows under faults\n\
         kind               flows  done first time  stopped resumable  done on resume\n",
    );
    for (kind, [flows, first, stopped, resumed]) in &rows {
        table.push_str(&format!(
            "{:<18} {flows:>5}  {first:>15}  {stopped:>17}  {resumed:>14}\n",
            kind.name()
        ));
    }
    table.push_str("\nstopped with (error → next action)\n");
    for (code, count) in &stops {
        table.push_str(&format!("  {code:<44} {count:>3}\n"));
    }
    table.push_str(&format!(
        "\nfaults injected: latency {}, error {}, drop before {}, drop after {}, truncate {}\n\
         requests created again after a lost create answer (stray requests left): {recreated}\n\
         codes asked for again after a code request that never arrived: {resent}\n",
        fired.latency, fired.error, fired.drop, fired.drop_after, fired.truncate
    ));
    println!("{table}");
    let json = serde_json::json!({
        "faults": FAULTS,
        "flows": rows.iter().map(|(kind, [flows, first, stopped, resumed])| {
            serde_json::json!({"kind": kind.name(), "flows": flows, "done_first_time": first,
                               "stopped_resumable": stopped, "done_on_resume": resumed})
        }).collect::<Vec<_>>(),
        "stopped_with": stops,
        "faults_injected": fired,
        "recreated_after_lost_create": recreated,
        "codes_asked_again": resent,
    });
    let path = report_path();
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    println!("report written to {}", path.display());
}

fn report_path() -> PathBuf {
    if let Some(path) = std::env::var_os("ONESHOT_FAULT_REPORT") {
        return PathBuf::from(path);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("fault-report.json");
    }
    // target/debug/deps/faults-HASH → target
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .map(|target| target.join("fault-report.json"))
        .unwrap()
}
