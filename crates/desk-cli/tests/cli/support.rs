//! Runs the CLI binary with its own data folders against an in-process simulator.

use optimizer_sim::{SimConfig, SimHandle, Simulator};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub const SANDBOX_TOKEN: &str = optimizer_sim::config::SANDBOX_TOKEN;
const SETUP_HINT: &str = "run `cargo xtask setup`";

pub struct Bench {
    pub sim: SimHandle,
    pub dir: tempfile::TempDir,
    pub layout: &'static str,
}

impl Bench {
    pub async fn new(layout: &'static str) -> Bench {
        Self::with_config(
            layout,
            SimConfig {
                seed: Some(11),
                ..SimConfig::default()
            },
        )
        .await
    }

    pub async fn with_config(layout: &'static str, config: SimConfig) -> Bench {
        desk_core::install_crypto_provider();
        let sim = Simulator::start(config).await.unwrap();
        let bench = Bench {
            sim,
            dir: tempfile::tempdir().unwrap(),
            layout,
        };
        std::fs::create_dir_all(bench.dir.path().join("docs")).unwrap();
        bench
    }

    /// The CLI with this bench's folders, Optimizer and layout.
    pub fn cli(&self) -> Command {
        let root = self.dir.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_oneshot-desk-cli"));
        cmd.env("ONESHOT_DESK_DATA_DIR", root.join("data"))
            .env("ONESHOT_DESK_CONFIG_DIR", root.join("config"))
            .env("ONESHOT_DESK_LOG_DIR", root.join("logs"))
            .env("ONESHOT_DESK_CACHE_DIR", root.join("cache"))
            .env("ONESHOT_DESK_OUTPUT_DIR", root.join("output"))
            .env("ONESHOT_DESK_SYSTEM_CONFIG", root.join("system.toml"))
            .env_remove("ONESHOT_TOKEN")
            .args([
                "--optimizer",
                &self.sim.base_url(),
                "--layout",
                self.layout,
                "--proxy",
                "none",
            ]);
        cmd
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("signed")
    }

    /// customer.json, `count` PDFs and two ID photos; the `classic` arguments using them.
    pub fn classic_args(&self, count: usize) -> Vec<String> {
        let root = self.dir.path();
        let customer = root.join("customer.json");
        std::fs::write(
            &customer,
            r#"{
  "given_name": "Luis",
  "surname_1": "Pérez",
  "surname_2": "Martín",
  "email": "luis.perez@example.com",
  "mobile_phone_number": "+34 699 123 456",
  "id_document_type": "IDC",
  "id_document_country": "ES",
  "serial_number": "X1234567L",
  "communication_language": "EN"
}"#,
        )
        .unwrap();
        let mut args = vec![
            "classic".to_string(),
            "--customer".into(),
            customer.display().to_string(),
            "--out".into(),
            self.out().display().to_string(),
        ];
        for i in 1..=count {
            let path = root.join("docs").join(format!("agreement-{i}.pdf"));
            std::fs::write(&path, pdf(&format!("Agreement {i}"))).unwrap();
            args.extend(["--document".into(), path.display().to_string()]);
        }
        for (flag, name) in [("--id-front", "front.png"), ("--id-rear", "rear.png")] {
            let path = root.join(name);
            std::fs::write(&path, png()).unwrap();
            args.extend([flag.to_string(), path.display().to_string()]);
        }
        args
    }

    /// The code the simulated customer received for request `pk`, once it arrived.
    pub async fn code(&self, pk: u64) -> String {
        for _ in 0..600 {
            match desk_core::practice::fetch_practice_code(&self.sim.base_url(), pk, None).await {
                Ok(code) => return code.code,
                Err(error) if error.code == "practice.no_code" => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(error) => panic!("{error:?}"),
            }
        }
        panic!("no code for request {pk}");
    }

    /// The request's status on the simulator.
    pub async fn status(&self, pk: u64) -> String {
        let client = oneshot_client::Client::builder(&self.sim.base_url())
            .build()
            .unwrap();
        let record = client
            .get_request(oneshot_client::RequestPk(pk))
            .await
            .unwrap();
        record.status.as_str().to_string()
    }

    /// How many documents the request still has on the simulator.
    pub async fn documents(&self, pk: u64) -> usize {
        let client = oneshot_client::Client::builder(&self.sim.base_url())
            .build()
            .unwrap();
        client
            .list_documents(oneshot_client::RequestPk(pk))
            .await
            .unwrap()
            .len()
    }
}

/// Starts `cmd` with piped standard input, output and error.
pub fn spawn(mut cmd: Command) -> Child {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub fn type_line(child: &mut Child, line: &str) {
    let stdin = child.stdin.as_mut().unwrap();
    stdin.write_all(format!("{line}\n").as_bytes()).unwrap();
    stdin.flush().unwrap();
}

pub async fn finish(mut child: Child) -> Output {
    drop(child.stdin.take());
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

pub async fn run(mut cmd: Command, stdin: &str) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    finish(child).await
}

pub fn text(output: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
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

/// A 2×2 PNG header.
pub fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
    bytes.extend(2u32.to_be_bytes());
    bytes.extend(2u32.to_be_bytes());
    bytes.extend([8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]);
    bytes.extend(b"\x00\x00\x00\x00IEND\xaeB`\x82");
    bytes
}

fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../.tools")
                .canonicalize()
                .unwrap_or_else(|_| panic!(".tools is missing; {SETUP_HINT}"))
        })
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

/// pdfsig (NSS store trusting the simulator's CA) and pyHanko's command line (the CA as trust
/// root) both judge every signature valid and trusted, the last covering the whole file.
pub fn assert_externally_valid(ca_pem: &str, pdf: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let db = format!("sql:{}", dir.path().display());
    for args in [
        vec!["-N", "-d", &db, "--empty-password"],
        vec![
            "-A",
            "-d",
            &db,
            "-n",
            "simulator CA",
            "-t",
            "CT,C,C",
            "-i",
            ca.to_str().unwrap(),
        ],
    ] {
        assert!(
            Command::new(on_path("certutil"))
                .args(&args)
                .status()
                .unwrap()
                .success()
        );
    }
    let out = Command::new(on_path("pdfsig"))
        .arg("-nssdir")
        .arg(&db)
        .arg(pdf)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    let count = report.matches("Signature #").count();
    assert!(
        count >= 1,
        "pdfsig: no signature in {}:\n{report}",
        pdf.display()
    );
    assert_eq!(
        report.matches("Signature is Valid.").count(),
        count,
        "{report}"
    );
    assert_eq!(
        report.matches("Certificate is Trusted.").count(),
        count,
        "{report}"
    );
    assert!(
        report
            .rsplit("Signature #")
            .next()
            .unwrap()
            .contains("Total document signed")
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
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "pyHanko rejects {}:\n{report}",
        pdf.display()
    );
    assert!(
        report.contains("The signature is judged VALID."),
        "{report}"
    );
    assert!(
        report.contains("The signer's certificate is trusted."),
        "{report}"
    );
    assert!(
        report
            .rsplit("Field ")
            .next()
            .unwrap()
            .contains("The signature covers the entire file."),
        "{report}"
    );
}

/// A running CLI whose output is read as it comes, so that a test can act on what it printed
/// (the customer's link, the review) before it ends.
pub struct Watched {
    child: Child,
    stdout: std::sync::Arc<std::sync::Mutex<String>>,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

/// How long a test waits for the CLI to print something before it gives up.
const PRINT_LIMIT: Duration = Duration::from_secs(90);

impl Watched {
    pub fn start(cmd: Command) -> Watched {
        let mut child = spawn(cmd);
        let stdout = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let out_pipe = child.stdout.take().unwrap();
        let err_pipe = child.stderr.take().unwrap();
        let readers = vec![
            collect(out_pipe, stdout.clone()),
            collect(err_pipe, stderr.clone()),
        ];
        Watched {
            child,
            stdout,
            stderr,
            readers,
        }
    }

    /// The first line of standard output containing `needle`, once printed.
    pub async fn stdout_line(&mut self, needle: &str) -> String {
        self.line(needle, true).await
    }

    /// The first line of standard error containing `needle`, once printed.
    pub async fn stderr_line(&mut self, needle: &str) -> String {
        self.line(needle, false).await
    }

    async fn line(&mut self, needle: &str, stdout: bool) -> String {
        let started = std::time::Instant::now();
        loop {
            let text = if stdout { &self.stdout } else { &self.stderr }
                .lock()
                .unwrap()
                .clone();
            if let Some(line) = text.lines().find(|l| l.contains(needle)) {
                return line.to_string();
            }
            let ended = self.child.try_wait().unwrap();
            if ended.is_some() || started.elapsed() > PRINT_LIMIT {
                // Let the readers take the last of the output before showing it.
                tokio::time::sleep(Duration::from_millis(200)).await;
                panic!(
                    "`{needle}` never printed (exit {ended:?})\n--- stdout\n{}\n--- stderr\n{}",
                    self.stdout.lock().unwrap(),
                    self.stderr.lock().unwrap()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn type_line(&mut self, line: &str) {
        type_line(&mut self.child, line);
    }

    /// Closes standard input and waits for the end.
    pub async fn finish(mut self) -> Output {
        drop(self.child.stdin.take());
        let Watched {
            mut child,
            stdout,
            stderr,
            readers,
        } = self;
        tokio::task::spawn_blocking(move || {
            let status = child.wait().unwrap();
            for reader in readers {
                reader.join().unwrap();
            }
            Output {
                status,
                stdout: stdout.lock().unwrap().clone().into_bytes(),
                stderr: stderr.lock().unwrap().clone().into_bytes(),
            }
        })
        .await
        .unwrap()
    }
}

fn collect(
    pipe: impl std::io::Read + Send + 'static,
    into: std::sync::Arc<std::sync::Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut reader = std::io::BufReader::new(pipe);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&line));
            line.clear();
        }
    })
}
