//! Documents in both layouts: upload rules (PDF only, 10 per call), download, list, delete,
//! streaming of large files.

use crate::common::{BOTH, L, Sim, uids_of};
use crate::fixtures;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use sha2::{Digest, Sha256};

fn pdf_part(bytes: Vec<u8>, name: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("application/pdf")
        .unwrap()
}

#[tokio::test]
async fn upload_answers_per_layout_and_files_round_trip() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Current).await;
    let one = fixtures::pdf(1);
    let two = fixtures::pdf(2);
    // Current, single: detail {name, uid}.
    let res = sim
        .multipart(
            &format!("/oneshot/api/v1/document/{pk}"),
            Form::new().part("file", pdf_part(one.clone(), "one.pdf")),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "success");
    assert_eq!(res.body["detail"]["name"], "file");
    let uid_one = res.body["detail"]["uid"].as_str().unwrap().to_string();
    // Current, several: detail [{name, uid}, ...].
    let form = Form::new()
        .part("file", pdf_part(one.clone(), "a.pdf"))
        .part("file2", pdf_part(two.clone(), "b.pdf"));
    let res = sim
        .multipart(&format!("/oneshot/api/v1/document/{pk}"), form)
        .await;
    assert_eq!(
        res.body["detail"].as_array().unwrap().len(),
        2,
        "{}",
        res.body
    );
    assert_eq!(res.body["detail"][1]["name"], "file2");
    // Legacy, single: details = uid; several: [{digest, uid, key, filename}].
    let res = sim
        .multipart(
            &format!("/api/v1/document/{pk}"),
            Form::new().part("file", pdf_part(two.clone(), "two.pdf")),
        )
        .await;
    assert_eq!(res.body["status"], "200 OK");
    let uid_two = res.body["details"].as_str().unwrap().to_string();
    let form = Form::new()
        .part("file", pdf_part(one.clone(), "a.pdf"))
        .part("file2", pdf_part(two.clone(), "b.pdf"));
    let res = sim.multipart(&format!("/api/v1/document/{pk}"), form).await;
    let items = res.body["details"].as_array().unwrap();
    assert_eq!(items[1]["key"], "file2");
    assert_eq!(items[1]["filename"], "b.pdf");
    assert_eq!(items[1]["digest"], hex::encode(Sha256::digest(&two)));
    // Originals come back byte for byte in both layouts.
    for layout in BOTH {
        let (status, bytes, ctype) = sim.get_bytes(&layout.original_path(pk, &uid_one)).await;
        assert_eq!((status, bytes == one), (200, true));
        let expected = if layout == L::Current {
            "application/pdf"
        } else {
            "application/octet-stream"
        };
        assert_eq!(ctype, expected);
        let (_, bytes, _) = sim.get_bytes(&layout.original_path(pk, &uid_two)).await;
        assert_eq!(bytes, two);
        let (status, _, _) = sim.get_bytes(&layout.signed_path(pk, &uid_two)).await;
        assert_eq!(status, 404, "not signed yet");
    }
    // The current layout also takes the missing document_type as original, and the typed path.
    let (_, bytes, _) = sim
        .get_bytes(&format!("/oneshot/api/v1/document/{pk}/{uid_one}"))
        .await;
    assert_eq!(bytes, one);
    let (_, bytes, _) = sim
        .get_bytes(&format!("/oneshot/api/v1/document/{pk}/original/{uid_one}"))
        .await;
    assert_eq!(bytes, one);
    // List shows all six.
    for layout in BOTH {
        let res = sim
            .get(&format!("{}/documents/{pk}", layout.prefix()))
            .await;
        let map = res.body["details"].as_object().unwrap();
        assert_eq!(map.len(), 6);
        let entry = &map[&uid_one];
        assert_eq!(
            (
                entry["ext"].clone(),
                entry["mime"].clone(),
                entry["filename"].clone()
            ),
            (json!(".pdf"), json!("application/pdf"), json!("one.pdf"))
        );
        assert_eq!(entry["size"], one.len());
        assert_eq!(
            entry["upload_date"].as_str().unwrap().len(),
            19,
            "dd/mm/YYYY HH:MM:SS"
        );
    }
}

#[tokio::test]
async fn upload_rules() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Legacy).await;
    let dir = fixtures::scratch();
    let encrypted = fixtures::qpdf(
        &fixtures::pdf(1),
        &["--encrypt", "user", "owner", "256", "--"],
        dir.path(),
    );
    let mut truncated = fixtures::pdf(3);
    truncated.truncate(truncated.len() - 40);
    for layout in BOTH {
        let path = format!("{}/document/{pk}", layout.prefix());
        let res = sim
            .multipart(
                &path,
                Form::new().part(
                    "file",
                    Part::bytes(b"hello".to_vec()).file_name("notes.txt"),
                ),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (415, json!("Unsupported file type: txt"))
        );
        let res = sim
            .multipart(
                &path,
                Form::new().part("file", pdf_part(encrypted.clone(), "locked.pdf")),
            )
            .await;
        assert_eq!(res.status, 415, "{}", res.body);
        assert!(
            layout
                .error_text(&res.body)
                .as_str()
                .unwrap()
                .contains("encrypted"),
            "{}",
            res.body
        );
        let res = sim
            .multipart(
                &path,
                Form::new().part("file", pdf_part(truncated.clone(), "cut.pdf")),
            )
            .await;
        assert_eq!(res.status, 415, "{}", res.body);
        let mut form = Form::new();
        for i in 0..11 {
            form = form.part(format!("file{i}"), pdf_part(fixtures::pdf(1), "x.pdf"));
        }
        let res = sim.multipart(&path, form).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!(format!(
                    "Maximum number of document reached for Request {pk}"
                ))
            )
        );
        let res = sim
            .multipart(
                &format!("{}/document/777777", layout.prefix()),
                Form::new().part("file", pdf_part(fixtures::pdf(1), "x.pdf")),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!("Cannot upload document: Request 777777 not found on disk")
            )
        );
        let res = sim
            .multipart(&path, Form::new().text("note", "no file"))
            .await;
        assert_eq!(res.status, 400);
    }
    // Nothing of the refused uploads was kept.
    let res = sim.get(&format!("/api/v1/documents/{pk}")).await;
    assert_eq!(
        (res.status, res.body["details"].clone()),
        (404, json!("No documents found for specified Request"))
    );
    let staging = sim.handle.data_dir().join("staging");
    assert_eq!(
        std::fs::read_dir(staging).unwrap().count(),
        0,
        "staging is clean"
    );
}

#[tokio::test]
async fn delete_one_and_all() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Current).await;
    let uids = sim
        .upload(
            L::Current,
            pk,
            &[
                ("a.pdf", fixtures::pdf(1)),
                ("b.pdf", fixtures::pdf(1)),
                ("c.pdf", fixtures::pdf(1)),
            ],
        )
        .await;
    let res = sim
        .delete(&format!("/oneshot/api/v1/document/{pk}/{}", uids[0]))
        .await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": "Document successfully deleted"})
    );
    let res = sim
        .delete(&format!("/api/v1/document/{pk}/original/{}", uids[1]))
        .await;
    assert_eq!(
        res.body,
        json!({"status": "200 OK", "details": "Document successfully deleted"})
    );
    let res = sim
        .delete(&format!("/api/v1/document/{pk}/signed/{}", uids[2]))
        .await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": format!("Document not found with uid {} and type signed", uids[2])})
    );
    let res = sim
        .delete(&format!("/oneshot/api/v1/document/{pk}/{}", uids[0]))
        .await;
    assert_eq!(res.status, 404);
    let res = sim.delete(&format!("/oneshot/api/v1/document/{pk}")).await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": format!("Documents deleted for Request {pk}")})
    );
    let res = sim.delete(&format!("/api/v1/documents/{pk}")).await;
    assert_eq!(
        res.body,
        json!({"status": "404 Not Found", "details": "No documents found for specified Request"})
    );
    sim.upload(L::Legacy, pk, &[("d.pdf", fixtures::pdf(1))])
        .await;
    let res = sim.delete(&format!("/api/v1/documents/{pk}")).await;
    assert_eq!(
        res.body,
        json!({"status": "200 OK", "details": "Documents deleted successfully"})
    );
}

#[tokio::test]
async fn large_uploads_stream_to_disk_and_back() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Legacy).await;
    // 24 MiB: a real PDF header and trailer around filler, sent as a stream.
    let mut big = fixtures::pdf(1);
    let tail = big.split_off(big.len() - 6);
    big.extend(std::iter::repeat_n(b'%', 24 << 20));
    big.extend_from_slice(b"\n");
    big.extend_from_slice(&tail);
    let digest = hex::encode(Sha256::digest(&big));
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(1 << 20).map(|c| Ok(c.to_vec())).collect();
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let part = Part::stream_with_length(body, big.len() as u64)
        .file_name("big.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let form = Form::new()
        .part("file", part)
        .part("file2", pdf_part(fixtures::pdf(1), "small.pdf"));
    let res = sim.multipart(&format!("/api/v1/document/{pk}"), form).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["details"][0]["digest"], digest);
    let uid = uids_of(L::Legacy, &res.body)[0].clone();
    let res = sim
        .http
        .get(sim.url(&L::Current.original_path(pk, &uid)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.content_length(), Some(big.len() as u64));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(hex::encode(Sha256::digest(&bytes)), digest);
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_and_leave_nothing_behind() {
    let sim = Sim::with(|c| c.body_limit = 256 * 1024).await;
    let pk = sim.create_request(L::Current).await;
    let mut big = fixtures::pdf(1);
    big.extend(std::iter::repeat_n(b' ', 512 * 1024));
    let form = Form::new().part("file", pdf_part(big, "big.pdf"));
    let res = sim
        .multipart(&format!("/oneshot/api/v1/document/{pk}"), form)
        .await;
    assert_eq!(res.status, 413, "{}", res.body);
    assert_eq!(res.body["detail"], "Request body too large");
    let staging = sim.handle.data_dir().join("staging");
    assert_eq!(std::fs::read_dir(staging).unwrap().count(), 0);
    let res = sim.get(&format!("/oneshot/api/v1/documents/{pk}")).await;
    assert_eq!(res.status, 404);
}
