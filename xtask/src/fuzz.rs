//! `cargo xtask fuzz [--seconds N] [TARGET]`: the cargo-fuzz targets, each for a bounded time.
//!
//! Only stable Rust is installed here. cargo-fuzz passes `-Z` flags to rustc, which stable
//! accepts with `RUSTC_BOOTSTRAP=1`; without a sanitizer (`--sanitizer none`) nothing else from
//! nightly is needed (libfuzzer-sys builds libFuzzer with the C++ compiler). Sanitizer
//! coverage still guides libFuzzer through the Rust code; PDFium is a prebuilt library
//! without it.

use crate::paths::{target_dir, tools_dir, workspace_root};
use crate::shell;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fuzz target: its cargo-fuzz crate, its name and where its seeds come from.
struct Target {
    crate_dir: &'static str,
    name: &'static str,
    seeds: fn() -> Vec<PathBuf>,
}

const TARGETS: &[Target] = &[
    Target {
        crate_dir: "crates/oneshot-client/fuzz",
        name: "decode_responses",
        seeds: response_seeds,
    },
    Target {
        crate_dir: "crates/oneshot-client/fuzz",
        name: "webhook_payload",
        seeds: webhook_seeds,
    },
    Target {
        crate_dir: "crates/pdf-engine/fuzz",
        name: "open_render",
        seeds: pdf_seeds,
    },
];

/// Options of `cargo xtask fuzz`.
#[derive(clap::Args, Debug)]
pub struct FuzzArgs {
    /// Seconds per target.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Only this target (decode_responses, webhook_payload, open_render).
    pub target: Option<String>,
}

pub fn run(args: &FuzzArgs) -> Result<()> {
    let cargo_fuzz = cargo_fuzz();
    if !cargo_fuzz.is_file() {
        bail!(
            "cargo-fuzz is missing at {}: run `cargo xtask setup`",
            cargo_fuzz.display()
        );
    }
    let chosen: Vec<&Target> = TARGETS
        .iter()
        .filter(|t| args.target.as_deref().is_none_or(|name| name == t.name))
        .collect();
    if chosen.is_empty() {
        let names: Vec<_> = TARGETS.iter().map(|t| t.name).collect();
        bail!("no fuzz target named {:?} (known: {names:?})", args.target);
    }
    let root = workspace_root();
    for target in chosen {
        // Seeds are copied in: libFuzzer adds what it finds to the corpus folder.
        let corpus = target_dir().join("fuzz-corpus").join(target.name);
        std::fs::create_dir_all(&corpus)?;
        for seed in (target.seeds)() {
            if let Some(name) = seed.file_name() {
                let to = corpus.join(name);
                if !to.exists() {
                    std::fs::copy(&seed, &to)
                        .with_context(|| format!("copying seed {}", seed.display()))?;
                }
            }
        }
        eprintln!("fuzz: {} for {} s", target.name, args.seconds);
        shell::run(
            Command::new(&cargo_fuzz)
                .current_dir(root.join(target.crate_dir))
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_TARGET_DIR", target_dir().join("fuzz"))
                .env("ONESHOT_TOOLS_DIR", tools_dir())
                .env("ONESHOT_PDFIUM_PATH", pdfium_dir())
                .args(["run", "--sanitizer", "none", target.name])
                .arg(&corpus)
                .arg("--")
                .arg(format!("-max_total_time={}", args.seconds))
                .arg("-print_final_stats=1"),
        )
        .with_context(|| {
            format!(
                "fuzz target {} failed (a crash is saved under its artifacts/)",
                target.name
            )
        })?;
    }
    Ok(())
}

/// Where `cargo xtask setup` installs the pinned cargo-fuzz.
pub fn cargo_fuzz() -> PathBuf {
    tools_dir().join("cargo-fuzz/bin/cargo-fuzz")
}

fn pdfium_dir() -> PathBuf {
    let platform = crate::setup::pdfium::host_platform().unwrap_or("linux-x64");
    tools_dir().join("pdfium").join(platform)
}

/// JSON the tests use as the Optimizer's answers and webhook bodies.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found
}

fn response_seeds() -> Vec<PathBuf> {
    let root = workspace_root();
    let mut seeds = json_files(&root.join("crates/oneshot-client/fuzz/seeds/responses"));
    seeds.extend(json_files(&root.join("crates/desk-cli/tests/corpus")));
    seeds
}

fn webhook_seeds() -> Vec<PathBuf> {
    json_files(&workspace_root().join("crates/oneshot-client/fuzz/seeds/webhooks"))
}

/// Small real-world PDFs from Debian's documentation packages, and the hand-made corpus.
fn pdf_seeds() -> Vec<PathBuf> {
    let mut seeds: Vec<PathBuf> = ["/usr/share/doc/libtasn1-doc/libtasn1.pdf"]
        .iter()
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .collect();
    if let Ok(entries) = std::fs::read_dir(workspace_root().join("crates/desk-cli/tests/corpus")) {
        seeds.extend(
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "pdf")),
        );
    }
    seeds
}
