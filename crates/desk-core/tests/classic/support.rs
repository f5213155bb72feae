//! A desk against an in-process optimizer-sim over loopback, real files, the session's keyring
//! and the independent validators (pdfsig, pyHanko).

use desk_core::customer::CustomerDraft;
use desk_core::events::DeskEvent;
use desk_core::flow::{ClassicInput, FlowId, IdImages, OutputChoice, TokenChoice};
use desk_core::paths::Paths;
use desk_core::settings::LayoutPreference;
use desk_core::{ConnectionOverride, Desk, DeskOptions};
use optimizer_sim::{SimConfig, SimHandle, Simulator};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

pub const SANDBOX_TOKEN: &str = optimizer_sim::config::SANDBOX_TOKEN;
const SETUP_HINT: &str = "run `cargo xtask setup`";

pub struct World {
    pub sim: SimHandle,
    pub desk: Desk,
    pub dir: tempfile::TempDir,
    pub events: Arc<Mutex<Vec<DeskEvent>>>,
    pub layout: LayoutPreference,
}

impl World {
    pub async fn new(layout: LayoutPreference) -> World {
        Self::with_config(
            layout,
            SimConfig {
                seed: Some(7),
                ..SimConfig::default()
            },
        )
        .await
    }

    pub async fn with_config(layout: LayoutPreference, config: SimConfig) -> World {
        desk_core::install_crypto_provider();
        let sim = Simulator::start(config).await.expect("simulator starts");
        let dir = tempfile::tempdir().unwrap();
        let desk_and_events = open_desk(dir.path(), &sim.base_url(), layout);
        World {
            sim,
            desk: desk_and_events.0,
            dir,
            events: desk_and_events.1,
            layout,
        }
    }

    pub fn output(&self) -> PathBuf {
        self.dir.path().join("signed")
    }

    /// A sample customer, valid for the simulator.
    pub fn customer() -> CustomerDraft {
        serde_json::from_value(serde_json::json!({
            "given_name": "Ana",
            "surname_1": "García",
            "surname_2": "López",
            "email": "ana.garcia@example.com",
            "mobile_phone_number": "+34612345678",
            "id_document_type": "IDC",
            "id_document_country": "ES",
            "serial_number": "12345678Z",
            "communication_language": "ES"
        }))
        .unwrap()
    }

    /// `count` small PDFs and ID photos, and the input of a classic flow signing them.
    pub fn input(&self, count: usize) -> ClassicInput {
        let docs = self.dir.path().join("docs");
        std::fs::create_dir_all(&docs).unwrap();
        let documents = (1..=count)
            .map(|i| {
                let path = docs.join(format!("document {i}.pdf"));
                std::fs::write(&path, pdf(&format!("Contract page of document {i}"))).unwrap();
                path
            })
            .collect();
        ClassicInput {
            customer: Self::customer(),
            id_images: IdImages {
                front: Some(self.image("front.png")),
                rear: Some(self.image("rear.png")),
                selfie: None,
            },
            documents,
            output: OutputChoice::Exactly(self.output()),
            signing: None,
            appearance: None,
            token: TokenChoice::Value(SANDBOX_TOKEN.to_string().into()),
            practice: true,
        }
    }

    pub fn image(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, png()).unwrap();
        path
    }

    /// A client of the simulator, to look at its state independently of the desk.
    pub fn client(&self) -> oneshot_client::Client {
        let mode = match self.layout {
            LayoutPreference::Legacy => oneshot_client::LayoutMode::Legacy,
            _ => oneshot_client::LayoutMode::Current,
        };
        oneshot_client::Client::builder(&self.sim.base_url())
            .layout(mode)
            .build()
            .unwrap()
    }

    pub async fn status(&self, pk: u64) -> String {
        self.client()
            .get_request(oneshot_client::RequestPk(pk))
            .await
            .unwrap()
            .status
            .as_str()
            .to_string()
    }

    pub async fn remote_documents(&self, pk: u64) -> usize {
        self.client()
            .list_documents(oneshot_client::RequestPk(pk))
            .await
            .unwrap()
            .len()
    }

    pub fn steps(&self, id: FlowId, name: &str) -> usize {
        let journal = desk_core::journal::Journal::open(&self.desk.paths().journal_file()).unwrap();
        journal
            .steps(id)
            .unwrap()
            .iter()
            .filter(|s| s.step == name)
            .count()
    }
}

pub fn open_desk(
    root: &Path,
    url: &str,
    layout: LayoutPreference,
) -> (Desk, Arc<Mutex<Vec<DeskEvent>>>) {
    open_desk_with(root, url, layout, |_| {})
}

/// [`open_desk`] with the options adjusted first.
pub fn open_desk_with(
    root: &Path,
    url: &str,
    layout: LayoutPreference,
    adjust: impl FnOnce(&mut DeskOptions),
) -> (Desk, Arc<Mutex<Vec<DeskEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let mut options = DeskOptions::new(Paths::under(root));
    options.connection_override = ConnectionOverride {
        url: Some(url.to_string()),
        layout: Some(layout),
        ca_certificate: None,
        proxy: Some("none".to_string()),
    };
    adjust(&mut options);
    let desk = Desk::open(options, move |event: DeskEvent| {
        sink.lock().unwrap().push(event);
    })
    .unwrap();
    (desk, events)
}

/// A one-page PDF with a correct cross-reference table.
pub fn pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A 2×2 PNG (signature and header are what the checks read).
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend(2u32.to_be_bytes());
    bytes.extend(2u32.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]);
    bytes.extend(b"\x00\x00\x00\x00IEND\xaeB`\x82");
    bytes
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools"))
}

fn on_path(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("`{name}` is not installed; {SETUP_HINT}"))
}

/// Checks a signed PDF with poppler's pdfsig (NSS store trusting the simulator's CA) and
/// with pyHanko's command line (the CA as trust root): every signature valid and trusted, the
/// last covering the whole file.
pub fn assert_externally_valid(ca_pem: &str, pdf: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let db = format!("sql:{}", dir.path().display());
    let certutil = on_path("certutil");
    let ok = Command::new(&certutil)
        .args(["-N", "-d", &db, "--empty-password"])
        .status()
        .unwrap()
        .success();
    assert!(ok, "certutil -N failed");
    let ok = Command::new(&certutil)
        .args(["-A", "-d", &db, "-n", "simulator CA", "-t", "CT,C,C", "-i"])
        .arg(&ca)
        .status()
        .unwrap()
        .success();
    assert!(ok, "certutil -A failed");
    let out = Command::new(on_path("pdfsig"))
        .arg("-nssdir")
        .arg(&db)
        .arg(pdf)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let signatures = text.matches("Signature #").count();
    assert!(
        signatures >= 1,
        "pdfsig found no signature in {}:\n{text}",
        pdf.display()
    );
    assert_eq!(
        text.matches("Signature is Valid.").count(),
        signatures,
        "pdfsig: {}\n{text}",
        pdf.display()
    );
    assert_eq!(
        text.matches("Certificate is Trusted.").count(),
        signatures,
        "pdfsig: {}\n{text}",
        pdf.display()
    );
    let last = text.rsplit("Signature #").next().unwrap();
    assert!(
        last.contains("Total document signed"),
        "pdfsig coverage:\n{text}"
    );

    let pyhanko = tools_dir().join("venv/bin/pyhanko");
    assert!(
        pyhanko.is_file(),
        "pyHanko is missing at {}; {SETUP_HINT}",
        pyhanko.display()
    );
    let out = Command::new(&pyhanko)
        .args([
            "sign",
            "validate",
            "--no-revocation-check",
            "--trust-replace",
            "--trust",
        ])
        .arg(&ca)
        .arg("--pretty-print")
        .arg(pdf)
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "pyHanko rejects {}:\n{report}",
        pdf.display()
    );
    for expected in [
        "The signer's certificate is trusted.",
        "The signature is cryptographically sound.",
        "The signature is judged VALID.",
    ] {
        assert!(
            report.contains(expected),
            "pyHanko report of {} lacks \"{expected}\":\n{report}",
            pdf.display()
        );
    }
    let last = report.rsplit("Field ").next().unwrap();
    assert!(
        last.contains("The signature covers the entire file."),
        "pyHanko coverage of {}:\n{report}",
        pdf.display()
    );
}
