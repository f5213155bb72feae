//! The request journal on real SQLite files.

#![allow(clippy::unwrap_used)]

use desk_core::error::CodedError;
use desk_core::journal::{
    ApiLayout, FileRole, FlowKind, Journal, JournalError, NewFile, NewRequest, RequestId, StepPhase,
};
use desk_core::output::Sha256Digest;
use std::path::Path;
use std::sync::Arc;

fn new_request(name: &str) -> NewRequest {
    NewRequest {
        optimizer_url: "https://optimizer.example.com".into(),
        layout: ApiLayout::Current,
        flow_kind: FlowKind::Classic,
        state: "Draft".into(),
        customer_display_name: name.into(),
    }
}

fn journal_in(dir: &Path) -> Journal {
    Journal::open(&dir.join("data").join("journal.sqlite3")).unwrap()
}

#[test]
fn a_request_lives_through_its_steps_and_files() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(dir.path());
    let id = journal
        .create_request(&new_request("Ana García López"))
        .unwrap();
    let created = journal.request(id).unwrap();
    assert_eq!(created.state, "Draft");
    assert_eq!(created.request_pk, None);
    assert_eq!(created.finished_at, None);

    let create = journal
        .begin_step(id, "create", "POST /oneshot/api/v1/create")
        .unwrap();
    assert_eq!(journal.pending_steps(id).unwrap().len(), 1);
    journal.complete_step(create).unwrap();
    journal.set_request_pk(id, 388141).unwrap();
    journal.set_state(id, "Created").unwrap();

    let otp = journal
        .begin_step(id, "otp", "POST /oneshot/api/v1/otp/388141")
        .unwrap();
    journal.fail_step(otp, "otp.too_soon").unwrap();
    let sign = journal
        .begin_step(id, "sign", "POST /oneshot/api/v1/sign/388141")
        .unwrap();
    journal.complete_step(sign).unwrap();

    let digest = Sha256Digest::of(b"%PDF signed");
    journal
        .record_file(
            id,
            &NewFile {
                role: FileRole::Signed,
                local_path: dir
                    .path()
                    .join("2025-03-07 García López 388141")
                    .join("contract.pdf"),
                sha256: digest,
                size: 11,
                remote_uid: Some("b35b97802217598e9fa4b63fcf6b6497".into()),
            },
        )
        .unwrap();

    let history = journal.history(id).unwrap();
    assert_eq!(history.request.request_pk, Some(388141));
    assert_eq!(history.request.state, "Created");
    let steps: Vec<_> = history
        .steps
        .iter()
        .map(|s| (s.step.as_str(), s.phase, s.error_code.as_deref()))
        .collect();
    assert_eq!(
        steps,
        [
            ("create", StepPhase::Done, None),
            ("otp", StepPhase::Failed, Some("otp.too_soon")),
            ("sign", StepPhase::Done, None)
        ]
    );
    assert!(
        history
            .steps
            .iter()
            .all(|s| s.finished_at.is_some_and(|f| f >= s.started_at))
    );
    assert_eq!(history.files[0].sha256, digest);
    assert_eq!(history.files[0].role, FileRole::Signed);
    assert!(journal.pending_steps(id).unwrap().is_empty());

    let json = serde_json::to_value(&history).unwrap();
    assert_eq!(json["request"]["flow_kind"], "classic");
    assert_eq!(json["steps"][1]["phase"], "failed");
    assert_eq!(json["files"][0]["sha256"], digest.to_string());

    assert_eq!(journal.unfinished_requests().unwrap().len(), 1);
    journal.finish_request(id, "Done").unwrap();
    assert!(journal.unfinished_requests().unwrap().is_empty());
    assert_eq!(journal.request(id).unwrap().state, "Done");
    assert_eq!(
        journal
            .begin_step(id, "clean", "DELETE /x")
            .unwrap_err()
            .code(),
        "journal.request_finished"
    );
    assert_eq!(
        journal.finish_request(id, "Done").unwrap_err().code(),
        "journal.request_finished"
    );
}

#[test]
fn outcomes_are_written_once_and_unknown_ids_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(dir.path());
    let id = journal.create_request(&new_request("Luis")).unwrap();
    let step = journal
        .begin_step(id, "create", "POST /oneshot/api/v1/create")
        .unwrap();
    journal.complete_step(step).unwrap();
    let error = journal
        .fail_step(step, "optimizer.unreachable")
        .unwrap_err();
    assert!(matches!(
        error,
        JournalError::StepNotPending {
            phase: StepPhase::Done,
            ..
        }
    ));
    assert_eq!(error.code(), "journal.step_not_pending");

    let missing = RequestId(id.0 + 100);
    assert_eq!(
        journal.request(missing).unwrap_err().code(),
        "journal.request_not_found"
    );
    assert_eq!(
        journal.set_state(missing, "X").unwrap_err().code(),
        "journal.request_not_found"
    );
    assert_eq!(
        journal
            .begin_step(missing, "x", "GET /")
            .unwrap_err()
            .code(),
        "journal.request_not_found"
    );
    assert_eq!(
        journal.history(missing).unwrap_err().code(),
        "journal.request_not_found"
    );
    assert_eq!(
        journal
            .complete_step(desk_core::journal::StepId(step.0 + 100))
            .unwrap_err()
            .code(),
        "journal.step_not_found"
    );
}

#[test]
fn names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(dir.path());
    let mut bad = new_request("Ana");
    bad.state = "".into();
    assert_eq!(
        journal.create_request(&bad).unwrap_err().code(),
        "journal.invalid_name"
    );
    let mut bad = new_request("Ana");
    bad.customer_display_name = "line\nbreak".into();
    assert_eq!(
        journal.create_request(&bad).unwrap_err().code(),
        "journal.invalid_name"
    );
    let id = journal.create_request(&new_request("Ana")).unwrap();
    assert_eq!(
        journal
            .begin_step(id, "has space", "GET /")
            .unwrap_err()
            .code(),
        "journal.invalid_name"
    );
    let step = journal.begin_step(id, "create", "POST /").unwrap();
    assert_eq!(
        journal.fail_step(step, "").unwrap_err().code(),
        "journal.invalid_name"
    );
}

#[test]
fn token_uids_in_remote_calls_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal_in(dir.path());
    let id = journal.create_request(&new_request("Ana")).unwrap();
    journal
        .begin_step(
            id,
            "token_check",
            "GET /oneshot/api/v1/token/3bf8d8eb-d96c-41ea-83ad-d78a7016c7da",
        )
        .unwrap();
    let step = &journal.steps(id).unwrap()[0];
    assert_eq!(step.remote_call, "GET /oneshot/api/v1/token/[redacted]");
    let bytes = std::fs::read(journal.path()).unwrap();
    let wal = std::fs::read(journal.path().with_extension("sqlite3-wal")).unwrap_or_default();
    for content in [bytes, wal] {
        assert!(!String::from_utf8_lossy(&content).contains("3bf8d8eb-d96c"));
    }
}

#[test]
fn a_second_connection_sees_committed_intents() {
    let dir = tempfile::tempdir().unwrap();
    let writer = journal_in(dir.path());
    let reader = journal_in(dir.path());
    let id = writer.create_request(&new_request("Ana")).unwrap();
    let step = writer
        .begin_step(id, "sign", "POST /oneshot/api/v1/sign/1")
        .unwrap();
    let seen = reader.pending_steps(id).unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].id, step);
    writer.complete_step(step).unwrap();
    assert!(reader.pending_steps(id).unwrap().is_empty());
}

/// The child writes an intent and dies on the spot (no destructor, no checkpoint, no close):
/// the intent must survive.
#[test]
fn an_intent_survives_a_crash_right_after_it_is_written() {
    const CHILD: &str = "ONESHOT_DESK_TEST_JOURNAL_CRASH_DIR";
    if let Some(dir) = std::env::var_os(CHILD) {
        let journal = journal_in(Path::new(&dir));
        let id = journal.create_request(&new_request("Crash Test")).unwrap();
        journal
            .begin_step(id, "sign", "POST /oneshot/api/v1/sign/388141")
            .unwrap();
        std::process::abort();
    }
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "an_intent_survives_a_crash_right_after_it_is_written",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child aborted");
    let journal = journal_in(dir.path());
    let unfinished = journal.unfinished_requests().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].customer_display_name, "Crash Test");
    let pending = journal.pending_steps(unfinished[0].id).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].remote_call, "POST /oneshot/api/v1/sign/388141");
}

#[test]
fn two_threads_with_their_own_connections_write_concurrently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    Journal::open(&path).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let journal = Journal::open(&path).unwrap();
                for i in 0..40 {
                    let id = journal
                        .create_request(&new_request(&format!("T{t} R{i}")))
                        .unwrap();
                    let step = journal
                        .begin_step(id, "create", "POST /oneshot/api/v1/create")
                        .unwrap();
                    journal.complete_step(step).unwrap();
                    journal.set_request_pk(id, i64::from(t * 1000 + i)).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let journal = Journal::open(&path).unwrap();
    let requests = journal.unfinished_requests().unwrap();
    assert_eq!(requests.len(), 80);
    for request in &requests {
        assert!(request.request_pk.is_some());
        assert_eq!(journal.steps(request.id).unwrap()[0].phase, StepPhase::Done);
    }
}

#[test]
fn one_journal_is_shared_between_threads() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Arc::new(journal_in(dir.path()));
    let id = journal.create_request(&new_request("Shared")).unwrap();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let journal = journal.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let step = journal
                        .begin_step(id, &format!("step-{t}-{i}"), "GET /")
                        .unwrap();
                    journal.complete_step(step).unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let steps = journal.steps(id).unwrap();
    assert_eq!(steps.len(), 50);
    assert!(steps.iter().all(|s| s.phase == StepPhase::Done));
}

#[test]
fn an_unusable_location_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let error = Journal::open(&file.join("journal.sqlite3")).unwrap_err();
    assert!(matches!(error, JournalError::Directory { .. }), "{error:?}");
    assert_eq!(error.code(), "journal.open_failed");

    std::fs::write(
        dir.path().join("not-a-database.sqlite3"),
        vec![0x55u8; 4096],
    )
    .unwrap();
    let error = Journal::open(&dir.path().join("not-a-database.sqlite3")).unwrap_err();
    assert_eq!(error.code(), "journal.open_failed", "{error:?}");
}
