//! Independent validators of what the simulator signs: poppler's `pdfsig` (with an NSS trust
//! store holding the simulator's CA), pyHanko (from `.tools/venv`) and openssl. A missing tool
//! fails the test with the setup hint — never a skip.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const SETUP_HINT: &str = "run `cargo xtask setup`";

/// The workspace root (two levels above this crate).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

/// `<root>/.tools` or `$ONESHOT_TOOLS_DIR`.
fn tools_dir() -> PathBuf {
    std::env::var_os("ONESHOT_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".tools"))
}

/// An executable on PATH, or a failure naming the setup step.
pub fn tool(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| panic!("`{name}` is not installed; {SETUP_HINT}"))
}

/// The venv's Python with pyHanko.
fn pyhanko_python() -> PathBuf {
    let python = tools_dir().join("venv/bin/python");
    assert!(
        python.is_file(),
        "pyHanko's Python venv is missing at {}; {SETUP_HINT}",
        python.display()
    );
    python
}

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}; {SETUP_HINT}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// One signature as pdfsig reports it.
#[derive(Debug, Default)]
pub struct PdfsigSignature {
    pub valid: bool,
    pub trusted: bool,
    pub total_document_signed: bool,
    pub text: String,
}

/// The validators, with the CA as their trust root.
pub struct Validators {
    dir: tempfile::TempDir,
    ca: PathBuf,
    nss: PathBuf,
}

impl Validators {
    pub fn new(ca_pem: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, ca_pem).unwrap();
        let nss = dir.path().join("nss");
        std::fs::create_dir_all(&nss).unwrap();
        let db = format!("sql:{}", nss.display());
        let (ok, text) =
            run(Command::new(tool("certutil")).args(["-N", "-d", &db, "--empty-password"]));
        assert!(ok, "certutil -N failed: {text}");
        let (ok, text) = run(Command::new(tool("certutil"))
            .args([
                "-A",
                "-d",
                &db,
                "-n",
                "optimizer-sim CA",
                "-t",
                "CT,C,C",
                "-i",
            ])
            .arg(&ca));
        assert!(ok, "certutil -A failed: {text}");
        Self { dir, ca, nss }
    }

    /// Writes `bytes` to a scratch file.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// pdfsig's view of every signature.
    pub fn pdfsig(&self, pdf: &Path) -> Vec<PdfsigSignature> {
        let (_, text) = run(Command::new(tool("pdfsig"))
            .arg("-nssdir")
            .arg(format!("sql:{}", self.nss.display()))
            .arg(pdf));
        let mut sigs = Vec::new();
        let mut current: Option<PdfsigSignature> = None;
        for line in text.lines() {
            if line.starts_with("Signature #") {
                sigs.extend(current.take());
                current = Some(PdfsigSignature::default());
            }
            if let Some(sig) = current.as_mut() {
                sig.text.push_str(line);
                sig.text.push('\n');
                let line = line.trim();
                if line == "- Signature Validation: Signature is Valid." {
                    sig.valid = true;
                }
                if line == "- Certificate Validation: Certificate is Trusted." {
                    sig.trusted = true;
                }
                if line == "- Total document signed" {
                    sig.total_document_signed = true;
                }
            }
        }
        sigs.extend(current);
        assert!(
            !sigs.is_empty(),
            "pdfsig found no signature in {}:\n{text}",
            pdf.display()
        );
        sigs
    }

    /// pyHanko's view of every signature.
    pub fn pyhanko(&self, pdf: &Path) -> Vec<Value> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/validate_pdf.py");
        let out = Command::new(pyhanko_python())
            .arg(script)
            .arg(&self.ca)
            .arg(pdf)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pyHanko failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// Asserts that `pdf` holds `count` signatures, all intact, valid and trusted for both
    /// tools, the last one covering the whole file; returns pyHanko's report.
    pub fn assert_signed(&self, name: &str, pdf: &[u8], count: usize) -> Vec<Value> {
        let path = self.file(name, pdf);
        let poppler = self.pdfsig(&path);
        assert_eq!(poppler.len(), count, "pdfsig signature count of {name}");
        for sig in &poppler {
            assert!(
                sig.valid && sig.trusted,
                "pdfsig rejects {name}:\n{}",
                sig.text
            );
        }
        assert!(
            poppler.last().unwrap().total_document_signed,
            "pdfsig: last signature of {name} does not cover the file:\n{}",
            poppler.last().unwrap().text
        );
        let hanko = self.pyhanko(&path);
        assert_eq!(hanko.len(), count, "pyHanko signature count of {name}");
        for sig in &hanko {
            assert_eq!(sig["intact"], true, "pyHanko: {name} not intact: {sig}");
            assert_eq!(sig["valid"], true, "pyHanko: {name} not valid: {sig}");
            assert_eq!(sig["trusted"], true, "pyHanko: {name} not trusted: {sig}");
        }
        assert_eq!(
            hanko.last().unwrap()["coverage"],
            "ENTIRE_FILE",
            "pyHanko coverage of {name}"
        );
        hanko
    }

    /// pyHanko's validation of a detached CMS over `content`.
    pub fn assert_cms(&self, p7m: &[u8], content: &[u8]) -> Value {
        let p7m_path = self.file("sig.p7m", p7m);
        let content_path = self.file("content.bin", content);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sim/validate_cms.py");
        let out = Command::new(pyhanko_python())
            .arg(script)
            .arg(&self.ca)
            .arg(&p7m_path)
            .arg(&content_path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pyHanko CMS validation failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["intact"], true, "{report}");
        assert_eq!(report["trusted"], true, "{report}");
        let (ok, text) = run(Command::new(tool("openssl"))
            .args([
                "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any", "-in",
            ])
            .arg(&p7m_path)
            .arg("-content")
            .arg(&content_path)
            .arg("-CAfile")
            .arg(&self.ca)
            .args(["-out", "/dev/null"]));
        assert!(ok, "openssl cms -verify rejects the p7m: {text}");
        report
    }
}

/// Renders page 1 of a PDF in grey at 36 dpi (half a pixel per point) with pdftoppm.
pub fn render_first_page(pdf: &[u8]) -> (usize, usize, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).unwrap();
    let out = Command::new(tool("pdftoppm"))
        .args(["-f", "1", "-l", "1", "-r", "36", "-gray"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Binary PGM: "P5\n<w> <h>\n<max>\n" then the pixels.
    let data = out.stdout;
    let mut fields = Vec::new();
    let mut pos = 0;
    while fields.len() < 4 {
        while data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let start = pos;
        while !data[pos].is_ascii_whitespace() {
            pos += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..pos]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, data[pos + 1..pos + 1 + w * h].to_vec())
}

/// How many pixels of page 1 changed inside and outside `rect` (points, bottom-left origin).
pub fn changed_pixels(original: &[u8], signed: &[u8], rect: [f32; 4]) -> (usize, usize) {
    let (w, h, a) = render_first_page(original);
    let (w2, h2, b) = render_first_page(signed);
    assert_eq!((w, h), (w2, h2));
    let (mut inside, mut outside) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            if a[y * w + x].abs_diff(b[y * w + x]) < 16 {
                continue;
            }
            let (px, py) = (x as f32 * 2.0, (h - y) as f32 * 2.0);
            if px >= rect[0] - 2.0
                && px <= rect[2] + 2.0
                && py >= rect[1] - 2.0
                && py <= rect[3] + 2.0
            {
                inside += 1;
            } else {
                outside += 1;
            }
        }
    }
    (inside, outside)
}
