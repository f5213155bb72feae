//! "Never lose a signature": for every remote step of the classic and both VideoID flows, the
//! CLI is killed (SIGKILL) right after that step's call reached the simulator and was performed
//! there, its answer held back (`hold_after`): the request was sent, its outcome unknown to the
//! desk. `resume` must then finish the flow with every call that changes something made exactly
//! once, every signed file saved once and verified, the Optimizer cleaned, the journal closed and
//! no working files left behind.

use crate::support::{Bench, SANDBOX_TOKEN, assert_pdfsig_valid, finish, spawn, text};
use crate::videoid::{customer_does, evidences, video};
use desk_core::journal::{Journal, RequestId, StepPhase};
use optimizer_sim::{FaultPlan, Op};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// The first request of a fresh simulator.
const FIRST_PK: u64 = 1001;
/// The practice RAO's id on the simulator.
const RAO_ID: &str = "972";
/// The simulator's RA doing external identifications.
const EXTERNAL_RA: &str = "9998";
/// Reads of the request's status 50 ms apart at first, never more than half a second.
const QUICK_POLLING: [&str; 4] = ["--poll-min", "0.05", "--poll-max", "0.5"];
/// Longer than any test: the killed CLI never gets the held answer.
const HOLD: &str = "120s";
/// How long a test waits for the CLI to reach the step it kills it at.
const REACH_LIMIT: Duration = Duration::from_secs(90);
/// Documents signed in every case (two, so a crash between two downloads is a case).
const DOCUMENTS: usize = 2;

#[derive(Clone, Copy, PartialEq)]
enum Flow {
    Classic,
    Eidas,
    External,
}

/// The step a case kills the CLI at: the `nth` call of `op` since the simulator started.
struct Step {
    flow: Flow,
    op: Op,
    nth: u32,
}

const fn step(flow: Flow, op: Op, nth: u32) -> Step {
    Step { flow, op, nth }
}

/// The request the customer's identification concerns: waits until it exists, then plays the
/// customer's side of an eIDAS identification.
async fn customer_completes(bench: &Bench, pk: u64) {
    let started = Instant::now();
    while bench.sim.calls(Op::VideoIdCreate).succeeded < pk - FIRST_PK + 1 {
        assert!(
            started.elapsed() < REACH_LIMIT,
            "request {pk} never created"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    customer_does(bench, pk, "complete").await;
}

fn customer_file(bench: &Bench, flow: Flow) -> PathBuf {
    let path = bench.dir.path().join("videoid-customer.json");
    let ra = if flow == Flow::External {
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

/// The first run of the flow, signing `DOCUMENTS` PDFs, codes read from the simulator's inbox.
fn first_run(bench: &Bench, flow: Flow) -> Command {
    let mut cmd = bench.cli();
    match flow {
        Flow::Classic => {
            cmd.args(bench.classic_args(DOCUMENTS));
        }
        Flow::Eidas | Flow::External => {
            cmd.arg(if flow == Flow::Eidas {
                "videoid"
            } else {
                "videoid-external"
            })
            .arg("--customer")
            .arg(customer_file(bench, flow));
            for i in 1..=DOCUMENTS {
                let path = bench
                    .dir
                    .path()
                    .join("docs")
                    .join(format!("agreement-{i}.pdf"));
                std::fs::write(&path, crate::support::pdf(&format!("Agreement {i}"))).unwrap();
                cmd.arg("--document").arg(path);
            }
            cmd.arg("--out")
                .arg(bench.out())
                .args(["--rao-id", RAO_ID, "--approve"])
                .args(QUICK_POLLING);
            if flow == Flow::External {
                let provider = bench.dir.path().join("provider");
                std::fs::create_dir_all(&provider).unwrap();
                cmd.arg("--evidences")
                    .arg(evidences(&provider, 87))
                    .arg("--video")
                    .arg(video(&provider, 64_000));
            }
        }
    }
    cmd.args(["--token", SANDBOX_TOKEN, "--practice"]);
    cmd
}

fn resume(bench: &Bench, recreate: bool) -> Command {
    let mut cmd = bench.cli();
    cmd.args(["resume", "--practice", "--token", SANDBOX_TOKEN]);
    if recreate {
        cmd.arg("--recreate");
    }
    cmd.args(["--rao-id", RAO_ID, "--approve"])
        .args(QUICK_POLLING);
    cmd
}

/// Waits until the simulator has performed the `nth` call of `op`, then kills the CLI.
async fn kill_after(bench: &Bench, mut child: Child, op: Op, nth: u32) {
    let started = Instant::now();
    while bench.sim.calls(op).performed < u64::from(nth) {
        if child.try_wait().unwrap().is_some() || started.elapsed() > REACH_LIMIT {
            let _ = child.kill();
            let output = finish(child).await;
            panic!(
                "the CLI never made call {nth} of `{}`:\n{}",
                op.name(),
                text(&output)
            );
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().unwrap();
    let killed = finish(child).await;
    assert_eq!(
        killed.status.code(),
        None,
        "killed by a signal:\n{}",
        text(&killed)
    );
}

async fn crash_then_resume(step: Step) {
    let bench = Bench::new("current").await;
    let spec = format!("hold_after={}:{HOLD}:@{}", step.op.name(), step.nth);
    bench.sim.set_faults(FaultPlan::parse(&spec).unwrap());
    let child = spawn(first_run(&bench, step.flow));
    let create = step.op == Op::Create || step.op == Op::VideoIdCreate;
    if step.flow == Flow::Eidas && !create {
        customer_completes(&bench, FIRST_PK).await;
    }
    kill_after(&bench, child, step.op, step.nth).await;
    bench.sim.set_faults(FaultPlan::default());

    let mut pk = FIRST_PK;
    if create {
        // The API cannot look a request up, so a lost create answer needs the employee: resume
        // says so and does nothing else; resuming with --recreate creates a new request.
        let output = finish(spawn(resume(&bench, false))).await;
        assert_eq!(output.status.code(), Some(3), "{}", text(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("flow.create_unknown"), "{stderr}");
        assert_eq!(created(&bench, step.flow).performed, 1);
        pk += 1;
        let child = spawn(resume(&bench, true));
        if step.flow == Flow::Eidas {
            customer_completes(&bench, pk).await;
        }
        let output = finish(child).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        // The stray request of the lost answer is left on the Optimizer as created.
        assert_eq!(created(&bench, step.flow).succeeded, 2);
    } else {
        let output = finish(spawn(resume(&bench, false))).await;
        assert_eq!(output.status.code(), Some(0), "{}", text(&output));
        assert_eq!(created(&bench, step.flow).succeeded, 1, "created once");
    }
    // pyHanko takes seconds a file on a busy machine: it checks the files of the crash during
    // signing, pdfsig and the desk's own check those of every case.
    assert_finished_exactly_once(&bench, step.flow, pk, step.op == Op::Sign).await;
}

fn created(bench: &Bench, flow: Flow) -> optimizer_sim::CallCount {
    bench.sim.calls(match flow {
        Flow::Classic => Op::Create,
        Flow::Eidas | Flow::External => Op::VideoIdCreate,
    })
}

/// The end state after a resume: see the module documentation.
async fn assert_finished_exactly_once(bench: &Bench, flow: Flow, pk: u64, pyhanko: bool) {
    let sim = &bench.sim;
    let sign = sim.calls_for(Op::Sign, pk);
    assert_eq!((sign.performed, sign.succeeded), (1, 1), "signed once");
    let upload = sim.calls_for(Op::DocumentUpload, pk);
    assert_eq!(
        (upload.performed, upload.succeeded),
        (1, 1),
        "uploaded once"
    );
    if flow != Flow::Classic {
        assert_eq!(sim.calls(Op::Approve).succeeded, 1, "approved once");
    }
    if flow == Flow::External {
        assert_eq!(sim.calls(Op::Evidences).succeeded, 1, "evidences sent once");
        assert_eq!(sim.calls(Op::VideoUpload).succeeded, 1, "video sent once");
    }
    assert_eq!(bench.status(pk).await, "ISSUED");
    assert_eq!(
        bench.documents(pk).await,
        0,
        "the Optimizer keeps no document"
    );

    // Each document and the contract saved once, nothing else (no second copy, no temp file).
    let mut saved: Vec<PathBuf> = std::fs::read_dir(bench.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    saved.sort();
    let names: Vec<String> = saved
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut expected = vec![format!("Service contract {pk}.pdf")];
    expected.extend((1..=DOCUMENTS).map(|i| format!("agreement-{i}.pdf")));
    assert_eq!(names, expected);
    let ca = sim.ca_certificate_pem();
    for path in &saved {
        assert_pdfsig_valid(&ca, path, pyhanko);
    }

    // The journal: the flow done, no intent left open, one sign step that succeeded.
    let data = bench.dir.path().join("data");
    let journal = Journal::open(&data.join("journal.sqlite3")).unwrap();
    let record = journal.request(RequestId(1)).unwrap();
    assert_eq!(record.state, "done");
    assert!(record.finished_at.is_some());
    assert_eq!(record.request_pk, Some(i64::try_from(pk).unwrap()));
    let steps = journal.steps(RequestId(1)).unwrap();
    assert!(
        steps.iter().all(|s| s.phase != StepPhase::Intent),
        "an intent is still open: {:?}",
        steps.iter().map(|s| &s.step).collect::<Vec<_>>()
    );
    assert_eq!(
        steps
            .iter()
            .filter(|s| s.step == "sign" && s.phase == StepPhase::Done)
            .count(),
        1
    );
    // The desk's own check of each saved file passed (signature intact, whole file covered, the
    // original document preserved inside).
    let (_, details) = journal.flow_details(RequestId(1)).unwrap().unwrap();
    let details: serde_json::Value = serde_json::from_str(&details).unwrap();
    let documents = details["documents"].as_array().unwrap();
    assert_eq!(documents.len(), DOCUMENTS);
    for checked in documents.iter().chain([&details["contract"]]) {
        assert_eq!(checked["verify"], "done", "{checked}");
        assert_eq!(checked["save"], "done", "{checked}");
    }
    assert_no_working_files(&data);
}

/// Nothing of the flow's working folder (review copy, partial downloads, the customer's data)
/// is left in the data folder.
fn assert_no_working_files(data: &Path) {
    let flows = data.join("flows");
    let left: Vec<_> = std::fs::read_dir(&flows)
        .map(|dir| dir.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "working files left: {left:?}");
}

macro_rules! crash_cases {
    ($($name:ident => $flow:ident $op:ident $nth:literal;)*) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            crash_then_resume(step(Flow::$flow, Op::$op, $nth)).await;
        }
    )*};
}

crash_cases! {
    classic_killed_after_create => Classic Create 1;
    classic_killed_after_upload => Classic DocumentUpload 1;
    classic_killed_after_contract_for_review => Classic Contract 1;
    classic_killed_after_otp => Classic Otp 1;
    classic_killed_after_sign => Classic Sign 1;
    classic_killed_after_download_of_document_1 => Classic Document 1;
    classic_killed_after_download_of_document_2 => Classic Document 2;
    classic_killed_after_download_of_signed_contract => Classic Contract 2;
    classic_killed_after_delete => Classic DocumentsDelete 1;

    eidas_killed_after_create => Eidas VideoIdCreate 1;
    eidas_killed_after_status_read => Eidas Request 1;
    eidas_killed_after_approve => Eidas Approve 1;
    eidas_killed_after_upload => Eidas DocumentUpload 1;
    eidas_killed_after_otp => Eidas Otp 1;
    eidas_killed_after_sign => Eidas Sign 1;
    eidas_killed_after_download_of_document_2 => Eidas Document 2;
    eidas_killed_after_delete => Eidas DocumentsDelete 1;

    external_killed_after_create => External VideoIdCreate 1;
    external_killed_after_evidences => External Evidences 1;
    external_killed_after_video_upload => External VideoUpload 1;
    external_killed_after_approve => External Approve 1;
    external_killed_after_upload => External DocumentUpload 1;
    external_killed_after_sign => External Sign 1;
    external_killed_after_download_of_signed_contract => External Contract 2;
    external_killed_after_delete => External DocumentsDelete 1;
}
