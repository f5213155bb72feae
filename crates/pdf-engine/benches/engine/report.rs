//! Turns criterion's estimates and the full passes into this benchmark's part of the project
//! report: `<bench dir>/parts/pdf-engine.json`, in the fragment format `cargo xtask bench` merges
//! (see `xtask/src/bench.rs`).

use pdf_engine::ImageFormat;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// `ONESHOT_BENCH_DIR` (set by `cargo xtask bench`), else `<target dir>/bench`.
pub fn bench_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("ONESHOT_BENCH_DIR") {
        return PathBuf::from(dir);
    }
    // The bench binary lives in <target>/<profile>/deps/.
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .expect("the bench binary is inside a target directory")
        .join("bench")
}

pub fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Webp => "webp",
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpeg",
        ImageFormat::Rgba => "rgba",
        ImageFormat::Auto => "auto",
    }
}

/// One full pass over the document, measured in its own process.
#[derive(Debug, Serialize, Deserialize)]
pub struct FullPass {
    pub mode: String,
    pub pages: u32,
    pub seconds: f64,
    pub peak_rss_bytes: u64,
    pub cache_budget_bytes: u64,
    pub cache_bytes_at_end: u64,
}

/// The process's peak resident set (`VmHWM`), in bytes; 0 where /proc is not available.
pub fn peak_rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let kb = line
                    .strip_prefix("VmHWM:")?
                    .trim()
                    .strip_suffix("kB")?
                    .trim();
                kb.parse::<u64>().ok()
            })
        })
        .map_or(0, |kb| kb * 1024)
}

/// What the engine holds beside its cache during a pass: the reused RGBA buffer and RGB scratch
/// (~6 MiB at 96 dpi), one encoded page in flight, the worker's stack, allocator slack.
const WORKING_SET: u64 = 16 << 20;

/// Median and median absolute deviation of one criterion benchmark, in milliseconds.
struct Estimate {
    median_ms: f64,
    mad_ms: f64,
}

fn estimate(dir: &Path, group: &str, function: &str) -> Estimate {
    let path = dir
        .join("criterion")
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("criterion wrote no {}: {e}", path.display()));
    let json: Value = serde_json::from_str(&text).unwrap();
    let ns = |key: &str| json[key]["point_estimate"].as_f64().unwrap_or(f64::NAN);
    Estimate {
        median_ms: ns("median") / 1e6,
        mad_ms: ns("median_abs_dev") / 1e6,
    }
}

fn figure(name: &str, e: &Estimate) -> Value {
    json!({
        "name": name,
        "unit": "ms",
        "median": round(e.median_ms),
        "spread": round(e.mad_ms),
        "spread_kind": "median absolute deviation",
    })
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn mad(values: &[f64]) -> f64 {
    let m = median(values);
    median(&values.iter().map(|v| (v - m).abs()).collect::<Vec<_>>())
}

fn mib(bytes: u64) -> f64 {
    round(bytes as f64 / (1024.0 * 1024.0))
}

pub fn write(
    dir: &Path,
    document: &Path,
    page_count: u32,
    pages: &[u32],
    sizes: &[(ImageFormat, f64)],
    passes: &[(&str, Vec<FullPass>)],
) {
    let mut figures = Vec::new();
    let mut targets = Vec::new();

    let open_engine = estimate(dir, "open_first_page", "engine");
    let open_bare = estimate(dir, "open_first_page", "bare");
    let default = format_name(ImageFormat::default());
    figures.push(figure(
        &format!("open + first page at 150 dpi, engine ({default})"),
        &open_engine,
    ));
    figures.push(figure(
        "open + first page at 150 dpi, bare pdfium-render (bitmap)",
        &open_bare,
    ));
    targets.push(json!({
        "name": format!("first page of a {page_count}-page document ready"),
        "unit": "ms",
        "figure": round(open_engine.median_ms),
        "baseline": round(open_bare.median_ms),
        "ratio": round(open_engine.median_ms / open_bare.median_ms),
        "target": "< 100 ms",
        "met": open_engine.median_ms < 100.0,
    }));

    for dpi in ["96", "150", "300"] {
        let group = format!("render_{dpi}dpi");
        let engine = estimate(dir, &group, &format!("engine_{default}"));
        let bare = estimate(dir, &group, "bare");
        figures.push(figure(
            &format!("page render + encode at {dpi} dpi, engine ({default})"),
            &engine,
        ));
        figures.push(figure(
            &format!("page render at {dpi} dpi, bare pdfium-render"),
            &bare,
        ));
        let ratio = engine.median_ms / bare.median_ms;
        targets.push(json!({
            "name": format!("render + encode at {dpi} dpi vs bare rendering"),
            "unit": "ms",
            "figure": round(engine.median_ms),
            "baseline": round(bare.median_ms),
            "ratio": round(ratio),
            "target": "ratio <= 1.5",
            "met": ratio <= 1.5,
        }));
    }
    for (format, _) in sizes.iter().filter(|(f, _)| *f != ImageFormat::default()) {
        let name = format_name(*format);
        let e = estimate(dir, "render_150dpi", &format!("engine_{name}"));
        figures.push(figure(
            &format!("page render + encode at 150 dpi, engine ({name})"),
            &e,
        ));
    }
    for (format, avg) in sizes {
        figures.push(json!({
            "name": format!("average page image at 150 dpi ({})", format_name(*format)),
            "unit": "KiB",
            "median": round(avg / 1024.0),
            "spread": null,
            "spread_kind": "mean over the sample pages",
        }));
    }

    let runs = |mode: &str| -> &[FullPass] {
        &passes
            .iter()
            .find(|(m, _)| *m == mode)
            .expect("every pass ran")
            .1
    };
    let peak_mib =
        |runs: &[FullPass]| -> Vec<f64> { runs.iter().map(|p| mib(p.peak_rss_bytes)).collect() };
    let bare_peak = median(&peak_mib(runs("bare")));
    for (mode, runs) in passes {
        let pages = runs.first().map_or(0, |p| p.pages);
        let peaks = peak_mib(runs);
        let seconds: Vec<f64> = runs.iter().map(|p| p.seconds).collect();
        figures.push(json!({
            "name": format!("full pass over {pages} pages at 96 dpi ({mode}): peak RSS ({} runs)", runs.len()),
            "unit": "MiB",
            "median": round(median(&peaks)),
            "spread": round(mad(&peaks)),
            "spread_kind": "median absolute deviation",
        }));
        figures.push(json!({
            "name": format!("full pass over {pages} pages at 96 dpi ({mode}): wall time ({} runs)", runs.len()),
            "unit": "s",
            "median": round(median(&seconds)),
            "spread": round(mad(&seconds)),
            "spread_kind": "median absolute deviation",
        }));
    }
    for mode in ["engine", "engine-small-cache"] {
        let runs = runs(mode);
        let peak = median(&peak_mib(runs));
        let budget = mib(runs[0].cache_budget_bytes);
        targets.push(json!({
            "name": format!("peak memory of a full pass ({mode}, cache {budget} MiB)"),
            "unit": "MiB",
            "figure": round(peak),
            "baseline": round(bare_peak),
            "ratio": round(peak / bare_peak.max(f64::MIN_POSITIVE)),
            "target": format!("peak - bare peak <= cache budget + {} MiB working set", WORKING_SET >> 20),
            "met": peak - bare_peak <= budget + mib(WORKING_SET),
        }));
    }

    let part = json!({
        "id": super::SECTION,
        "title": "PDF engine (pdf-engine over pdfium-render, floor: bare pdfium-render)",
        "context": [
            format!("document: {} ({page_count} pages, {} bytes)", document.display(),
                std::fs::metadata(document).map(|m| m.len()).unwrap_or(0)),
            format!("per-page figures: pages {:?} rendered round-robin, no cache hits, no prefetch", pages),
            "bare = pdfium-render's render_with_config into a fresh bitmap on the same PDFium thread, no encoding".to_string(),
            "full passes run in fresh child processes, the modes taking turns; peak RSS is VmHWM from /proc/self/status".to_string(),
        ],
        "figures": figures,
        "targets": targets,
    });
    let parts = dir.join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    let path = parts.join("pdf-engine.json");
    std::fs::write(&path, serde_json::to_string_pretty(&part).unwrap()).unwrap();
    eprintln!("pdf-engine bench: wrote {}", path.display());
}
