//! The worker's scheduling: cache hits, the byte budget, prefetch, cancellation, priorities.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{
    CancelToken, DocumentId, EngineConfig, ImageFormat, PdfEngine, Priority, RenderRequest,
};
use std::sync::mpsc;
use support::pdf_writer::text_document;

/// Holds the PDFium thread until the returned sender is dropped or sent to, so tests can queue
/// work behind it deterministically.
async fn hold_worker(engine: &PdfEngine) -> mpsc::Sender<()> {
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let engine = engine.clone();
    tokio::spawn(async move {
        engine
            .with_pdfium(move |_| {
                let _ = started_tx.send(());
                let _ = release_rx.recv();
            })
            .await
            .unwrap();
    });
    started_rx.await.unwrap();
    release_tx
}

/// Waits until everything queued before it (interactive and prefetch work) has run: searches
/// are background work, the last class served.
async fn drain(engine: &PdfEngine, id: DocumentId) {
    engine.search(id, "x", Default::default()).await.unwrap();
}

#[tokio::test]
async fn a_second_render_comes_from_the_cache() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(1, |_| "cached".into()), None)
        .await
        .unwrap();
    let first = engine
        .render(info.id, RenderRequest::page(0, 1.0))
        .await
        .unwrap();
    let stats = engine.cache_stats();
    assert_eq!(stats.entries, 1);
    assert_eq!(stats.bytes, first.data.len());
    // While the worker is busy, a cached page is still answered at once.
    let release = hold_worker(&engine).await;
    let second = engine
        .render(info.id, RenderRequest::page(0, 1.0))
        .await
        .unwrap();
    assert_eq!(
        first.data.as_ptr(),
        second.data.as_ptr(),
        "the same shared bytes"
    );
    drop(release);
}

#[tokio::test]
async fn the_cache_stays_within_its_byte_budget() {
    let budget = 150_000;
    let engine = support::engine_with(EngineConfig {
        cache_bytes: budget,
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(30, |n| format!("page {n}")), None)
        .await
        .unwrap();
    for page in 0..30 {
        let request = RenderRequest::page(page, 1.0).with_format(ImageFormat::Png);
        engine.render(info.id, request).await.unwrap();
        assert!(engine.cache_stats().bytes <= budget);
    }
    let stats = engine.cache_stats();
    assert!(stats.entries > 1 && stats.entries < 30, "{stats:?}");
}

#[tokio::test]
async fn a_visible_render_prefetches_the_next_pages() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 2,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(5, |_| String::new()), None)
        .await
        .unwrap();
    engine
        .render(info.id, RenderRequest::page(1, 0.5))
        .await
        .unwrap();
    drain(&engine, info.id).await;
    assert_eq!(engine.cache_stats().entries, 3, "pages 1, 2 and 3");
    // Pages 2 and 3 are served from the cache now, without waiting for the worker.
    let release = hold_worker(&engine).await;
    for page in [2, 3] {
        engine
            .render(info.id, RenderRequest::page(page, 0.5))
            .await
            .unwrap();
    }
    drop(release);
}

#[tokio::test]
async fn prefetching_stops_at_the_last_page() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 3,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(2, |_| String::new()), None)
        .await
        .unwrap();
    engine
        .render(info.id, RenderRequest::page(1, 0.5))
        .await
        .unwrap();
    drain(&engine, info.id).await;
    assert_eq!(engine.cache_stats().entries, 1);
}

#[tokio::test]
async fn a_cancelled_render_is_dropped_before_rendering() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(2, |_| String::new()), None)
        .await
        .unwrap();
    let release = hold_worker(&engine).await;
    let token = CancelToken::new();
    let mut request = RenderRequest::page(0, 1.0);
    request.cancel = Some(token.clone());
    let pending = tokio::spawn({
        let engine = engine.clone();
        async move { engine.render(info.id, request).await }
    });
    // The request is queued behind the held worker; the page scrolls away.
    tokio::task::yield_now().await;
    token.cancel();
    drop(release);
    let err = pending.await.unwrap().unwrap_err();
    assert_eq!(err.code(), "pdf.cancelled");
    assert_eq!(engine.cache_stats().entries, 0, "nothing was rendered");
}

#[tokio::test]
async fn a_render_whose_caller_stopped_waiting_is_not_rendered() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(1, |_| String::new()), None)
        .await
        .unwrap();
    let release = hold_worker(&engine).await;
    let abandoned = tokio::spawn({
        let engine = engine.clone();
        async move { engine.render(info.id, RenderRequest::page(0, 1.0)).await }
    });
    tokio::task::yield_now().await;
    abandoned.abort();
    let _ = abandoned.await;
    drop(release);
    drain(&engine, info.id).await;
    assert_eq!(engine.cache_stats().entries, 0);
}

#[tokio::test]
async fn visible_pages_go_before_queued_prefetches() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(4, |_| String::new()), None)
        .await
        .unwrap();
    let release = hold_worker(&engine).await;
    let (order_tx, mut order_rx) = tokio::sync::mpsc::unbounded_channel();
    for (page, priority) in [
        (0, Priority::Prefetch),
        (1, Priority::Prefetch),
        (2, Priority::Visible),
    ] {
        let engine = engine.clone();
        let order_tx = order_tx.clone();
        let mut request = RenderRequest::page(page, 0.5);
        request.priority = priority;
        tokio::spawn(async move {
            engine.render(info.id, request).await.unwrap();
            order_tx.send(page).unwrap();
        });
    }
    drop(order_tx);
    // Let all three requests reach the queue before the worker is released.
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    drop(release);
    let mut order = Vec::new();
    while let Some(page) = order_rx.recv().await {
        order.push(page);
    }
    assert_eq!(order[0], 2, "the visible page first: {order:?}");
}

#[tokio::test]
async fn closing_a_document_frees_its_cached_pages() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let a = engine
        .open_bytes(text_document(1, |_| String::new()), None)
        .await
        .unwrap();
    let b = engine
        .open_bytes(text_document(1, |_| String::new()), None)
        .await
        .unwrap();
    engine
        .render(a.id, RenderRequest::page(0, 0.5))
        .await
        .unwrap();
    engine
        .render(b.id, RenderRequest::page(0, 0.5))
        .await
        .unwrap();
    engine.close(a.id).unwrap();
    assert_eq!(engine.cache_stats().entries, 1);
    assert_eq!(
        engine.close(a.id).unwrap_err().code(),
        "pdf.unknown_document"
    );
}
