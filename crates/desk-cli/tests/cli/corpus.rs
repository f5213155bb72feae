//! The bad-input corpus: every file, customer record and server answer a desk can be handed
//! by mistake, through the commands people run. Each must end with a coded error
//! (`error: area.reason: ...`), words saying what happened and what to do, a non-zero exit,
//! no panic, no hang, and nothing lost: the inputs untouched, no partial output, a journal
//! that still opens and tells the truth.
//!
//! Small hand-made files live in `tests/corpus/` (its README lists them with their codes);
//! the rest (truncated, encrypted, huge, missing) is made here at run time.

use crate::hostile::{Answer, Hostile};
use crate::support::{SANDBOX_TOKEN, pdf, png};
use optimizer_sim::{SimConfig, SimHandle, Simulator};
use secret_scan::files_under;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Generous: a case ending near this is a hang, not a slow machine.
const HANG_GUARD: Duration = Duration::from_secs(120);

/// Where an input comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// A hand-made file in `tests/corpus/`.
    Corpus(&'static str),
    /// The good one-page PDF cut in half.
    Truncated,
    /// The good PDF encrypted by qpdf (user password `secret`).
    Encrypted,
    /// The good PDF encrypted by qpdf with an empty user password (opens, but is encrypted).
    EncryptedOwnerOnly,
    /// A sparse file of 600 MB starting like a PDF.
    HugePdf,
    /// A sparse file of 11 MB starting like a PNG.
    HugePhoto,
    /// Zero bytes.
    Empty,
    /// A path where nothing exists.
    Missing,
    /// A folder.
    Folder,
}

/// The command a case runs, with its one bad part.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// `classic` with this file as the document.
    Document(Source),
    /// `classic` with this file as the ID front photo.
    IdFront(Source),
    /// `classic` with this customer file.
    Customer(Source),
    /// `render` of this file.
    Render(Source),
    /// `inspect` of this file.
    Inspect(Source),
    /// `classic` with good inputs against a server answering this way.
    Server(Answer),
}

struct Case {
    name: &'static str,
    entry: Entry,
    code: &'static str,
    /// The exit code: 1 refused, 3 left resumable.
    exit: i32,
}

const fn case(name: &'static str, entry: Entry, code: &'static str) -> Case {
    Case {
        name,
        entry,
        code,
        exit: 1,
    }
}

const fn resumable(name: &'static str, entry: Entry, code: &'static str) -> Case {
    Case {
        exit: 3,
        ..case(name, entry, code)
    }
}

use Entry::{Customer, Document, IdFront, Inspect, Render, Server};
use Source::*;

const DOCUMENTS: &[Case] = &[
    case(
        "plain text named .pdf",
        Document(Corpus("plain-text.pdf")),
        "pdf.not_a_pdf",
    ),
    case(
        "zip named .pdf",
        Document(Corpus("zip-archive.pdf")),
        "pdf.not_a_pdf",
    ),
    case(
        "saved HTML page",
        Document(Corpus("html-saved-as.pdf")),
        "pdf.not_a_pdf",
    ),
    case(
        "header then garbage",
        Document(Corpus("header-then-garbage.pdf")),
        "pdf.damaged",
    ),
    case("truncated PDF", Document(Truncated), "pdf.damaged"),
    case("encrypted PDF", Document(Encrypted), "pdf.encrypted"),
    case(
        "owner-password PDF",
        Document(EncryptedOwnerOnly),
        "pdf.encrypted",
    ),
    case("600 MB PDF", Document(HugePdf), "pdf.too_large"),
    case("empty file", Document(Empty), "pdf.empty"),
    case("missing file", Document(Missing), "input.unreadable"),
    case("a folder", Document(Folder), "input.unreadable"),
];

const PHOTOS: &[Case] = &[
    case(
        "GIF named .png",
        IdFront(Corpus("gif-photo.png")),
        "image.unsupported_type",
    ),
    case(
        "BMP named .jpg",
        IdFront(Corpus("bitmap-photo.jpg")),
        "image.unsupported_type",
    ),
    case(
        "PDF named .jpg",
        IdFront(Corpus("pdf-without-trailer.jpg")),
        "image.unsupported_type",
    ),
    case(
        "PNG signature only",
        IdFront(Corpus("png-signature-only.png")),
        "image.unsupported_type",
    ),
    case("11 MB photo", IdFront(HugePhoto), "image.too_large"),
    case("empty photo", IdFront(Empty), "image.unsupported_type"),
    case("missing photo", IdFront(Missing), "input.unreadable"),
];

const CUSTOMERS: &[Case] = &[
    case(
        "missing fields",
        Customer(Corpus("customer-missing-fields.json")),
        "customer.invalid",
    ),
    case(
        "bad values",
        Customer(Corpus("customer-bad-values.json")),
        "customer.invalid",
    ),
    case(
        "wrong JSON types",
        Customer(Corpus("customer-wrong-types.json")),
        "customer.malformed",
    ),
    case(
        "a JSON array",
        Customer(Corpus("customer-array.json")),
        "customer.malformed",
    ),
    case(
        "truncated JSON",
        Customer(Corpus("customer-truncated.json")),
        "customer.malformed",
    ),
    case(
        "TOML, not JSON",
        Customer(Corpus("customer-toml.json")),
        "customer.malformed",
    ),
    case("empty customer file", Customer(Empty), "customer.malformed"),
    case(
        "missing customer file",
        Customer(Missing),
        "input.unreadable",
    ),
];

const VIEWING: &[Case] = &[
    case(
        "render plain text",
        Render(Corpus("plain-text.pdf")),
        "pdf.not_a_pdf",
    ),
    case(
        "render garbage",
        Render(Corpus("header-then-garbage.pdf")),
        "pdf.malformed",
    ),
    case(
        "render encrypted without password",
        Render(Encrypted),
        "pdf.encrypted",
    ),
    case("render empty", Render(Empty), "pdf.not_a_pdf"),
    case("render missing", Render(Missing), "input.unreadable"),
    case("inspect missing", Inspect(Missing), "input.unreadable"),
    case("inspect a folder", Inspect(Folder), "input.unreadable"),
];

/// A bad answer to the request's creation leaves the flow resumable (exit 3): once the cause
/// is fixed, `resume` goes on (or, when the create may have happened, asks for `--recreate`).
const SERVERS: &[Case] = &[
    resumable(
        "JSON of the wrong shape",
        Server(Answer::WrongJson),
        "optimizer.bad_response",
    ),
    resumable(
        "a 200 MB answer",
        Server(Answer::Enormous),
        "optimizer.bad_response",
    ),
    resumable(
        "HTML instead of JSON",
        Server(Answer::Html),
        "optimizer.bad_response",
    ),
    resumable(
        "redirect to another host",
        Server(Answer::RedirectElsewhere),
        "optimizer.redirect_refused",
    ),
    resumable(
        "no answer at all",
        Server(Answer::Hang),
        "optimizer.timeout",
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn bad_documents_are_refused_with_their_code() {
    run_table(DOCUMENTS).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_id_photos_are_refused_with_their_code() {
    run_table(PHOTOS).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_customer_records_are_refused_with_their_code() {
    run_table(CUSTOMERS).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn render_and_inspect_explain_bad_files() {
    run_table(VIEWING).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_server_answers_end_the_flow_with_their_code() {
    run_table(SERVERS).await;
}

#[test]
fn the_corpus_readme_lists_every_file_and_every_file_is_used() {
    let dir = corpus_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let used: Vec<&str> = [DOCUMENTS, PHOTOS, CUSTOMERS, VIEWING]
        .iter()
        .flat_map(|table| table.iter())
        .filter_map(|c| match c.entry {
            Document(Corpus(f)) | IdFront(Corpus(f)) | Customer(Corpus(f)) => Some(f),
            Render(Corpus(f)) | Inspect(Corpus(f)) => Some(f),
            _ => None,
        })
        .collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name == "README.md" {
            continue;
        }
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} is not in the README"
        );
        assert!(used.contains(&name.as_str()), "{name} is in no case");
    }
}

async fn run_table(cases: &[Case]) {
    desk_core::install_crypto_provider();
    let sim = Simulator::start(SimConfig {
        seed: Some(5),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut failures = Vec::new();
    for case in cases {
        if let Err(why) = run_case(&sim, case).await {
            failures.push(format!("[{}] {why}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// One case in its own folders: the checks return what went wrong instead of panicking, so a
/// table reports every broken case at once.
async fn run_case(sim: &SimHandle, case: &Case) -> Result<(), String> {
    let bench = tempfile::tempdir().unwrap();
    let root = bench.path();
    let inputs = root.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let out = root.join("signed");
    let rendered = root.join("page.png");

    let good_pdf = write(&inputs, "agreement.pdf", &pdf("Agreement"));
    let good_photo = write(&inputs, "front.png", &png());
    let good_customer = write(&inputs, "customer.json", GOOD_CUSTOMER.as_bytes());
    let mut server = None;
    let mut args: Vec<String> = Vec::new();
    let classic = |customer: &Path, document: &Path, front: &Path| -> Vec<String> {
        vec![
            "classic".into(),
            "--customer".into(),
            display(customer),
            "--document".into(),
            display(document),
            "--id-front".into(),
            display(front),
            "--id-rear".into(),
            display(&good_photo),
            "--out".into(),
            display(&out),
            "--token".into(),
            SANDBOX_TOKEN.into(),
        ]
    };
    match case.entry {
        Document(source) => {
            let bad = make(&inputs, source, "document.pdf");
            args = classic(&good_customer, &bad, &good_photo);
        }
        IdFront(source) => {
            let bad = make(&inputs, source, "photo.png");
            args = classic(&good_customer, &good_pdf, &bad);
        }
        Customer(source) => {
            let bad = make(&inputs, source, "customer-bad.json");
            args = classic(&bad, &good_pdf, &good_photo);
        }
        Render(source) => {
            let bad = make(&inputs, source, "view.pdf");
            args.extend(["render".into(), display(&bad), "--out".into()]);
            args.push(display(&rendered));
        }
        Inspect(source) => {
            let bad = make(&inputs, source, "view.pdf");
            args.extend(["inspect".into(), display(&bad)]);
        }
        Server(answer) => {
            let hostile = Hostile::start(answer).await;
            args = classic(&good_customer, &good_pdf, &good_photo);
            server = Some(hostile);
        }
    }
    let optimizer = server
        .as_ref()
        .map_or_else(|| sim.base_url(), |s| s.url.clone());
    // A short read timeout, set by IT's file as a real deployment would, keeps the hung server's
    // case short; the guard below is only there to turn a hang into a failure.
    std::fs::write(
        root.join("system.toml"),
        "[optimizer]\nread_timeout_secs = 3\nconnect_timeout_secs = 3\n",
    )
    .unwrap();
    let before = fingerprints(&inputs);

    let output = run_cli(root, &optimizer, &args).await?;
    let report = crate::support::text(&output);
    let stderr = String::from_utf8_lossy(&output.stderr);

    if stderr.contains("panicked") || output.status.code().is_none() {
        return Err(format!("crashed\n{report}"));
    }
    if output.status.code() != Some(case.exit) {
        return Err(format!(
            "exit {:?}, wanted {}\n{report}",
            output.status.code(),
            case.exit
        ));
    }
    let Some(line) = stderr.lines().find(|l| l.starts_with("error: ")) else {
        return Err(format!("no `error:` line\n{report}"));
    };
    let (code, message) = line["error: ".len()..]
        .split_once(": ")
        .ok_or_else(|| format!("not `error: CODE: message`: {line}"))?;
    if code != case.code {
        return Err(format!("code {code}, wanted {}\n{report}", case.code));
    }
    if !desk_core::error::ErrorCode::is_well_formed(code) || message.trim().len() < 10 {
        return Err(format!("code or message unclear: {line}"));
    }
    let action = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("what to do: "))
        .ok_or_else(|| format!("no `what to do:` advice\n{report}"))?;
    if action.trim().len() < 15 {
        return Err(format!("advice too thin: {action}"));
    }
    if let Some(server) = &server {
        // The desk did talk to the fixture: the error is the answer's, not a refused connection.
        if server.requests() == 0 {
            return Err(format!("the hostile server was never asked\n{report}"));
        }
    }

    // Nothing lost, nothing half-written.
    if fingerprints(&inputs) != before {
        return Err("an input file changed".into());
    }
    if let Some(left) = files_under(&out).first() {
        return Err(format!("partial output left: {}", left.display()));
    }
    if rendered.exists() {
        return Err("a failed render left its image".into());
    }
    journal_is_consistent(root, &optimizer, case.exit).await
}

/// `status --json` still works and agrees with the exit code: a refused start leaves no
/// unfinished flow; an exit 3 leaves exactly one, resumable.
async fn journal_is_consistent(root: &Path, optimizer: &str, exit: i32) -> Result<(), String> {
    let output = run_cli(root, optimizer, &["status".into(), "--json".into()]).await?;
    if output.status.code() != Some(0) {
        return Err(format!(
            "`status` fails afterwards\n{}",
            crate::support::text(&output)
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last: serde_json::Value = stdout
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| format!("`status --json` printed no JSON: {stdout}"))?;
    let unfinished = last["result"]["unfinished"].as_array().map_or(0, Vec::len);
    let wanted = usize::from(exit == 3);
    if unfinished != wanted {
        return Err(format!(
            "{unfinished} unfinished flow(s) in the journal, wanted {wanted}: {last}"
        ));
    }
    Ok(())
}

/// The CLI with `root`'s private folders, under the hang guard.
async fn run_cli(root: &Path, optimizer: &str, args: &[String]) -> Result<Output, String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oneshot-desk-cli"));
    cmd.env("ONESHOT_DESK_DATA_DIR", root.join("data"))
        .env("ONESHOT_DESK_CONFIG_DIR", root.join("config"))
        .env("ONESHOT_DESK_LOG_DIR", root.join("logs"))
        .env("ONESHOT_DESK_CACHE_DIR", root.join("cache"))
        .env("ONESHOT_DESK_OUTPUT_DIR", root.join("output"))
        .env("ONESHOT_DESK_SYSTEM_CONFIG", root.join("system.toml"))
        .env("TMPDIR", root.join("tmp"))
        .env_remove("ONESHOT_TOKEN")
        .args([
            "--optimizer",
            optimizer,
            "--layout",
            "current",
            "--proxy",
            "none",
        ])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::fs::create_dir_all(root.join("tmp")).unwrap();
    let child = cmd.spawn().unwrap();
    let id = child.id();
    let waited = tokio::time::timeout(
        HANG_GUARD,
        tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()),
    )
    .await;
    match waited {
        Ok(output) => Ok(output.unwrap()),
        Err(_) => {
            // Only the process this case started.
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            Err(format!("still running after {HANG_GUARD:?}: {args:?}"))
        }
    }
}

const GOOD_CUSTOMER: &str = r#"{
  "given_name": "Luis",
  "surname_1": "Pérez",
  "email": "luis.perez@example.com",
  "mobile_phone_number": "+34 699 123 456",
  "id_document_type": "IDC",
  "id_document_country": "ES",
  "serial_number": "X1234567L",
  "communication_language": "EN"
}"#;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Puts the case's bad input at `dir/name` (a copy, so the corpus itself is never at risk).
fn make(dir: &Path, source: Source, name: &str) -> PathBuf {
    let path = dir.join(name);
    match source {
        Corpus(file) => {
            let from = corpus_dir().join(file);
            let path = dir.join(file);
            std::fs::copy(&from, &path).unwrap();
            return path;
        }
        Truncated => {
            let good = pdf("Cut short while copying");
            std::fs::write(&path, &good[..good.len() / 2]).unwrap();
        }
        Encrypted => qpdf_encrypt(dir, &path, "secret"),
        EncryptedOwnerOnly => qpdf_encrypt(dir, &path, ""),
        HugePdf => sparse(&path, b"%PDF-1.7\n", 600 * 1024 * 1024),
        HugePhoto => {
            let header = png();
            sparse(&path, &header, 11 * 1024 * 1024);
        }
        Empty => std::fs::write(&path, b"").unwrap(),
        Missing => {}
        Folder => std::fs::create_dir_all(&path).unwrap(),
    }
    path
}

/// A file of `len` bytes that takes no disk space beyond `head`.
fn sparse(path: &Path, head: &[u8], len: u64) {
    let file = std::fs::File::create(path).unwrap();
    std::io::Write::write_all(&mut &file, head).unwrap();
    file.set_len(len).unwrap();
}

fn qpdf_encrypt(dir: &Path, to: &Path, user_password: &str) {
    let plain = write(dir, "plain-for-qpdf.pdf", &pdf("Confidential"));
    let qpdf = std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("qpdf"))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("`qpdf` is not installed; run `cargo xtask setup`"));
    let status = Command::new(qpdf)
        .args(["--encrypt", user_password, "owner-secret", "256", "--"])
        .arg(&plain)
        .arg(to)
        .status()
        .unwrap();
    assert!(status.success(), "qpdf could not encrypt");
    std::fs::remove_file(plain).unwrap();
}

/// Size and content hash of every file under `dir` (sparse giants by size and head only).
fn fingerprints(dir: &Path) -> BTreeMap<PathBuf, (u64, u64)> {
    use std::hash::{Hash, Hasher};
    let mut prints = BTreeMap::new();
    for path in files_under(dir) {
        let size = std::fs::metadata(&path).unwrap().len();
        let mut head = vec![0u8; 1024 * 1024];
        let mut file = std::fs::File::open(&path).unwrap();
        let n = std::io::Read::read(&mut file, &mut head).unwrap();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        head[..n].hash(&mut hasher);
        prints.insert(path, (size, hasher.finish()));
    }
    prints
}

/// The same answers straight through the Optimizer client (its typed error and message), with
/// the read timeout IT would configure.
#[tokio::test(flavor = "multi_thread")]
async fn the_client_names_each_hostile_answer() {
    desk_core::install_crypto_provider();
    let mut failures = Vec::new();
    for case in SERVERS {
        let Server(answer) = case.entry else {
            unreachable!("SERVERS holds server answers only")
        };
        let server = Hostile::start(answer).await;
        let client = oneshot_client::Client::builder(&server.url)
            .layout(oneshot_client::LayoutMode::Current)
            .read_timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        let result = tokio::time::timeout(
            HANG_GUARD,
            client.get_request(oneshot_client::RequestPk(1001)),
        )
        .await;
        match result {
            Err(_) => failures.push(format!("[{}] hung", case.name)),
            Ok(Ok(record)) => failures.push(format!("[{}] accepted: {record:?}", case.name)),
            Ok(Err(error)) => {
                let message = error.to_string();
                if error.code().as_str() != case.code || message.len() < 10 {
                    failures.push(format!(
                        "[{}] {}: {message}, wanted {}",
                        case.name,
                        error.code(),
                        case.code
                    ));
                }
                // The giant body is refused early, not kept: its text never reaches the error.
                if message.len() > 64 * 1024 {
                    failures.push(format!("[{}] the error holds the body", case.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
