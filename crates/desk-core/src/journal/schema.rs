//! The journal's schema, as numbered migrations (`PRAGMA user_version` holds the number).
//! Migrations are only ever appended; a released one is never edited.

use rusqlite_migration::{M, Migrations};

const MIGRATIONS: &[M<'static>] = &[
    // 1: requests and the steps taken for them.
    M::up(
        "CREATE TABLE requests (
            id INTEGER PRIMARY KEY,
            optimizer_url TEXT NOT NULL,
            layout TEXT NOT NULL CHECK (layout IN ('current', 'legacy')),
            flow_kind TEXT NOT NULL
                CHECK (flow_kind IN ('classic', 'videoid_eidas', 'videoid_external')),
            request_pk INTEGER,
            videoid_pk INTEGER,
            state TEXT NOT NULL,
            customer_display_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        ) STRICT;
        CREATE INDEX requests_unfinished ON requests (id) WHERE finished_at IS NULL;

        CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            remote_call TEXT NOT NULL,
            phase TEXT NOT NULL CHECK (phase IN ('intent', 'done', 'failed')),
            error_code TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            CHECK ((phase = 'intent') = (finished_at IS NULL)),
            CHECK ((phase = 'failed') = (error_code IS NOT NULL))
        ) STRICT;
        CREATE INDEX steps_by_request ON steps (request_id, id);",
    ),
    // 2: the files written for each request, with their hashes.
    M::up(
        "CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
            role TEXT NOT NULL
                CHECK (role IN ('original', 'contract', 'signed', 'video', 'id_image')),
            local_path TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            size INTEGER NOT NULL CHECK (size >= 0),
            remote_uid TEXT,
            recorded_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX files_by_request ON files (request_id, id);",
    ),
    // 3: what a flow keeps between its steps (documents and their progress, OTP times, output
    // folder, the error needing attention), as JSON written with each state change.
    M::up(
        "CREATE TABLE flow_details (
            request_id INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
            format INTEGER NOT NULL,
            data TEXT NOT NULL CHECK (json_valid(data)),
            updated_at TEXT NOT NULL
        ) STRICT;",
    ),
];

/// The migrations, oldest first.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();
