//! pdf-engine against its floor, bare pdfium-render, on the same pages in the same run:
//! open + first page of the 1300-page pgfmanual.pdf; per-page render + encode at 96, 150 and
//! 300 dpi; every format at 150 dpi; a full pass over the document with peak memory, each pass in
//! a fresh child process. Writes `<bench dir>/parts/pdf-engine.json` for `cargo xtask bench`.
//!
//! Run through `cargo xtask bench` (release build, report), or `cargo bench -p pdf-engine`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod report;

use criterion::{Criterion, SamplingMode};
use pdf_engine::pdfium_render::prelude::*;
use pdf_engine::{EngineConfig, ImageFormat, PdfEngine, RenderRequest, scale_for_dpi};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const DOCUMENT: &str = "/usr/share/doc/texlive-doc/generic/pgf/pgfmanual.pdf";
/// Pages spread over the whole manual: title, text, code listings, diagrams, index.
const SAMPLE_PAGES: usize = 24;
/// This benchmark's section of `cargo xtask bench`'s report (its part's id).
const SECTION: &str = "pdf-engine";
const CHILD_ENV: &str = "PDF_ENGINE_BENCH_CHILD";
const FULL_PASS_DPI: f32 = 96.0;
/// Full passes per mode; the report gives their median and spread.
const FULL_PASS_RUNS: usize = 3;

fn main() {
    let document = PathBuf::from(DOCUMENT);
    assert!(
        document.is_file(),
        "{DOCUMENT} is missing: the Debian package texlive-pictures-doc provides it (run `cargo xtask setup`)"
    );
    if let Ok(mode) = std::env::var(CHILD_ENV) {
        full_pass_child(&mode, &document);
        return;
    }
    // `cargo bench -- FILTER` (as `cargo xtask bench FILTER` runs it) hands the filter to every
    // bench binary; it names report sections, and this binary is the `pdf-engine` section. The
    // filter is not given to criterion: its benchmark ids never contain a section's name.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !SECTION.contains(f.as_str())) {
        return;
    }
    let bench_dir = report::bench_dir();
    let mut criterion = Criterion::default()
        .output_directory(&bench_dir.join("criterion"))
        .sample_size(20)
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(3));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let engine = PdfEngine::start(EngineConfig {
        // Every render must really render: no cache hits, no prefetch competing for the thread.
        cache_bytes: 0,
        prefetch_pages: 0,
        ..EngineConfig::default()
    })
    .expect("PDFium (run `cargo xtask setup`)");
    let page_count = runtime.block_on(async {
        let info = engine.open_file(&document, None).await.unwrap();
        engine.close(info.id).unwrap();
        info.page_count
    });
    let pages: Vec<u32> = (0..SAMPLE_PAGES as u32)
        .map(|i| i * (page_count - 1) / (SAMPLE_PAGES as u32 - 1))
        .collect();

    bench_open_first_page(&mut criterion, &runtime, &engine, &document);
    let all_formats = [
        ImageFormat::Png,
        ImageFormat::Webp,
        ImageFormat::Jpeg,
        ImageFormat::Rgba,
    ];
    let mut sizes = Vec::new();
    for dpi in [96.0, 150.0, 300.0] {
        // Every format at 150 dpi (the review screen's scale); the default one at the others.
        let formats: &[ImageFormat] = if dpi == 150.0 {
            &all_formats
        } else {
            &[ImageFormat::Png]
        };
        let measured = bench_render(
            &mut criterion,
            &runtime,
            &engine,
            &document,
            &pages,
            dpi,
            formats,
        );
        if dpi == 150.0 {
            sizes = measured;
        }
    }
    criterion.final_summary();

    // Modes take turns, so a busy moment of the machine does not land on one mode's passes.
    let mut passes = ["bare", "engine", "engine-small-cache"].map(|mode| (mode, Vec::new()));
    for _ in 0..FULL_PASS_RUNS {
        for (mode, runs) in &mut passes {
            runs.push(run_child(mode));
        }
    }
    report::write(&bench_dir, &document, page_count, &pages, &sizes, &passes);
}

fn bench_open_first_page(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    engine: &PdfEngine,
    doc: &Path,
) {
    let mut group = c.benchmark_group("open_first_page");
    group.sampling_mode(SamplingMode::Flat);
    let scale = scale_for_dpi(150.0);
    group.bench_function("engine", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let info = engine.open_file(doc, None).await.unwrap();
                    engine
                        .render(info.id, RenderRequest::page(0, scale))
                        .await
                        .unwrap();
                    engine.close(info.id).unwrap();
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("bare", |b| {
        b.iter_custom(|iters| {
            let doc = doc.to_path_buf();
            rt.block_on(engine.with_pdfium(move |pdfium| {
                let start = Instant::now();
                for _ in 0..iters {
                    let document = pdfium.load_pdf_from_file(&doc, None).unwrap();
                    let page = document.pages().get(0).unwrap();
                    let config = PdfRenderConfig::new().scale_page_by_factor(scale);
                    std::hint::black_box(page.render_with_config(&config).unwrap());
                }
                start.elapsed()
            }))
            .unwrap()
        })
    });
    group.finish();
}

/// Renders the sample pages round-robin, bare and through the engine in each format; returns
/// the average encoded size per format.
fn bench_render(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    engine: &PdfEngine,
    doc: &Path,
    pages: &[u32],
    dpi: f32,
    formats: &[ImageFormat],
) -> Vec<(ImageFormat, f64)> {
    let scale = scale_for_dpi(dpi);
    let mut group = c.benchmark_group(format!("render_{dpi}dpi"));
    group.sampling_mode(SamplingMode::Flat);
    let info = rt.block_on(engine.open_file(doc, None)).unwrap();
    let mut sizes = Vec::new();
    for &format in formats {
        let mut total = 0usize;
        for &page in pages {
            let request = RenderRequest::page(page, scale).with_format(format);
            total += rt
                .block_on(engine.render(info.id, request))
                .unwrap()
                .data
                .len();
        }
        sizes.push((format, total as f64 / pages.len() as f64));
        group.bench_function(format!("engine_{}", report::format_name(format)), |b| {
            let mut next = 0usize;
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let start = Instant::now();
                    for _ in 0..iters {
                        let page = pages[next % pages.len()];
                        next += 1;
                        let request = RenderRequest::page(page, scale).with_format(format);
                        std::hint::black_box(engine.render(info.id, request).await.unwrap());
                    }
                    start.elapsed()
                })
            })
        });
    }
    engine.close(info.id).unwrap();
    group.bench_function("bare", |b| {
        let mut next = 0usize;
        b.iter_custom(|iters| {
            let doc = doc.to_path_buf();
            let pages = pages.to_vec();
            let first = next;
            next += iters as usize;
            rt.block_on(engine.with_pdfium(move |pdfium| {
                let document = pdfium.load_pdf_from_file(&doc, None).unwrap();
                let config = PdfRenderConfig::new().scale_page_by_factor(scale);
                let start = Instant::now();
                for i in 0..iters as usize {
                    let page = document
                        .pages()
                        .get(pages[(first + i) % pages.len()] as i32)
                        .unwrap();
                    std::hint::black_box(page.render_with_config(&config).unwrap());
                }
                start.elapsed()
            }))
            .unwrap()
        })
    });
    group.finish();
    sizes
}

/// One full pass in a fresh process, so its peak RSS is its own.
fn run_child(mode: &str) -> report::FullPass {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env(CHILD_ENV, mode)
        .output()
        .expect("starting the full-pass child");
    assert!(
        output.status.success(),
        "full pass `{mode}` failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the child prints its figures as JSON")
}

fn full_pass_child(mode: &str, doc: &Path) {
    let scale = scale_for_dpi(FULL_PASS_DPI);
    let cache_bytes = match mode {
        "engine-small-cache" => 32 << 20,
        _ => EngineConfig::default().cache_bytes,
    };
    let engine = PdfEngine::start(EngineConfig {
        cache_bytes,
        ..EngineConfig::default()
    })
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let start = Instant::now();
    let pages = match mode {
        "bare" => {
            let doc = doc.to_path_buf();
            rt.block_on(engine.with_pdfium(move |pdfium| {
                let document = pdfium.load_pdf_from_file(&doc, None).unwrap();
                let config = PdfRenderConfig::new().scale_page_by_factor(scale);
                for page in document.pages().iter() {
                    std::hint::black_box(page.render_with_config(&config).unwrap());
                }
                document.pages().len() as u32
            }))
            .unwrap()
        }
        _ => rt.block_on(async {
            let info = engine.open_file(doc, None).await.unwrap();
            // Reading straight through: each page is visible in turn, the next ones prefetched.
            for page in 0..info.page_count {
                engine
                    .render(info.id, RenderRequest::page(page, scale))
                    .await
                    .unwrap();
            }
            info.page_count
        }),
    };
    let elapsed = start.elapsed();
    let pass = report::FullPass {
        mode: mode.to_string(),
        pages,
        seconds: elapsed.as_secs_f64(),
        peak_rss_bytes: report::peak_rss_bytes(),
        cache_budget_bytes: if mode == "bare" {
            0
        } else {
            cache_bytes as u64
        },
        cache_bytes_at_end: engine.cache_stats().bytes as u64,
    };
    println!("{}", serde_json::to_string(&pass).unwrap());
}
