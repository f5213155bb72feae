//! Any bytes through open + render + text: PDFium must answer with a document or a typed error,
//! never crash or hang. PDFium itself is a prebuilt library without coverage instrumentation, so
//! libFuzzer is guided by pdf-engine's own code; seed the corpus with real PDFs (README).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pdf_engine::{EngineConfig, ImageFormat, PdfEngine, RenderRequest};
use std::sync::LazyLock;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime")
});

static ENGINE: LazyLock<PdfEngine> = LazyLock::new(|| {
    PdfEngine::start(EngineConfig {
        cache_bytes: 0,
        prefetch_pages: 0,
        ..Default::default()
    })
    .expect("PDFium (run `cargo xtask setup`)")
});

fuzz_target!(|data: &[u8]| {
    let engine = &*ENGINE;
    RUNTIME.block_on(async {
        let Ok(info) = engine.open_bytes(data.to_vec(), None).await else {
            return;
        };
        for page in 0..info.page_count.min(2) {
            let request = RenderRequest::page(page, 0.25).with_format(ImageFormat::Png);
            let _ = engine.render(info.id, request).await;
            let _ = engine.page_text(info.id, page).await;
        }
        let _ = engine.close(info.id);
    });
});
