//! Shared test fixtures: one persisted trust service per test run, signers, external tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use sim_signer::{SignerIdentity, SignerSubject, TrustService};

/// The trust service all tests share. It lives in the cargo target's temporary directory and is
/// created once (load_or_create), so test processes do not each spend a second on a CA key.
pub fn trust() -> &'static TrustService {
    static TRUST: OnceLock<TrustService> = OnceLock::new();
    TRUST.get_or_init(|| {
        TrustService::load_or_create(&trust_dir(), None).expect("the shared test trust service")
    })
}

pub fn trust_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("sim-signer-trust")
}

/// The CA certificate file written by `load_or_create`.
pub fn ca_pem_path() -> PathBuf {
    trust();
    trust_dir().join("ca-certificate.pem")
}

pub fn subject() -> SignerSubject {
    SignerSubject {
        given_name: "Ana María".into(),
        surname_1: "García".into(),
        surname_2: Some("Łopez".into()),
        serial_number: "12345678Z".into(),
        country: "ES".into(),
        email: Some("ana.garcia@example.com".into()),
    }
}

/// One signer per test process (key generation is the slow part of issuing).
pub fn signer() -> &'static SignerIdentity {
    static SIGNER: OnceLock<SignerIdentity> = OnceLock::new();
    SIGNER.get_or_init(|| trust().issue_signer(&subject()).expect("issue a signer"))
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `<root>/.tools`, or `ONESHOT_TOOLS_DIR` when set (by `cargo xtask test`).
pub fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools"))
}

pub fn pyhanko() -> PathBuf {
    let path = tools_dir().join("venv/bin/pyhanko");
    assert!(
        path.exists(),
        "pyHanko is missing at {}: run `cargo xtask setup`",
        path.display()
    );
    path
}

/// A command from PATH (Debian packages of the TEST list), or a failure saying how to get it.
pub fn tool(name: &str) -> Command {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    assert!(found, "`{name}` is not installed: run `cargo xtask setup`");
    Command::new(name)
}

pub fn run(command: &mut Command) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"))
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub mod fixtures;
pub mod render;
pub mod validate;
