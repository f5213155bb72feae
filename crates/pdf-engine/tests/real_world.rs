//! Real-world PDFs from Debian documentation packages: TeX manuals with thousands of pages,
//! fonts, vector graphics and images.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{ImageFormat, RenderRequest, SearchOptions, scale_for_dpi};

#[tokio::test]
async fn real_world_manuals_open_render_and_search() {
    let engine = support::engine();
    for doc in support::REAL_WORLD {
        let path = support::real_world(doc);
        let info = engine.open_file(&path, None).await.unwrap();
        assert!(
            info.page_count >= doc.min_pages,
            "{}: {} pages",
            doc.path,
            info.page_count
        );
        for page in [0, info.page_count / 2, info.page_count - 1] {
            let image = engine
                .render(info.id, RenderRequest::page(page, scale_for_dpi(96.0)))
                .await
                .unwrap_or_else(|e| panic!("{} page {page}: {e}", doc.path));
            assert!(image.width > 100 && image.height > 100);
        }
        // Search the first pages only: a whole 2000-page manual is a benchmark, not a test.
        let options = SearchOptions {
            max_hits: 3,
            ..SearchOptions::default()
        };
        let results = engine.search(info.id, doc.word, options).await.unwrap();
        assert!(!results.hits.is_empty(), "{}: no `{}`", doc.path, doc.word);
        engine.close(info.id).unwrap();
    }
}

#[tokio::test]
async fn the_pgf_manual_inspects_as_a_1300_page_a4_document() {
    let engine = support::engine();
    let path = support::real_world(&support::PGFMANUAL);
    let report = engine.inspect(&path, None).await.unwrap();
    assert!(report.page_count > 1300, "{}", report.page_count);
    assert!(
        report
            .metadata
            .producer
            .as_deref()
            .unwrap_or_default()
            .contains("TeX")
    );
    let a4_pages: u32 = report
        .page_sizes
        .iter()
        .filter(|run| pdf_engine::paper_name(run.size) == Some("A4"))
        .map(|run| run.last - run.first + 1)
        .sum();
    assert!(a4_pages > 1000, "{a4_pages}");
    let engine_thumbs = engine.open_file(&path, None).await.unwrap();
    for page in 0..8 {
        let thumb = engine
            .thumbnail(engine_thumbs.id, page, 180, ImageFormat::Webp)
            .await
            .unwrap();
        assert_eq!(thumb.height, 180);
    }
}
