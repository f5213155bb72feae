//! The desk against curl on the same Optimizer, in the same run: optimizer-sim serves from its
//! own process (this release binary started again in the `sim` role) over loopback, so neither
//! side's figures include the server's memory or CPU bookkeeping.
//!
//! - `transfers`: a 200 MB PDF uploaded and its signed copy downloaded through oneshot-client
//!   (the desk's client), each transfer in a fresh child process that reads its own peak RSS,
//!   against curl making the same request.
//! - `flow`: the classic flow with ten 5 MB PDFs through desk-core, against `guide_flow.sh`
//!   making the guide's calls one by one with curl, and against the same calls made bare
//!   through oneshot-client (the floor: the simulator's own time and the transfers).
//!
//! Writes `<bench dir>/parts/desk-*.json` for `cargo xtask bench`; `cargo bench -p desk-core
//! --bench desk [-- transfers|flow]` runs it alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bare;
mod curl;
mod fixtures;
mod flow;
mod part;
mod sim;
mod stats;
mod transfers;

/// Which role this process plays; unset in the benchmark itself.
const ROLE_ENV: &str = "DESK_BENCH_ROLE";

/// `DESK_BENCH_TRACE=<filter>` (e.g. `info,tower_http=debug`) prints both processes' tracing
/// events with their time since start on stderr: where a flow's time goes, step by step.
const TRACE_ENV: &str = "DESK_BENCH_TRACE";

fn main() {
    if let Ok(filter) = std::env::var(TRACE_ENV) {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .with_writer(std::io::stderr)
            .init();
    }
    match std::env::var(ROLE_ENV).ok().as_deref() {
        None => run(),
        Some("sim") => sim::serve(),
        Some("upload") => transfers::upload_worker(),
        Some("download") => transfers::download_worker(),
        Some(other) => panic!("unknown {ROLE_ENV} {other:?}"),
    }
}

fn run() {
    // `cargo bench -- FILTER` hands the filter to every bench binary; flags are cargo's.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    if !wanted("transfers") && !wanted("flow") {
        return;
    }
    desk_core::install_crypto_provider();
    let bench_dir = part::bench_dir();
    std::fs::create_dir_all(&bench_dir).unwrap();
    // Beside the target directory rather than in /tmp: the files are large and /tmp may be RAM.
    let work = tempfile::tempdir_in(&bench_dir).unwrap();
    let sim = sim::SimProcess::start(work.path());
    if wanted("transfers") {
        let part = transfers::run(&sim, work.path());
        part::write(&bench_dir, &part);
    }
    if wanted("flow") {
        let part = flow::run(&sim, work.path());
        part::write(&bench_dir, &part);
    }
}
