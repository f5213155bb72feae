//! Bad, hostile and extreme input: every file either renders or gives a typed error.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{ImageFormat, PdfEngine, PdfError, RenderRequest, SecretString};
use support::pdf_writer::{huge_document, scanned_document, text_document};

/// Opens `bytes` and renders every page (at a small scale): each step may fail only with a
/// typed error that describes damaged input, never with anything else.
async fn open_and_render_all(engine: &PdfEngine, bytes: Vec<u8>) -> Result<u32, PdfError> {
    let info = engine.open_bytes(bytes, None).await?;
    let mut rendered = 0;
    for page in 0..info.page_count {
        match engine.render(info.id, RenderRequest::page(page, 0.3)).await {
            Ok(_) => rendered += 1,
            Err(err) => assert_eq!(err.code(), "pdf.malformed", "page {page}: {err}"),
        }
    }
    engine.close(info.id).unwrap();
    Ok(rendered)
}

#[tokio::test]
async fn files_that_are_not_pdfs_are_named_so() {
    let engine = support::engine();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("text", b"Dear customer, this is not a PDF.\n".to_vec()),
        ("png", png),
        ("zeros", vec![0; 4096]),
    ];
    for (name, bytes) in cases {
        let err = engine.open_bytes(bytes, None).await.unwrap_err();
        assert_eq!(err.code(), "pdf.not_a_pdf", "{name}: {err}");
    }
    let dir = tempfile::tempdir().unwrap();
    let empty = support::write(dir.path(), "empty.pdf", b"");
    let err = engine.open_file(&empty, None).await.unwrap_err();
    assert_eq!(err.code(), "pdf.not_a_pdf");
    let err = engine
        .open_file(dir.path().join("absent.pdf"), None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "pdf.io");
    assert!(err.to_string().contains("absent.pdf"), "{err}");
}

#[tokio::test]
async fn a_header_followed_by_garbage_is_malformed() {
    let engine = support::engine();
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut rng = support::pdf_writer::SplitMix(3);
    let mut noise = vec![0u8; 20_000];
    rng.fill(&mut noise);
    bytes.extend_from_slice(&noise);
    let err = engine.open_bytes(bytes, None).await.unwrap_err();
    assert_eq!(err.code(), "pdf.malformed", "{err}");
}

#[tokio::test]
async fn truncated_files_render_what_survives_or_are_malformed() {
    let engine = support::engine();
    let whole = text_document(12, |n| format!("line {n}"));
    for keep in [
        16,
        whole.len() / 4,
        whole.len() / 2,
        whole.len() * 9 / 10,
        whole.len() - 10,
    ] {
        let result = open_and_render_all(&engine, whole[..keep].to_vec()).await;
        if let Err(err) = result {
            assert_eq!(err.code(), "pdf.malformed", "kept {keep} bytes: {err}");
        }
    }
}

#[tokio::test]
async fn encrypted_files_need_the_right_password() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let plain = support::write(
        dir.path(),
        "plain.pdf",
        &text_document(2, |_| "secret".into()),
    );
    let locked = dir.path().join("locked.pdf");
    support::encrypt_with_qpdf(&plain, &locked);

    let err = engine.open_file(&locked, None).await.unwrap_err();
    assert!(matches!(err, PdfError::Encrypted), "{err}");
    assert_eq!(err.code(), "pdf.encrypted");
    let wrong = SecretString::from("guess");
    let err = engine.open_file(&locked, Some(wrong)).await.unwrap_err();
    assert_eq!(err.code(), "pdf.wrong_password");
    assert!(!err.to_string().contains("guess") && !format!("{err:?}").contains("guess"));

    let info = engine
        .open_file(&locked, Some(SecretString::from("user-secret")))
        .await
        .unwrap();
    assert_eq!(info.page_count, 2);
    assert!(info.metadata.encrypted);
    let text = engine.page_text(info.id, 0).await.unwrap();
    assert!(text.contains("secret"), "{text}");
    engine
        .render(info.id, RenderRequest::page(0, 0.5))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_thousand_page_document_opens_and_renders_its_last_page() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(1200, |n| format!("entry {n}")), None)
        .await
        .unwrap();
    assert_eq!(info.page_count, 1200);
    let last = engine
        .render(info.id, RenderRequest::page(1199, 0.5))
        .await
        .unwrap();
    assert_eq!(last.page, 1199);
    let text = engine.page_text(info.id, 1199).await.unwrap();
    assert!(text.contains("entry 1199"), "{text}");
}

#[tokio::test]
async fn a_file_over_100_mb_opens_lazily_and_renders_a_thumbnail() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(dir.path(), "huge.pdf", &huge_document(105 << 20));
    assert!(std::fs::metadata(&path).unwrap().len() > 100 << 20);
    let info = engine.open_file(&path, None).await.unwrap();
    assert_eq!(info.page_count, 1);
    let thumb = engine
        .thumbnail(info.id, 0, 160, ImageFormat::Jpeg)
        .await
        .unwrap();
    assert_eq!(thumb.height, 160);
}

#[tokio::test]
async fn a_scanned_document_renders_and_has_no_text() {
    let engine = support::engine();
    let info = engine.open_bytes(scanned_document(2), None).await.unwrap();
    assert_eq!(info.page_count, 2);
    let page = engine
        .render(
            info.id,
            RenderRequest::page(1, 1.0).with_format(ImageFormat::Jpeg),
        )
        .await
        .unwrap();
    assert_eq!((page.width, page.height), (612, 792));
    assert!(
        engine
            .page_text(info.id, 0)
            .await
            .unwrap()
            .trim()
            .is_empty()
    );
    let results = engine
        .search(info.id, "the", Default::default())
        .await
        .unwrap();
    assert!(results.hits.is_empty());
}

#[tokio::test]
async fn the_engine_keeps_working_after_bad_files() {
    let engine = support::engine();
    for bytes in [
        Vec::new(),
        b"%PDF-".to_vec(),
        b"%PDF-1.4\n1 0 obj << >> endobj\n".to_vec(),
    ] {
        let _ = engine.open_bytes(bytes, None).await;
    }
    let info = engine
        .open_bytes(text_document(1, |_| "still fine".into()), None)
        .await
        .unwrap();
    engine
        .render(info.id, RenderRequest::page(0, 1.0))
        .await
        .unwrap();
}
