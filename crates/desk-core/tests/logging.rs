//! Log files on disk, with secrets logged on purpose to prove they never reach them.

#![allow(clippy::unwrap_used)]

use desk_core::error::CodedError;
use desk_core::logging::{LogConfig, LoggingError, init, subscriber};
use secrecy::SecretString;
use std::path::Path;

const SECRETS: &[&str] = &[
    "TOKEN-SECRET-1",
    "PASSWORD-SECRET-2",
    "PIN-SECRET-3",
    "PASSWORD-SECRET-4",
    "TOKEN-SECRET-5",
    "918273",
    "SECRET-6",
    "PASSWORD-SECRET-7",
    "SECRET-8",
    "TOKEN-SECRET-9",
    "OTP-SECRET-10",
];

fn config(dir: &Path) -> LogConfig {
    LogConfig {
        dir: dir.to_path_buf(),
        file_prefix: "oneshot-desk".into(),
        retention_days: 14,
        stderr: false,
        filter: "debug".into(),
    }
}

fn log_everything_secret() {
    #[derive(Debug)]
    #[allow(dead_code)]
    struct Login {
        username: String,
        password: String,
    }

    tracing::info!(
        token = "TOKEN-SECRET-1",
        "logging in as VISIBLE-USER-9001800"
    );
    tracing::info!(password = %"PASSWORD-SECRET-2", "display-formatted field");
    tracing::warn!(rao_pin = ?"PIN-SECRET-3", "debug-formatted field");
    tracing::info!("sending password=PASSWORD-SECRET-4 to the optimizer");
    tracing::info!(body = %r#"{"status":"success","details":{"token_uid":"TOKEN-SECRET-5"}}"#, "server answered");
    tracing::info!(otp = 918273_u64, "numeric field");
    let span = tracing::info_span!(
        "flow",
        client_secret = "SECRET-6",
        request_pk = 388141,
        otp_code = tracing::field::Empty
    );
    let _entered = span.enter();
    span.record("otp_code", "OTP-SECRET-10");
    tracing::info!(login = ?Login { username: "VISIBLE-USER-9001800".into(), password: "PASSWORD-SECRET-7".into() }, "struct");
    tracing::info!(value = ?SecretString::from("SECRET-8".to_string()), "secrecy");
    tracing::debug!(
        url = "https://o.example/oneshot/api/v1/token/TOKEN-SECRET-9",
        "VISIBLE-MARKER request done"
    );
}

fn read_logs(dir: &Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    text
}

#[test]
fn secrets_logged_by_mistake_never_reach_the_log_files() {
    let dir = tempfile::tempdir().unwrap();
    let (subscriber, guard) = subscriber(&config(dir.path())).unwrap();
    tracing::subscriber::with_default(subscriber, log_everything_secret);
    drop(guard);

    let logs = read_logs(dir.path());
    assert!(logs.contains("VISIBLE-MARKER request done"), "{logs}");
    assert!(logs.contains("VISIBLE-USER-9001800"), "{logs}");
    assert!(logs.contains("request_pk=388141"), "{logs}");
    assert!(logs.contains("token=[redacted]"), "{logs}");
    assert!(
        logs.contains("password=[redacted] to the optimizer"),
        "{logs}"
    );
    for secret in SECRETS {
        assert!(!logs.contains(secret), "{secret} leaked into:\n{logs}");
    }
}

#[test]
fn log_files_are_named_by_day_in_the_log_directory() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs").join("nested");
    let (subscriber, guard) = subscriber(&config(&logs)).unwrap();
    tracing::subscriber::with_default(subscriber, || tracing::info!("hello"));
    drop(guard);
    let names: Vec<String> = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1);
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    assert_eq!(names[0], format!("oneshot-desk.{today}.log"));
}

#[test]
fn old_log_files_beyond_the_retention_are_deleted() {
    let dir = tempfile::tempdir().unwrap();
    for day in 1..=20 {
        std::fs::write(
            dir.path()
                .join(format!("oneshot-desk.2020-01-{day:02}.log")),
            "old\n",
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("unrelated.txt"), "kept").unwrap();
    let mut config = config(dir.path());
    config.retention_days = 5;
    let (subscriber, guard) = subscriber(&config).unwrap();
    tracing::subscriber::with_default(subscriber, || tracing::info!("new day"));
    drop(guard);
    let logs: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("oneshot-desk."))
        .collect();
    assert_eq!(logs.len(), 5, "{logs:?}");
    assert!(dir.path().join("unrelated.txt").exists());
}

#[test]
fn bad_configurations_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad_filter = config(dir.path());
    bad_filter.filter = "info,[[[".into();
    let error = subscriber(&bad_filter).err().unwrap();
    assert!(matches!(error, LoggingError::InvalidFilter { .. }));
    assert_eq!(error.code(), "logging.invalid_filter");

    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let error = subscriber(&config(&file)).err().unwrap();
    assert_eq!(error.code(), "logging.unwritable_dir");
}

#[test]
fn init_installs_once() {
    let dir = tempfile::tempdir().unwrap();
    let guard = init(&config(dir.path())).unwrap();
    tracing::info!("VISIBLE-GLOBAL");
    let again = init(&config(dir.path())).err().unwrap();
    assert_eq!(again.code(), "logging.already_initialised");
    drop(guard);
    assert!(read_logs(dir.path()).contains("VISIBLE-GLOBAL"));
}

/// The CLI's stderr output is redacted too (checked in a child process whose stderr is captured).
#[test]
fn stderr_output_is_redacted() {
    const CHILD: &str = "ONESHOT_DESK_TEST_STDERR_LOG_DIR";
    if let Some(dir) = std::env::var_os(CHILD) {
        let mut config = config(Path::new(&dir));
        config.stderr = true;
        let guard = init(&config).unwrap();
        log_everything_secret();
        drop(guard);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "stderr_output_is_redacted",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, dir.path())
        .env_remove(desk_core::logging::FILTER_ENV)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("VISIBLE-MARKER request done"), "{stderr}");
    for secret in SECRETS {
        assert!(
            !stderr.contains(secret),
            "{secret} leaked into stderr:\n{stderr}"
        );
    }
}
