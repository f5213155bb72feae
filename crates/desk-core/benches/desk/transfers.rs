//! Upload of a 200 MB PDF and download of its signed copy: oneshot-client (each transfer in a
//! fresh child process measuring its own peak RSS) against curl making the same request.

use crate::sim::SimProcess;
use crate::stats::{figure, median};
use crate::{ROLE_ENV, curl, fixtures, part::round};
use oneshot_client::{
    Client, DocumentKind, DocumentUid, FileInput, LayoutMode, ProxyConfig, RequestPk,
    TransferControl,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// "200 MB", in decimal megabytes like every throughput here.
const SIZE: u64 = 200_000_000;
const ROUNDS: usize = 5;
/// Most the transferring process's peak RSS may grow during a transfer.
const MEMORY_CEILING_MIB: f64 = 64.0;
/// Least share of curl's throughput.
const THROUGHPUT_FLOOR: f64 = 0.8;

/// What a transfer child reports on stdout.
#[derive(serde::Serialize, serde::Deserialize)]
struct WorkerReport {
    uid: String,
    bytes: u64,
    peak_rss_before: u64,
    peak_rss_after: u64,
}

struct Measured {
    client_mbps: Vec<f64>,
    curl_mbps: Vec<f64>,
    growth_mib: Vec<f64>,
    peak_mib: Vec<f64>,
}

pub fn run(sim: &SimProcess, work: &Path) -> Value {
    let dir = work.join("transfers");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("contract scan.pdf");
    fixtures::write_pdf(&pdf, SIZE, 200);
    let (front, rear) = fixtures::id_images(&dir);
    let api = sim.api();
    let pk = curl::create(&api, &front, &rear);

    let mut up = Measured::new();
    let mut kept: Option<String> = None;
    for round in 0..ROUNDS {
        // Who goes first alternates, so neither side always meets a warmer page cache.
        for client_turn in order(round) {
            let (uid, seconds) = if client_turn {
                let (report, elapsed) = worker("upload", &[&api, &pk.to_string(), path(&pdf)]);
                up.client(SIZE, elapsed, &report);
                (report.uid, elapsed)
            } else {
                let (uid, elapsed) = curl::upload(&api, pk, &pdf);
                up.curl(SIZE, elapsed);
                (uid, elapsed)
            };
            eprintln!(
                "transfers: upload {} {:.2} s",
                if client_turn { "client" } else { "curl" },
                seconds.as_secs_f64()
            );
            // One copy stays to be signed; the rest go so the request stays small.
            if kept.is_none() {
                kept = Some(uid);
            } else {
                curl::delete_document(&api, pk, &uid);
            }
        }
    }
    let uid = kept.expect("an upload ran");
    let sign = curl::otp_and_sign(&sim.base_url, &api, pk);

    let mut down = Measured::new();
    let dest = dir.join("signed.pdf");
    let mut signed_size = 0;
    for round in 0..ROUNDS {
        for client_turn in order(round) {
            if client_turn {
                let (report, elapsed) =
                    worker("download", &[&api, &pk.to_string(), &uid, path(&dest)]);
                signed_size = report.bytes;
                down.client(report.bytes, elapsed, &report);
            } else {
                let elapsed = curl::download_signed(&api, pk, &uid, &dest);
                let bytes = std::fs::metadata(&dest).unwrap().len();
                down.curl(bytes, elapsed);
            }
            std::fs::remove_file(&dest).unwrap();
        }
    }
    curl::delete_all_documents(&api, pk);
    std::fs::remove_file(&pdf).unwrap();

    let mut figures = Vec::new();
    let mut targets = Vec::new();
    for (what, m) in [("upload", &up), ("signed download", &down)] {
        figures.push(figure(
            &format!("{what}, oneshot-client: throughput"),
            "MB/s",
            &m.client_mbps,
        ));
        figures.push(figure(
            &format!("{what}, curl: throughput"),
            "MB/s",
            &m.curl_mbps,
        ));
        figures.push(figure(
            &format!("{what}, oneshot-client: peak RSS growth during the transfer"),
            "MiB",
            &m.growth_mib,
        ));
        figures.push(figure(
            &format!("{what}, oneshot-client: peak RSS of the process"),
            "MiB",
            &m.peak_mib,
        ));
        let client = median(&m.client_mbps);
        let baseline = median(&m.curl_mbps);
        targets.push(json!({
            "name": format!("{what} throughput vs curl"),
            "unit": "MB/s",
            "figure": round(client),
            "baseline": round(baseline),
            "ratio": round(client / baseline),
            "target": format!("ratio >= {THROUGHPUT_FLOOR}"),
            "met": client / baseline >= THROUGHPUT_FLOOR,
        }));
        let growth = median(&m.growth_mib);
        targets.push(json!({
            "name": format!("{what}: peak memory growth"),
            "unit": "MiB",
            "figure": round(growth),
            "baseline": null,
            "ratio": null,
            "target": format!("< {MEMORY_CEILING_MIB} MiB"),
            "met": m.growth_mib.iter().all(|g| *g < MEMORY_CEILING_MIB),
        }));
    }
    figures.push(json!({
        "name": "sign call of the 200 MB request (optimizer-sim)",
        "unit": "s",
        "median": round(sign.as_secs_f64()),
        "spread": null,
        "spread_kind": "single run (set-up, not a target)",
    }));
    json!({
        "id": "desk-transfers",
        "title": "Transfers: 200 MB upload and signed download (oneshot-client vs curl)",
        "context": [
            format!("one PDF of {SIZE} bytes (incompressible image stream); its signed copy {signed_size} bytes"),
            "server: optimizer-sim (release) in its own process, current layout, over loopback HTTP".to_string(),
            format!("{ROUNDS} rounds, client and curl alternating who goes first; throughput = bytes / wall time of the whole transferring process (start to exit), for both"),
            "client: oneshot-client's upload_documents (file streamed as a multipart part of known length) and download_document_to_path, in a fresh child process; peak RSS growth = VmHWM after - VmHWM before the transfer, from /proc/self/status".to_string(),
            "curl: `curl -F file=@…;type=application/pdf -H 'Expect:'` and `curl -o` of the same URLs".to_string(),
            "the memory target is met only if every run stays under the ceiling".to_string(),
        ],
        "figures": figures,
        "targets": targets,
    })
}

fn order(round: usize) -> [bool; 2] {
    if round.is_multiple_of(2) {
        [true, false]
    } else {
        [false, true]
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 paths")
}

impl Measured {
    fn new() -> Self {
        Measured {
            client_mbps: Vec::new(),
            curl_mbps: Vec::new(),
            growth_mib: Vec::new(),
            peak_mib: Vec::new(),
        }
    }

    fn client(&mut self, bytes: u64, elapsed: Duration, report: &WorkerReport) {
        self.client_mbps.push(mbps(bytes, elapsed));
        self.growth_mib.push(mib(report
            .peak_rss_after
            .saturating_sub(report.peak_rss_before)));
        self.peak_mib.push(mib(report.peak_rss_after));
    }

    fn curl(&mut self, bytes: u64, elapsed: Duration) {
        self.curl_mbps.push(mbps(bytes, elapsed));
    }
}

fn mbps(bytes: u64, elapsed: Duration) -> f64 {
    bytes as f64 / 1e6 / elapsed.as_secs_f64()
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// Runs this binary in `role` with `args`; its report and the whole process's wall time.
fn worker(role: &str, args: &[&str]) -> (WorkerReport, Duration) {
    let start = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .env(ROLE_ENV, role)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    let elapsed = start.elapsed();
    assert!(out.status.success(), "the {role} child failed");
    (serde_json::from_slice(&out.stdout).unwrap(), elapsed)
}

/// The process's peak resident set (`VmHWM`), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| {
            let kb = line.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?;
            kb.trim().parse::<u64>().ok()
        })
        .expect("VmHWM in /proc/self/status")
        * 1024
}

fn worker_args() -> Vec<String> {
    std::env::args().skip(1).collect()
}

/// The desk's client, as the desk builds it for a direct loopback connection.
fn client(api: &str) -> Client {
    let base = api.trim_end_matches("/oneshot/api/v1");
    Client::builder(base)
        .layout(LayoutMode::Current)
        .proxy(ProxyConfig::None)
        .build()
        .unwrap()
}

fn report(uid: String, bytes: u64, before: u64) {
    let report = WorkerReport {
        uid,
        bytes,
        peak_rss_before: before,
        peak_rss_after: peak_rss(),
    };
    println!("{}", serde_json::to_string(&report).unwrap());
}

/// The `upload` role: `API PK FILE`.
pub fn upload_worker() {
    let args = worker_args();
    let [api, pk, file] = &args[..] else {
        panic!("upload API PK FILE, got {args:?}")
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    desk_core::install_crypto_provider();
    let client = client(api);
    let pk = RequestPk(pk.parse().unwrap());
    let files = [FileInput::path(PathBuf::from(file))];
    let before = peak_rss();
    let uploaded = runtime
        .block_on(client.upload_documents(pk, &files, &TransferControl::new()))
        .unwrap();
    let bytes = std::fs::metadata(file).unwrap().len();
    report(uploaded[0].uid.0.clone(), bytes, before);
}

/// The `download` role: `API PK UID DEST`.
pub fn download_worker() {
    let args = worker_args();
    let [api, pk, uid, dest] = &args[..] else {
        panic!("download API PK UID DEST, got {args:?}")
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    desk_core::install_crypto_provider();
    let client = client(api);
    let pk = RequestPk(pk.parse().unwrap());
    let before = peak_rss();
    let downloaded = runtime
        .block_on(client.download_document_to_path(
            pk,
            &DocumentUid(uid.clone()),
            DocumentKind::Signed,
            Path::new(dest),
            &TransferControl::new(),
        ))
        .unwrap();
    report(uid.clone(), downloaded.bytes, before);
}
