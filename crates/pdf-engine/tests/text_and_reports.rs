//! Text, search, `inspect` and `render_to_file`.
#![allow(clippy::unwrap_used)]

mod support;

use pdf_engine::{ImageFormat, RenderToFile, SearchOptions};
use support::pdf_writer::text_document;

#[tokio::test]
async fn page_text_is_extracted_in_reading_order() {
    let engine = support::engine();
    let info = engine
        .open_bytes(text_document(2, |n| format!("Invoice {n}")), None)
        .await
        .unwrap();
    let text = engine.page_text(info.id, 1).await.unwrap();
    let page = text.find("Page 2").unwrap();
    let invoice = text.find("Invoice 1").unwrap();
    assert!(page < invoice, "{text}");
    let err = engine.page_text(info.id, 9).await.unwrap_err();
    assert_eq!(err.code(), "pdf.page_out_of_range");
}

#[tokio::test]
async fn search_finds_every_hit_with_rectangles_on_the_page() {
    let engine = support::engine();
    let pdf = text_document(20, |n| {
        if n % 5 == 0 {
            "the Signature block".into()
        } else {
            "filler".into()
        }
    });
    let info = engine.open_bytes(pdf, None).await.unwrap();
    let results = engine
        .search(info.id, "signature", SearchOptions::default())
        .await
        .unwrap();
    assert!(!results.truncated);
    assert_eq!(
        results.hits.iter().map(|h| h.page).collect::<Vec<_>>(),
        vec![0, 5, 10, 15]
    );
    for hit in &results.hits {
        assert_eq!(hit.text.to_lowercase(), "signature");
        assert_eq!(hit.rects.len(), 1);
        let r = hit.rects[0];
        // The second text line sits ~50-80 pt below the top of an A4 page, left margin 72 pt.
        assert!(r.x > 72.0 && r.x < 300.0, "{r:?}");
        assert!(r.y > 40.0 && r.y < 100.0, "{r:?}");
        assert!(
            r.width > 40.0 && r.width < 120.0 && r.height > 5.0 && r.height < 30.0,
            "{r:?}"
        );
    }
    let exact = SearchOptions {
        match_case: true,
        ..SearchOptions::default()
    };
    assert!(
        engine
            .search(info.id, "signature", exact)
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    let limited = SearchOptions {
        max_hits: 2,
        ..SearchOptions::default()
    };
    let results = engine.search(info.id, "signature", limited).await.unwrap();
    assert_eq!(results.hits.len(), 2);
    assert!(results.truncated);
    assert_eq!(
        engine
            .search(info.id, "", limited)
            .await
            .unwrap_err()
            .code(),
        "pdf.invalid_request"
    );
}

#[tokio::test]
async fn inspect_reports_pages_metadata_and_no_signatures() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let path = support::write(dir.path(), "doc.pdf", &text_document(3, |_| String::new()));
    let report = engine.inspect(&path, None).await.unwrap();
    assert_eq!(report.page_count, 3);
    assert_eq!(report.page_sizes.len(), 1);
    assert_eq!(
        (report.page_sizes[0].first, report.page_sizes[0].last),
        (1, 3)
    );
    assert!(report.signatures.is_empty());
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["page_count"], 3);
    assert_eq!(json["metadata"]["title"], "Generated text document");
    let text = report.to_string();
    assert!(text.contains("Pages:      3"), "{text}");
    assert!(text.contains("pages 1-3: 595.0 x 842.0 pt (A4)"), "{text}");
    assert!(text.contains("Signatures: none"), "{text}");
    assert!(text.contains("PDFium"), "{text}");
}

#[tokio::test]
async fn render_to_file_writes_the_format_of_the_extension() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let input = support::write(dir.path(), "in.pdf", &text_document(2, |_| "x".into()));
    for (name, magic) in [
        ("p.webp", &b"RIFF"[..]),
        ("p.png", &b"\x89PNG"[..]),
        ("p.jpg", &[0xFF, 0xD8][..]),
    ] {
        let output = dir.path().join(name);
        let image = engine
            .render_to_file(RenderToFile {
                input: input.clone(),
                page_number: 2,
                scale: 1.0,
                output: output.clone(),
                password: None,
            })
            .await
            .unwrap();
        assert_eq!(image.page, 1);
        let written = std::fs::read(&output).unwrap();
        assert!(written.starts_with(magic), "{name}");
        assert_eq!(written.len(), image.data.len());
    }
    let job = |page_number, output: &str| RenderToFile {
        input: input.clone(),
        page_number,
        scale: 1.0,
        output: dir.path().join(output),
        password: None,
    };
    assert_eq!(
        engine
            .render_to_file(job(1, "p.gif"))
            .await
            .unwrap_err()
            .code(),
        "pdf.invalid_request"
    );
    assert_eq!(
        engine
            .render_to_file(job(0, "p.png"))
            .await
            .unwrap_err()
            .code(),
        "pdf.invalid_request"
    );
    let err = engine.render_to_file(job(3, "late.png")).await.unwrap_err();
    assert_eq!(err.code(), "pdf.page_out_of_range");
    assert!(
        !dir.path().join("late.png").exists(),
        "no file for a failed render"
    );
    assert_eq!(ImageFormat::from_extension("JPEG"), Some(ImageFormat::Jpeg));
}

#[test]
fn the_library_check_names_the_library_in_use() {
    let info = pdf_engine::check_library(&Default::default()).unwrap();
    let text = info.to_string();
    assert!(text.starts_with("PDFium"), "{text}");
    if let Some(version) = info.version {
        assert!(version.build >= 8000, "{version}");
    }
}

#[tokio::test]
async fn inspect_names_the_signer_and_the_coverage_of_each_signature() {
    let engine = support::engine();
    let dir = tempfile::tempdir().unwrap();
    let plain = support::write(
        dir.path(),
        "plain.pdf",
        &text_document(2, |_| "Agreement".into()),
    );
    let signed = dir.path().join("signed.pdf");
    support::sign_with_pyhanko(&plain, &signed);

    let report = engine.inspect(&signed, None).await.unwrap();
    assert_eq!(report.signatures.len(), 1);
    let s = &report.signatures[0];
    assert_eq!(s.source, pdf_engine::SignatureSource::PdfSignature);
    assert_eq!(s.signer.as_deref(), Some("Ada Lovelace"));
    assert_eq!(s.reason.as_deref(), Some("Contract"));
    assert_eq!(s.field_name.as_deref(), Some("Sig1"));
    assert_eq!(s.covers_whole_file, Some(true));
    assert_eq!(s.integrity.as_deref(), Some("integrity.intact"));
    assert!(s.signing_time.is_some());
    let text = report.to_string();
    assert!(text.contains("Signer:    Ada Lovelace"), "{text}");
    assert!(text.contains("Covers:    the whole file"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["signatures"][0]["covers_whole_file"], true);

    // The signed page still renders, appearance included.
    let info = engine.open_file(&signed, None).await.unwrap();
    engine
        .render(info.id, pdf_engine::RenderRequest::page(0, 1.0))
        .await
        .unwrap();

    // Bytes appended after signing: the signature no longer covers the file.
    let mut bytes = std::fs::read(&signed).unwrap();
    bytes.extend_from_slice(b"\n% appended after signing\n");
    let changed = support::write(dir.path(), "changed.pdf", &bytes);
    let report = engine.inspect(&changed, None).await.unwrap();
    assert_eq!(report.signatures[0].covers_whole_file, Some(false));
    assert!(report.to_string().contains("NOT the whole file"));
}
