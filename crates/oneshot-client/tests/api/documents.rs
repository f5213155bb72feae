use crate::support::multipart::parts;
use crate::support::{Api, current, legacy, pdf_bytes, raw};
use oneshot_client::{
    DocumentKind, DocumentUid, ErrorCode, FileInput, Layout, LayoutMode, Progress, RequestPk,
    TransferControl,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use wiremock::matchers::query_param;
use wiremock::{Request, Respond, ResponseTemplate};

/// Answers an upload the way each layout does, listing entries in *reverse* order so the client
/// must match them by field name. Uids are `uid-<file name>`.
struct UploadAnswer(Layout);

impl Respond for UploadAnswer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let form = parts(request);
        let uid = |p: &crate::support::multipart::FormPart| {
            format!("uid-{}", p.file_name.clone().unwrap_or_default())
        };
        match (self.0, form.len()) {
            (Layout::Current, 1) => current::ok_detail(json!({"name": form[0].name, "uid": uid(&form[0])})),
            (Layout::Current, _) => current::ok_detail(Value::Array(
                form.iter().rev().map(|p| json!({"name": p.name, "uid": uid(p)})).collect(),
            )),
            (Layout::Legacy, 1) => legacy::ok(json!(uid(&form[0]))),
            (Layout::Legacy, _) => legacy::ok(Value::Array(
                form.iter()
                    .rev()
                    .map(|p| json!({"digest": "8cb55025", "uid": uid(p), "key": p.name, "filename": p.file_name}))
                    .collect(),
            )),
        }
    }
}

fn write_pdfs(dir: &std::path::Path, count: usize) -> Vec<FileInput> {
    (0..count)
        .map(|i| {
            let path = dir.join(format!("doc{i:02}.pdf"));
            std::fs::write(&path, pdf_bytes(1000 + i * 37)).unwrap();
            FileInput::path(path)
        })
        .collect()
}

fn recorder() -> (TransferControl, Arc<Mutex<Vec<Progress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (
        TransferControl::new().on_progress(move |p| sink.lock().unwrap().push(p)),
        seen,
    )
}

#[tokio::test]
async fn upload_one_document() {
    let dir = tempfile::tempdir().unwrap();
    for api in Api::both().await {
        api.on("POST", "/document/7")
            .respond_with(UploadAnswer(api.layout))
            .expect(1)
            .mount(&api.server)
            .await;
        let files = write_pdfs(dir.path(), 1);
        let docs = api
            .client
            .upload_documents(RequestPk(7), &files, &TransferControl::new())
            .await
            .unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].uid, DocumentUid::from("uid-doc00.pdf"));
        assert_eq!(docs[0].field, "file");
        let sent = parts(&api.received().await[0]);
        assert_eq!(sent[0].content_type.as_deref(), Some("application/pdf"));
        assert_eq!(sent[0].body, pdf_bytes(1000));
    }
}

#[tokio::test]
async fn twenty_three_documents_take_three_calls_and_keep_input_order() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_pdfs(dir.path(), 23);
    let total: u64 = (0..23).map(|i| (1000 + i * 37) as u64).sum();
    for api in Api::both().await {
        api.on("POST", "/document/7")
            .respond_with(UploadAnswer(api.layout))
            .expect(3)
            .mount(&api.server)
            .await;
        let (control, seen) = recorder();
        let docs = api
            .client
            .upload_documents(RequestPk(7), &files, &control)
            .await
            .unwrap();
        let uids: Vec<String> = docs.iter().map(|d| d.uid.to_string()).collect();
        let expected: Vec<String> = (0..23).map(|i| format!("uid-doc{i:02}.pdf")).collect();
        assert_eq!(uids, expected);
        assert_eq!(docs[10].field, "file");
        assert_eq!(docs[12].field, "file3");
        let batches: Vec<usize> = api
            .received()
            .await
            .iter()
            .map(|r| parts(r).len())
            .collect();
        assert_eq!(batches, [10, 10, 3]);
        let names: Vec<String> = parts(&api.received().await[2])
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["file", "file2", "file3"]);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.first().unwrap().done, 0);
        assert_eq!(
            *seen.last().unwrap(),
            Progress {
                done: total,
                total: Some(total)
            }
        );
        assert!(seen.windows(2).all(|w| w[0].done <= w[1].done));
    }
}

#[tokio::test]
async fn upload_answer_with_too_few_uids_is_a_bad_response() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/document/7")
        .respond_with(legacy::ok(json!("only-one")))
        .mount(&api.server)
        .await;
    let files = write_pdfs(dir.path(), 2);
    let err = api
        .client
        .upload_documents(RequestPk(7), &files, &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerBadResponse);
    assert_eq!(err.json_path(), Some("details"));
}

#[tokio::test]
async fn a_failing_later_batch_says_what_was_uploaded() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/document/7")
        .respond_with(UploadAnswer(Layout::Legacy))
        .up_to_n_times(1)
        .mount(&api.server)
        .await;
    api.on("POST", "/document/7")
        .respond_with(api.error(400, "Maximum number of document reached for Request 7"))
        .mount(&api.server)
        .await;
    let files = write_pdfs(dir.path(), 12);
    let err = api
        .client
        .upload_documents(RequestPk(7), &files, &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DocumentTooMany);
    assert!(
        err.message().contains("10 of 12 documents were uploaded"),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn documented_upload_errors() {
    let cases = [
        (
            415,
            "Unsupported file type: text/plain",
            ErrorCode::DocumentUnsupportedType,
        ),
        (
            400,
            "Maximum number of document reached for Request 7",
            ErrorCode::DocumentTooMany,
        ),
        (
            404,
            "Cannot upload document: Request 7 not found on disk",
            ErrorCode::RequestNotFound,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let files = write_pdfs(dir.path(), 1);
    for api in Api::both().await {
        for (status, text, code) in cases {
            api.server.reset().await;
            api.on("POST", "/document/7")
                .respond_with(api.error(status, text))
                .mount(&api.server)
                .await;
            let err = api
                .client
                .upload_documents(RequestPk(7), &files, &TransferControl::new())
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
        }
    }
}

#[tokio::test]
async fn upload_a_hashfile() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("digest.json");
    std::fs::write(
        &path,
        br#"{"messageDigest":"MC8GCSqGSIb3DQEJBDEiBCC","digestAlgorithm":"sha256"}"#,
    )
    .unwrap();
    for api in Api::both().await {
        api.on("POST", "/document/7")
            .respond_with(UploadAnswer(api.layout))
            .mount(&api.server)
            .await;
        let doc = api
            .client
            .upload_hashfile(
                RequestPk(7),
                &FileInput::path(&path),
                &TransferControl::new(),
            )
            .await
            .unwrap();
        assert_eq!(doc.uid, DocumentUid::from("uid-digest.json"));
        assert_eq!(doc.field, "hashfile");
        let sent = parts(&api.received().await[0]);
        assert_eq!(sent[0].name, "hashfile");
        assert_eq!(sent[0].content_type.as_deref(), Some("application/json"));
    }
}

#[tokio::test]
async fn list_documents_and_no_documents() {
    for api in Api::both().await {
        api.on("GET", "/documents/7")
            .respond_with(api.ok(json!({
                "5f04778a": {"upload_date": "11/11/2019 18:03:07", "ext": ".pdf", "size": 128012, "mime": "application/pdf", "filename": "test-11.pdf"},
                "b1902f56": {"upload_date": "11/11/2019 18:03:12", "ext": ".pdf", "size": "100337", "mime": "application/pdf", "filename": "test.pdf", "type": "signed"}
            })))
            .mount(&api.server)
            .await;
        api.on("GET", "/documents/8")
            .respond_with(api.error(404, "No documents found for specified Request"))
            .mount(&api.server)
            .await;
        let mut docs = api.client.list_documents(RequestPk(7)).await.unwrap();
        docs.sort_by(|a, b| a.uid.cmp(&b.uid));
        assert_eq!(docs[0].uid, DocumentUid::from("5f04778a"));
        assert_eq!(docs[0].size, Some(128012));
        assert_eq!(docs[0].file_name.as_deref(), Some("test-11.pdf"));
        assert_eq!(docs[1].size, Some(100337));
        assert_eq!(docs[1].kind.as_deref(), Some("signed"));
        assert!(
            api.client
                .list_documents(RequestPk(8))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn download_documents_of_both_kinds() {
    let body = pdf_bytes(70_000);
    for api in Api::both().await {
        for kind in [DocumentKind::Original, DocumentKind::Signed] {
            api.server.reset().await;
            let mock = match api.layout {
                Layout::Current => api
                    .on("GET", "/document/7/d1")
                    .and(query_param("document_type", kind.as_str())),
                Layout::Legacy => api.on("GET", &format!("/document/7/{}/d1", kind.as_str())),
            };
            mock.respond_with(
                ResponseTemplate::new(200).set_body_raw(body.clone(), "application/pdf"),
            )
            .expect(1)
            .mount(&api.server)
            .await;
            let (control, seen) = recorder();
            let mut out = Vec::new();
            let done = api
                .client
                .download_document(
                    RequestPk(7),
                    &DocumentUid::from("d1"),
                    kind,
                    &mut out,
                    &control,
                )
                .await
                .unwrap();
            assert_eq!(out, body);
            assert_eq!(done.bytes, body.len() as u64);
            assert_eq!(done.content_type.as_deref(), Some("application/pdf"));
            let last = *seen.lock().unwrap().last().unwrap();
            assert_eq!(
                last,
                Progress {
                    done: body.len() as u64,
                    total: Some(body.len() as u64)
                }
            );
        }
    }
}

#[tokio::test]
async fn download_to_a_path_and_missing_documents() {
    let dir = tempfile::tempdir().unwrap();
    for api in Api::both().await {
        let path = dir.path().join(format!("{:?}.pdf", api.layout));
        let (ok_path, missing_path) = match api.layout {
            Layout::Current => ("/document/7/d1", "/document/7/gone"),
            Layout::Legacy => ("/document/7/signed/d1", "/document/7/signed/gone"),
        };
        api.on("GET", ok_path)
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(pdf_bytes(5000), "application/octet-stream"),
            )
            .mount(&api.server)
            .await;
        api.on("GET", missing_path)
            .respond_with(api.error(404, "Document not found"))
            .mount(&api.server)
            .await;
        let uid = DocumentUid::from("d1");
        api.client
            .download_document_to_path(
                RequestPk(7),
                &uid,
                DocumentKind::Signed,
                &path,
                &TransferControl::new(),
            )
            .await
            .unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), pdf_bytes(5000));
        let gone = dir.path().join("gone.pdf");
        let err = api
            .client
            .download_document_to_path(
                RequestPk(7),
                &DocumentUid::from("gone"),
                DocumentKind::Signed,
                &gone,
                &TransferControl::new(),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::DocumentNotFound);
        assert!(!gone.exists(), "a failed download leaves no file behind");
    }
}

#[tokio::test]
async fn an_error_envelope_with_status_200_on_a_file_endpoint_is_an_error() {
    let api = Api::new(Layout::Legacy).await;
    api.on("GET", "/document/7/original/d1")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "404 Not Found", "details": "Document not found"})),
        )
        .mount(&api.server)
        .await;
    let mut out = Vec::new();
    let err = api
        .client
        .download_document(
            RequestPk(7),
            &DocumentUid::from("d1"),
            DocumentKind::Original,
            &mut out,
            &TransferControl::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DocumentNotFound);
    assert!(out.is_empty());
}

#[tokio::test]
async fn a_json_document_is_not_mistaken_for_an_error() {
    // The hash flow's original document is the digest JSON itself.
    let api = Api::new(Layout::Current).await;
    let digest = br#"{"messageDigest":"MC8G","digestAlgorithm":"sha256"}"#.to_vec();
    api.on("GET", "/document/7/h1")
        .respond_with(ResponseTemplate::new(200).set_body_raw(digest.clone(), "application/json"))
        .mount(&api.server)
        .await;
    let mut out = Vec::new();
    api.client
        .download_document(
            RequestPk(7),
            &DocumentUid::from("h1"),
            DocumentKind::Original,
            &mut out,
            &TransferControl::new(),
        )
        .await
        .unwrap();
    assert_eq!(out, digest);
}

#[tokio::test]
async fn a_truncated_download_is_an_error() {
    let url = raw::truncating_server(10_000, 4_000).await;
    let client = crate::support::client_for(&url, LayoutMode::Current);
    let mut out = Vec::new();
    let err = client
        .download_document(
            RequestPk(7),
            &DocumentUid::from("d1"),
            DocumentKind::Signed,
            &mut out,
            &TransferControl::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DownloadTruncated, "{err}");
}

#[tokio::test]
async fn delete_documents() {
    for api in Api::both().await {
        let (one, all) = match api.layout {
            Layout::Current => ("/document/7/d1", "/document/7"),
            Layout::Legacy => ("/document/7/original/d1", "/documents/7"),
        };
        api.on("DELETE", one)
            .respond_with(api.done("Document successfully deleted"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("DELETE", all)
            .respond_with(api.done("Documents deleted for Request 7"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.client
            .delete_document(
                RequestPk(7),
                &DocumentUid::from("d1"),
                DocumentKind::Original,
            )
            .await
            .unwrap();
        api.client.delete_all_documents(RequestPk(7)).await.unwrap();
    }
}

#[tokio::test]
async fn download_the_contract() {
    for api in Api::both().await {
        let suffix = match api.layout {
            Layout::Current => "/contract/7/",
            Layout::Legacy => "/document/7/contract",
        };
        api.on("GET", suffix)
            .respond_with(ResponseTemplate::new(200).set_body_raw(pdf_bytes(3000), "text/plain"))
            .expect(1)
            .mount(&api.server)
            .await;
        let mut out = Vec::new();
        let done = api
            .client
            .download_contract(RequestPk(7), &mut out, &TransferControl::new())
            .await
            .unwrap();
        assert_eq!(done.bytes, 3000);
        assert!(out.starts_with(b"%PDF"));
    }
}
