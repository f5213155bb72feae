//! A bounded, deterministic fuzz run on the stable toolchain: seed PDFs mutated with a seeded RNG
//! (bit flips, interesting bytes, number and keyword edits, cuts, duplications, splices) go
//! through open + render + text + search. Every case must end, within a time limit, in success
//! or a typed error about the input. The coverage-guided cargo-fuzz target in `fuzz/` goes
//! further where a nightly toolchain exists.
//!
//! `PDF_ENGINE_FUZZ_ITERATIONS` (default 300) and `PDF_ENGINE_FUZZ_SEED` make longer or other
//! runs: `PDF_ENGINE_FUZZ_ITERATIONS=20000 cargo test --release -p pdf-engine --test fuzz_stable`.
//! A failing case is written to the system temp directory for replay.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{ImageFormat, PdfEngine, RenderRequest, SearchOptions};
use std::time::Duration;
use support::pdf_writer::{
    A4, PageContent, PageSpec, SplitMix, document, scanned_document, text_document,
};

/// Errors that describe the input; anything else from a mutated file is a bug.
const INPUT_ERRORS: &[&str] = &[
    "pdf.not_a_pdf",
    "pdf.malformed",
    "pdf.encrypted",
    "pdf.unsupported_encryption",
    "pdf.too_large_render",
];

/// Far above any honest case (milliseconds); only a hang reaches it.
const CASE_LIMIT: Duration = Duration::from_secs(60);

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        text_document(3, |n| {
            format!("Seed text (line {n}) with [brackets] and <hex>")
        }),
        scanned_document(1),
        document(
            vec![
                PageSpec {
                    size: A4,
                    rotate: 90,
                    content: PageContent::Text(vec!["turned".into()]),
                },
                PageSpec {
                    size: (200.0, 100.0),
                    rotate: 270,
                    content: PageContent::Text(vec![]),
                },
            ],
            "Rotated",
        ),
    ];
    // A real TeX-produced file: object streams, compressed xref, embedded fonts.
    let real = support::real_world(&support::REAL_WORLD[1]);
    seeds.push(std::fs::read(real).unwrap());
    seeds
}

const KEYWORDS: &[&[u8]] = &[
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"xref",
    b"trailer",
    b"startxref",
    b" R",
    b"/Length",
    b"/Filter",
    b"/FlateDecode",
    b"/Type",
    b"/Page",
    b"/Kids",
    b"/Count",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"(",
    b")",
    b"%%EOF",
    b"/Root",
    b"/Size",
    b"/W",
    b"/Index",
    b"/Prev",
];
const INTERESTING: &[&[u8]] = &[
    b"0",
    b"-1",
    b"4294967295",
    b"2147483647",
    b"99999999999",
    b"1e308",
    b"NaN",
    b"\xff",
    b"\x00",
    b" ",
    b"\n",
    b"/",
    b"<>",
    b"()",
    b"[[[[[[[[[[[[[[[[[[[[",
    b"<<<<<<<<<<<<<<<<",
];

fn mutate(rng: &mut SplitMix, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len() as u64) as usize].clone();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        if data.is_empty() {
            data.extend_from_slice(b"%PDF-1.4\n");
        }
        let len = data.len() as u64;
        let at = rng.below(len) as usize;
        match rng.below(9) {
            0 => data[at] ^= 1 << rng.below(8),
            1 => data[at] = rng.next_u64() as u8,
            2 => {
                let with = INTERESTING[rng.below(INTERESTING.len() as u64) as usize];
                data.splice(at..at, with.iter().copied());
            }
            3 => {
                // Edit a number: PDF structure lives in offsets, lengths and counts.
                if let Some(pos) = data[at..].iter().position(u8::is_ascii_digit) {
                    let i = at + pos;
                    data[i] = b'0' + rng.below(10) as u8;
                }
            }
            4 => {
                let keyword = KEYWORDS[rng.below(KEYWORDS.len() as u64) as usize];
                if let Some(pos) = find(&data[at..], keyword) {
                    let other = KEYWORDS[rng.below(KEYWORDS.len() as u64) as usize];
                    let i = at + pos;
                    data.splice(i..i + keyword.len(), other.iter().copied());
                }
            }
            5 => data.truncate(at),
            6 => {
                let end = (at + 1 + rng.below(4096) as usize).min(data.len());
                data.drain(at..end);
            }
            7 => {
                let end = (at + 1 + rng.below(2048) as usize).min(data.len());
                let chunk = data[at..end].to_vec();
                let to = rng.below(data.len() as u64) as usize;
                data.splice(to..to, chunk);
            }
            _ => {
                let other = &seeds[rng.below(seeds.len() as u64) as usize];
                let from = rng.below(other.len() as u64) as usize;
                let end = (from + 1 + rng.below(8192) as usize).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
        }
    }
    data
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

async fn exercise(engine: &PdfEngine, data: Vec<u8>) -> Result<(), String> {
    let check = |err: pdf_engine::PdfError| {
        if INPUT_ERRORS.contains(&err.code()) {
            Ok(())
        } else {
            Err(format!("{}: {err}", err.code()))
        }
    };
    let info = match engine.open_bytes(data, None).await {
        Ok(info) => info,
        Err(err) => return check(err),
    };
    let pages = info.page_count.min(3);
    for page in 0..pages {
        let request = RenderRequest::page(page, 0.25).with_format(ImageFormat::Png);
        if let Err(err) = engine.render(info.id, request).await {
            check(err)?;
        }
    }
    if pages > 0
        && let Err(err) = engine.page_text(info.id, 0).await
    {
        check(err)?;
    }
    let options = SearchOptions {
        max_hits: 5,
        ..SearchOptions::default()
    };
    if let Err(err) = engine.search(info.id, "e", options).await {
        check(err)?;
    }
    if let Err(err) = engine.page_sizes(info.id).await {
        check(err)?;
    }
    engine.close(info.id).map_err(|e| e.to_string())
}

#[tokio::test]
async fn mutated_pdfs_render_or_fail_with_typed_errors() {
    let iterations = env_number("PDF_ENGINE_FUZZ_ITERATIONS", 300);
    let seed = env_number("PDF_ENGINE_FUZZ_SEED", 0x0005_eed5);
    let engine = support::engine_with(pdf_engine::EngineConfig {
        prefetch_pages: 0,
        cache_bytes: 0,
        ..Default::default()
    });
    let seeds = seeds();
    let mut rng = SplitMix(seed);
    let mut opened = 0;
    for iteration in 0..iterations {
        let case = mutate(&mut rng, &seeds);
        let outcome = tokio::time::timeout(CASE_LIMIT, exercise(&engine, case.clone())).await;
        let failure = match outcome {
            Err(_) => Some("no answer within the time limit (hang)".to_string()),
            Ok(Err(message)) => Some(message),
            Ok(Ok(())) => None,
        };
        if let Some(failure) = failure {
            let path = std::env::temp_dir().join(format!("pdf-engine-fuzz-{seed}-{iteration}.pdf"));
            std::fs::write(&path, &case).unwrap();
            panic!(
                "case {iteration} (seed {seed}): {failure}; input saved as {}",
                path.display()
            );
        }
        if case.starts_with(b"%PDF") {
            opened += 1;
        }
    }
    assert!(opened > 0, "the mutations kept some files PDF-like");
}
