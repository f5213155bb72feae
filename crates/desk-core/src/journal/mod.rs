//! The request journal: an SQLite database in the data directory recording every request,
//! every remote call made for it (an *intent* written and flushed to disk before the call, its
//! outcome after) and every file written for it. After a crash or a lost connection the flows
//! read it to resume instead of repeating: a step still at `intent` is a call whose outcome is
//! unknown and must be reconciled by reading the request's state back.
//!
//! The database runs in WAL mode with `synchronous=FULL`: each commit is on disk when the call
//! returns. The journal writes little, and every write is one that matters, so no write is made
//! with weaker durability.
//!
//! The calls block on the disk; async callers may run them with
//! `tokio::task::spawn_blocking`. One [`Journal`] may be shared between threads, and several
//! (in several processes) may open the same file.

mod error;
#[cfg(test)]
mod migration_tests;
mod records;
mod schema;

pub use error::JournalError;
pub use records::{
    ApiLayout, FileId, FileRecord, FileRole, FlowKind, NewFile, NewRequest, RequestHistory,
    RequestId, RequestRecord, StepId, StepPhase, StepRecord,
};
pub use schema::SCHEMA_VERSION;

use crate::output::Sha256Digest;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long a writer waits for another connection's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The request journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    connection: Mutex<Connection>,
}

impl Journal {
    /// Opens (creating if needed) the journal at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let open_error = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| JournalError::Directory {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut connection = Connection::open(path).map_err(open_error)?;
        connection.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        let mode: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::WalRefused {
                path: path.to_path_buf(),
                mode,
            });
        }
        connection
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(open_error)?;
        migrate(path, &mut connection)?;
        Ok(Journal {
            path: path.to_path_buf(),
            connection: Mutex::new(connection),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Journals a new request and returns its id.
    pub fn create_request(&self, new: &NewRequest) -> Result<RequestId, JournalError> {
        check_name("state", &new.state)?;
        check_text("customer display name", &new.customer_display_name)?;
        check_text("Optimizer URL", &new.optimizer_url)?;
        let now = now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO requests (optimizer_url, layout, flow_kind, state, customer_display_name,
                                       created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    new.optimizer_url,
                    new.layout,
                    new.flow_kind,
                    new.state,
                    new.customer_display_name,
                    now
                ],
            )?;
            Ok(RequestId(tx.last_insert_rowid()))
        })
    }

    /// The request `id`.
    pub fn request(&self, id: RequestId) -> Result<RequestRecord, JournalError> {
        let connection = self.lock();
        read_request(&connection, id)
    }

    /// Records the flow's new state.
    pub fn set_state(&self, id: RequestId, state: &str) -> Result<(), JournalError> {
        check_name("state", state)?;
        self.update_request(id, "state = ?2", &state)
    }

    /// Records the Optimizer's request pk (once the create call succeeded or was reconciled).
    pub fn set_request_pk(&self, id: RequestId, request_pk: i64) -> Result<(), JournalError> {
        self.update_request(id, "request_pk = ?2", &request_pk)
    }

    /// Records how the desk shows the customer (a VideoID identification names the customer
    /// only once it is done).
    pub fn set_customer_display_name(&self, id: RequestId, name: &str) -> Result<(), JournalError> {
        check_text("customer display name", name)?;
        self.update_request(id, "customer_display_name = ?2", &name)
    }

    /// Unfinished requests whose Optimizer pk is `request_pk` (several Optimizers may use the
    /// same pk), oldest first.
    pub fn unfinished_requests_with_pk(
        &self,
        request_pk: i64,
    ) -> Result<Vec<RequestRecord>, JournalError> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {REQUEST_COLUMNS} FROM requests
             WHERE finished_at IS NULL AND request_pk = ?1 ORDER BY id"
        ))?;
        let rows = statement.query_map([request_pk], request_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records the VideoID pk.
    pub fn set_videoid_pk(&self, id: RequestId, videoid_pk: i64) -> Result<(), JournalError> {
        self.update_request(id, "videoid_pk = ?2", &videoid_pk)
    }

    /// Marks the request finished in `final_state` (done, cancelled, ...): it no longer shows
    /// among the unfinished requests and takes no more steps.
    pub fn finish_request(&self, id: RequestId, final_state: &str) -> Result<(), JournalError> {
        check_name("state", final_state)?;
        let now = now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE requests SET state = ?2, finished_at = ?3, updated_at = ?3
                 WHERE id = ?1 AND finished_at IS NULL",
                params![id.0, final_state, now],
            )?;
            if changed == 0 {
                read_request(tx, id)?;
                return Err(JournalError::RequestFinished { id });
            }
            Ok(())
        })
    }

    /// Requests not finished yet, oldest first: what the desk offers to resume.
    pub fn unfinished_requests(&self) -> Result<Vec<RequestRecord>, JournalError> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {REQUEST_COLUMNS} FROM requests WHERE finished_at IS NULL ORDER BY id"
        ))?;
        let rows = statement.query_map([], request_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes the intent to make `remote_call` for `step`, and returns once it is on disk.
    /// Call this BEFORE the remote call; then [`Journal::complete_step`] or
    /// [`Journal::fail_step`].
    pub fn begin_step(
        &self,
        id: RequestId,
        step: &str,
        remote_call: &str,
    ) -> Result<StepId, JournalError> {
        check_name("step", step)?;
        check_text("remote call", remote_call)?;
        let remote_call = crate::redact::redact_text(remote_call);
        let now = now();
        self.write(|tx| {
            let request = read_request(tx, id)?;
            if request.finished_at.is_some() {
                return Err(JournalError::RequestFinished { id });
            }
            tx.execute(
                "INSERT INTO steps (request_id, step, remote_call, phase, started_at)
                 VALUES (?1, ?2, ?3, 'intent', ?4)",
                params![id.0, step, remote_call, now],
            )?;
            let step_id = StepId(tx.last_insert_rowid());
            tx.execute(
                "UPDATE requests SET updated_at = ?2 WHERE id = ?1",
                params![id.0, now],
            )?;
            Ok(step_id)
        })
    }

    /// Records that the step's remote call succeeded.
    pub fn complete_step(&self, step: StepId) -> Result<(), JournalError> {
        self.finish_step(step, StepPhase::Done, None)
    }

    /// Records that the step's remote call failed with the error `error_code`
    /// (e.g. `otp.invalid`).
    pub fn fail_step(&self, step: StepId, error_code: &str) -> Result<(), JournalError> {
        check_name("error code", error_code)?;
        self.finish_step(step, StepPhase::Failed, Some(error_code))
    }

    /// The request's steps whose outcome was never written, oldest first.
    pub fn pending_steps(&self, id: RequestId) -> Result<Vec<StepRecord>, JournalError> {
        Ok(self
            .steps(id)?
            .into_iter()
            .filter(|s| s.phase == StepPhase::Intent)
            .collect())
    }

    /// The request's steps, oldest first.
    pub fn steps(&self, id: RequestId) -> Result<Vec<StepRecord>, JournalError> {
        let connection = self.lock();
        read_request(&connection, id)?;
        read_steps(&connection, id)
    }

    /// Records a file written (or uploaded) for the request.
    pub fn record_file(&self, id: RequestId, file: &NewFile) -> Result<FileId, JournalError> {
        let ids = self.record_files(id, std::slice::from_ref(file))?;
        ids.into_iter().next().ok_or_else(|| JournalError::Corrupt {
            reason: "no file recorded".into(),
        })
    }

    /// Records several files in one durable transaction (all or none), e.g. every document of
    /// one upload call.
    pub fn record_files(
        &self,
        id: RequestId,
        files: &[NewFile],
    ) -> Result<Vec<FileId>, JournalError> {
        let mut rows = Vec::with_capacity(files.len());
        for file in files {
            let path = file
                .local_path
                .to_str()
                .ok_or_else(|| JournalError::InvalidPath {
                    path: file.local_path.clone(),
                })?;
            let size = i64::try_from(file.size).map_err(|_| JournalError::Corrupt {
                reason: "file size too large".into(),
            })?;
            rows.push((file, path, size));
        }
        let now = now();
        self.write(|tx| {
            read_request(tx, id)?;
            let mut ids = Vec::with_capacity(rows.len());
            for (file, path, size) in &rows {
                tx.execute(
                    "INSERT INTO files (request_id, role, local_path, sha256, size, remote_uid, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![id.0, file.role, path, file.sha256.to_string(), size, file.remote_uid, now],
                )?;
                ids.push(FileId(tx.last_insert_rowid()));
            }
            tx.execute("UPDATE requests SET updated_at = ?2 WHERE id = ?1", params![id.0, now])?;
            Ok(ids)
        })
    }

    /// The request's files, oldest first.
    pub fn files(&self, id: RequestId) -> Result<Vec<FileRecord>, JournalError> {
        let connection = self.lock();
        read_request(&connection, id)?;
        read_files(&connection, id)
    }

    /// Records the flow's new `state` and its `details` (JSON written by the flow, in its own
    /// `format`) in one durable transaction, so a state never exists without its details.
    pub fn save_flow(
        &self,
        id: RequestId,
        state: &str,
        format: u32,
        details: &str,
    ) -> Result<(), JournalError> {
        check_name("state", state)?;
        let now = now();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE requests SET state = ?2, updated_at = ?3 WHERE id = ?1",
                params![id.0, state, now],
            )?;
            if changed == 0 {
                return Err(JournalError::RequestNotFound { id });
            }
            tx.execute(
                "INSERT INTO flow_details (request_id, format, data, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (request_id) DO UPDATE
                 SET format = excluded.format, data = excluded.data, updated_at = excluded.updated_at",
                params![id.0, format, details, now],
            )?;
            Ok(())
        })
    }

    /// The flow details last saved with [`Journal::save_flow`], with their format number.
    pub fn flow_details(&self, id: RequestId) -> Result<Option<(u32, String)>, JournalError> {
        let connection = self.lock();
        read_request(&connection, id)?;
        let mut statement = connection
            .prepare_cached("SELECT format, data FROM flow_details WHERE request_id = ?1")?;
        Ok(statement
            .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    /// Every request, newest first, at most `limit` of them: the desk's history list.
    pub fn recent_requests(&self, limit: usize) -> Result<Vec<RequestRecord>, JournalError> {
        let connection = self.lock();
        let mut statement = connection.prepare_cached(&format!(
            "SELECT {REQUEST_COLUMNS} FROM requests ORDER BY id DESC LIMIT ?1"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = statement.query_map([limit], request_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The request with its steps and files.
    pub fn history(&self, id: RequestId) -> Result<RequestHistory, JournalError> {
        let connection = self.lock();
        let request = read_request(&connection, id)?;
        let steps = read_steps(&connection, id)?;
        let files = read_files(&connection, id)?;
        Ok(RequestHistory {
            request,
            steps,
            files,
        })
    }

    fn finish_step(
        &self,
        step: StepId,
        phase: StepPhase,
        error_code: Option<&str>,
    ) -> Result<(), JournalError> {
        let now = now();
        self.write(|tx| {
            let found: Option<(i64, StepPhase)> = tx
                .query_row(
                    "SELECT request_id, phase FROM steps WHERE id = ?1",
                    [step.0],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((request_id, current)) = found else {
                return Err(JournalError::StepNotFound { id: step });
            };
            if current != StepPhase::Intent {
                return Err(JournalError::StepNotPending {
                    id: step,
                    phase: current,
                });
            }
            tx.execute(
                "UPDATE steps SET phase = ?2, error_code = ?3, finished_at = ?4 WHERE id = ?1",
                params![step.0, phase, error_code, now],
            )?;
            tx.execute(
                "UPDATE requests SET updated_at = ?2 WHERE id = ?1",
                params![request_id, now],
            )?;
            Ok(())
        })
    }

    fn update_request(
        &self,
        id: RequestId,
        assignment: &str,
        value: &dyn rusqlite::ToSql,
    ) -> Result<(), JournalError> {
        let now = now();
        self.write(|tx| {
            let changed = tx.execute(
                &format!("UPDATE requests SET {assignment}, updated_at = ?3 WHERE id = ?1"),
                params![id.0, value, now],
            )?;
            if changed == 0 {
                return Err(JournalError::RequestNotFound { id });
            }
            Ok(())
        })
    }

    /// Runs `work` in an immediate transaction (the write lock is taken at the start, so two
    /// writers queue instead of failing) and commits it durably.
    fn write<T>(
        &self,
        work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, JournalError>,
    ) -> Result<T, JournalError> {
        let mut connection = self.lock();
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // SQLite rolls back an unfinished transaction; a panic elsewhere leaves the connection usable.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn migrate(path: &Path, connection: &mut Connection) -> Result<(), JournalError> {
    let migrations = schema::migrations();
    let found: usize = migrations
        .current_version(connection)
        .map_err(|e| JournalError::Migration {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
        .into();
    if found > SCHEMA_VERSION {
        return Err(JournalError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    match migrations.to_latest(connection) {
        Ok(()) => Ok(()),
        // Two processes opening a fresh journal at once (the window and the CLI, or a resumed CLI)
        // can both read version 0 before either writes; the loser's migration then fails on
        // tables the winner just created. The journal is up to date either way, so that is fine.
        Err(_)
            if migrations.current_version(connection).ok().map(usize::from)
                == Some(SCHEMA_VERSION) =>
        {
            Ok(())
        }
        Err(e) => Err(JournalError::Migration {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }),
    }
}

const REQUEST_COLUMNS: &str = "id, optimizer_url, layout, flow_kind, request_pk, videoid_pk, state, \
                               customer_display_name, created_at, updated_at, finished_at";

fn read_request(connection: &Connection, id: RequestId) -> Result<RequestRecord, JournalError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {REQUEST_COLUMNS} FROM requests WHERE id = ?1"
    ))?;
    statement
        .query_row([id.0], request_from_row)
        .optional()?
        .ok_or(JournalError::RequestNotFound { id })
}

fn request_from_row(row: &Row<'_>) -> rusqlite::Result<RequestRecord> {
    Ok(RequestRecord {
        id: RequestId(row.get(0)?),
        optimizer_url: row.get(1)?,
        layout: row.get(2)?,
        flow_kind: row.get(3)?,
        request_pk: row.get(4)?,
        videoid_pk: row.get(5)?,
        state: row.get(6)?,
        customer_display_name: row.get(7)?,
        created_at: timestamp(row, 8)?,
        updated_at: timestamp(row, 9)?,
        finished_at: optional_timestamp(row, 10)?,
    })
}

fn read_steps(connection: &Connection, id: RequestId) -> Result<Vec<StepRecord>, JournalError> {
    let mut statement = connection.prepare_cached(
        "SELECT id, request_id, step, remote_call, phase, error_code, started_at, finished_at
         FROM steps WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([id.0], |row| {
        Ok(StepRecord {
            id: StepId(row.get(0)?),
            request_id: RequestId(row.get(1)?),
            step: row.get(2)?,
            remote_call: row.get(3)?,
            phase: row.get(4)?,
            error_code: row.get(5)?,
            started_at: timestamp(row, 6)?,
            finished_at: optional_timestamp(row, 7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn read_files(connection: &Connection, id: RequestId) -> Result<Vec<FileRecord>, JournalError> {
    let mut statement = connection.prepare_cached(
        "SELECT id, request_id, role, local_path, sha256, size, remote_uid, recorded_at
         FROM files WHERE request_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([id.0], |row| {
        let local_path: String = row.get(3)?;
        let sha256: String = row.get(4)?;
        Ok(FileRecord {
            id: FileId(row.get(0)?),
            request_id: RequestId(row.get(1)?),
            role: row.get(2)?,
            local_path: PathBuf::from(local_path),
            sha256: sha256
                .parse::<Sha256Digest>()
                .map_err(|e| conversion_error(4, e))?,
            size: u64::try_from(row.get::<_, i64>(5)?).map_err(|e| conversion_error(5, e))?,
            remote_uid: row.get(6)?,
            recorded_at: timestamp(row, 7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn conversion_error(
    column: usize,
    error: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(error))
}

fn timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<Timestamp> {
    let text: String = row.get(column)?;
    text.parse().map_err(|e| conversion_error(column, e))
}

fn optional_timestamp(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<Timestamp>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| t.parse().map_err(|e| conversion_error(column, e)))
        .transpose()
}

fn now() -> String {
    Timestamp::now().to_string()
}

/// State, step and error-code names: short identifiers chosen by the code, not by users.
fn check_name(what: &'static str, name: &str) -> Result<(), JournalError> {
    let reason = if name.is_empty() {
        Some("it is empty")
    } else if name.len() > 100 {
        Some("it is longer than 100 characters")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        Some("only letters, digits, '_', '.' and '-' may be used")
    } else {
        None
    };
    reason.map_or(Ok(()), |reason| {
        Err(JournalError::InvalidName { what, reason })
    })
}

fn check_text(what: &'static str, text: &str) -> Result<(), JournalError> {
    if text.trim().is_empty() {
        Err(JournalError::InvalidName {
            what,
            reason: "it is empty",
        })
    } else if text.chars().any(char::is_control) {
        Err(JournalError::InvalidName {
            what,
            reason: "it contains control characters",
        })
    } else {
        Ok(())
    }
}
