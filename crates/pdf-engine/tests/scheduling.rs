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

#[tokio::test]
async fn page_sizes_come_a_run_at_a_time_and_match_the_whole_list() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(40, |n| format!("page {n}")), None)
        .await
        .unwrap();
    let first = engine.page_sizes_range(info.id, 0, 25).await.unwrap();
    let rest = engine.page_sizes_range(info.id, 25, 1000).await.unwrap();
    assert_eq!(
        (first.len(), rest.len()),
        (25, 15),
        "clamped to the document"
    );
    let whole = engine.page_sizes(info.id).await.unwrap();
    assert_eq!([first, rest].concat(), *whole);
    // Once every size is known, runs come from memory.
    let again = engine.page_sizes_range(info.id, 38, 45).await.unwrap();
    assert_eq!(again, whole[38..].to_vec());
    assert!(
        engine
            .page_sizes_range(info.id, 50, 60)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn page_sizes_wait_for_queued_renders() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(3, |n| format!("page {n}")), None)
        .await
        .unwrap();
    let finished = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let release = hold_worker(&engine).await;
    let sizes = tokio::spawn({
        let (engine, finished) = (engine.clone(), finished.clone());
        async move {
            let sizes = engine.page_sizes_range(info.id, 0, 3).await.unwrap();
            finished.lock().unwrap().push("sizes");
            sizes
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let render = tokio::spawn({
        let (engine, finished) = (engine.clone(), finished.clone());
        async move {
            engine
                .render(info.id, RenderRequest::page(2, 1.0))
                .await
                .unwrap();
            finished.lock().unwrap().push("render");
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    drop(release);
    render.await.unwrap();
    assert_eq!(sizes.await.unwrap().len(), 3);
    // Asked for first, the sizes are background work: the render went ahead of them.
    assert_eq!(*finished.lock().unwrap(), ["render", "sizes"]);
}

#[tokio::test]
async fn pages_on_screen_render_before_pages_requested_earlier() {
    let engine = support::engine_with(EngineConfig {
        prefetch_pages: 0,
        ..EngineConfig::default()
    });
    let info = engine
        .open_bytes(text_document(8, |n| format!("page {n}")), None)
        .await
        .unwrap();
    let finished = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let release = hold_worker(&engine).await;
    let mut renders = Vec::new();
    // The reader scrolled from page 0 to page 6 while the worker was busy.
    for page in [0, 1, 2, 6] {
        let engine = engine.clone();
        let finished = finished.clone();
        renders.push(tokio::spawn(async move {
            engine
                .render(info.id, RenderRequest::page(page, 1.0))
                .await
                .unwrap();
            finished.lock().unwrap().push(page);
        }));
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    engine.focus(info.id, 6..=6).unwrap();
    drop(release);
    for render in renders {
        render.await.unwrap();
    }
    assert_eq!(finished.lock().unwrap().first(), Some(&6));
}
