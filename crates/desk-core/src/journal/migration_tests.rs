//! Upgrading journals written by every earlier schema version.

use super::schema::{SCHEMA_VERSION, migrations};
use super::*;
use rusqlite::Connection;

/// Rows a desk at `version` could have written.
fn seed(connection: &Connection, version: usize) {
    if version >= 1 {
        connection
            .execute_batch(
                "INSERT INTO requests (id, optimizer_url, layout, flow_kind, request_pk, videoid_pk, state,
                                       customer_display_name, created_at, updated_at, finished_at)
                 VALUES (1, 'https://optimizer.example.com', 'current', 'classic', 388141, NULL, 'OtpSent',
                         'Ana García López', '2025-03-07T09:00:00Z', '2025-03-07T09:05:00Z', NULL),
                        (2, 'https://optimizer.example.com', 'legacy', 'videoid_eidas', 45836, 137, 'Done',
                         'Luis Pérez', '2025-03-06T09:00:00Z', '2025-03-06T10:00:00Z', '2025-03-06T10:00:00Z');
                 INSERT INTO steps (request_id, step, remote_call, phase, error_code, started_at, finished_at)
                 VALUES (1, 'create', 'POST /oneshot/api/v1/create', 'done', NULL,
                         '2025-03-07T09:00:01Z', '2025-03-07T09:00:02Z'),
                        (1, 'sign', 'POST /oneshot/api/v1/sign/388141', 'intent', NULL,
                         '2025-03-07T09:05:00Z', NULL);",
            )
            .expect("version 1 rows");
    }
    if version >= 2 {
        connection
            .execute(
                "INSERT INTO files (request_id, role, local_path, sha256, size, remote_uid, recorded_at)
                 VALUES (2, 'signed', '/home/desk/OneShot Desk/x/signed.pdf', ?1, 1234, 'abc',
                         '2025-03-06T10:00:00Z')",
                [Sha256Digest::of(b"signed").to_string()],
            )
            .expect("version 2 rows");
    }
    if version >= 3 {
        connection
            .execute_batch(
                "INSERT INTO flow_details (request_id, format, data, updated_at)
                 VALUES (1, 1, '{\"documents\": []}', '2025-03-07T09:05:00Z');",
            )
            .expect("version 3 rows");
    }
}

#[test]
fn the_migrations_are_valid() {
    migrations().validate().expect("valid migrations");
    assert_eq!(SCHEMA_VERSION, 3);
}

#[test]
fn every_older_version_upgrades_keeping_its_rows() {
    for version in 0..=SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        {
            let mut connection = Connection::open(&path).unwrap();
            migrations().to_version(&mut connection, version).unwrap();
            seed(&connection, version);
        }
        let journal =
            Journal::open(&path).unwrap_or_else(|e| panic!("upgrading from {version}: {e}"));
        let version_now: i64 = journal
            .lock()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version_now, SCHEMA_VERSION as i64);

        if version >= 1 {
            let unfinished = journal.unfinished_requests().unwrap();
            assert_eq!(unfinished.len(), 1, "from {version}");
            assert_eq!(unfinished[0].request_pk, Some(388141));
            assert_eq!(unfinished[0].customer_display_name, "Ana García López");
            let pending = journal.pending_steps(RequestId(1)).unwrap();
            assert_eq!(pending.len(), 1);
            assert_eq!(pending[0].step, "sign");
            let finished = journal.request(RequestId(2)).unwrap();
            assert_eq!(finished.videoid_pk, Some(137));
            assert_eq!(finished.layout, ApiLayout::Legacy);
        }
        if version >= 2 {
            let files = journal.files(RequestId(2)).unwrap();
            assert_eq!(files[0].sha256, Sha256Digest::of(b"signed"));
        }

        // Everything the newest schema offers works on the upgraded file.
        let id = journal
            .create_request(&NewRequest {
                optimizer_url: "https://optimizer.example.com".into(),
                layout: ApiLayout::Current,
                flow_kind: FlowKind::VideoidExternal,
                state: "Draft".into(),
                customer_display_name: "New".into(),
            })
            .unwrap();
        journal
            .record_file(
                id,
                &NewFile {
                    role: FileRole::Video,
                    local_path: dir.path().join("v.mp4"),
                    sha256: Sha256Digest::of(b"v"),
                    size: 1,
                    remote_uid: None,
                },
            )
            .unwrap();
        assert_eq!(journal.history(id).unwrap().files.len(), 1);
    }
}

#[test]
fn a_journal_from_a_newer_desk_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    {
        let connection = Connection::open(&path).unwrap();
        connection
            .execute_batch("CREATE TABLE future (x); PRAGMA user_version = 7;")
            .unwrap();
    }
    let error = Journal::open(&path).unwrap_err();
    assert!(
        matches!(
            error,
            JournalError::NewerSchema {
                found: 7,
                supported: SCHEMA_VERSION,
                ..
            }
        ),
        "{error:?}"
    );
    let connection = Connection::open(&path).unwrap();
    let version: i64 = connection
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7);
}

#[test]
fn unexpected_values_are_reported_as_corruption() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite3");
    let journal = Journal::open(&path).unwrap();
    {
        let connection = Connection::open(&path).unwrap();
        seed(&connection, SCHEMA_VERSION);
        connection
            .execute(
                "UPDATE requests SET created_at = 'yesterday' WHERE id = 1",
                [],
            )
            .unwrap();
    }
    let error = journal.request(RequestId(1)).unwrap_err();
    assert!(matches!(error, JournalError::Corrupt { .. }), "{error:?}");
    assert_eq!(crate::error::CodedError::code(&error), "journal.corrupt");
}
