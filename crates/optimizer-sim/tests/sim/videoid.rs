//! VideoID: eIDAS (the customer's page) and external (evidences + video), approve, refuse,
//! cancel, in both layouts.

use crate::common::{BOTH, L, Sim};
use crate::fixtures;
use base64::Engine;
use optimizer_sim::config::SANDBOX_TOKEN;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

struct Created {
    vpk: u64,
    pk: u64,
    link: String,
}

async fn create(sim: &Sim, layout: L, ra: &str) -> Created {
    let body = json!({"mobile_phone_number": "+34600111222", "email": "video@example.com", "registration_authority": ra, "profile": "PFnubeQAFCiudadano", "videoid_mode": 1});
    let res = sim
        .post(&format!("{}/videoid", layout.prefix()), body)
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let detail = match layout {
        L::Current => {
            assert_eq!(res.body["status"], "success");
            assert!(
                res.body["messsage"]
                    .as_str()
                    .unwrap()
                    .starts_with("VideoID created with pk ")
            );
            res.body["detail"].clone()
        }
        L::Legacy => {
            assert_eq!(res.body["status"], "200 OK");
            res.body["details"].clone()
        }
    };
    Created {
        vpk: detail["videoid_pk"].as_u64().unwrap(),
        pk: detail["request_pk"].as_u64().unwrap(),
        link: detail["videoid_link"].as_str().unwrap().to_string(),
    }
}

/// The path key of a VideoID call: VideoID pk (current) or request pk (legacy).
fn key(layout: L, c: &Created) -> u64 {
    if layout == L::Current { c.vpk } else { c.pk }
}

fn approve_path(layout: L, c: &Created) -> String {
    match layout {
        L::Current => format!("/oneshot/api/v1/videoid/{}/approve", c.vpk),
        L::Legacy => format!("/api/v1/request/{}/approve", c.pk),
    }
}

fn evidences(images: &[&str], similarity: Value, checks_ok: bool) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD.encode(fixtures::png(4, 4));
    let images: serde_json::Map<String, Value> =
        images.iter().map(|k| (k.to_string(), json!(b64))).collect();
    json!({
        "acceptance": {"description": "User Accepted Terms and Conditions and Privacy Policy", "ip": "186.0.91.53", "date": 1622823879708u64},
        "videoid_data": {
            "images": images,
            "ocr_data": {"given_name": "Eva", "surname_1": "Nowak", "serial_number": "AB123456", "id_document_type": "PAS", "id_document_country": "PL"},
            "security_checks": {"otp_validation": true, "documents_match": true, "liveliness": checks_ok},
            "similarity_level": similarity,
        }
    })
}

const ALL_IMAGES: [&str; 4] = [
    "document_front",
    "document_rear",
    "document_photo",
    "document_owner",
];

#[tokio::test]
async fn eidas_videoid_through_the_customer_page_to_a_signature() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let c = create(&sim, layout, "9999").await;
        assert_eq!(sim.status_of(layout, c.pk).await, "VIDEOPENDING");
        assert!(
            c.link.starts_with(&sim.handle.base_url()),
            "link uses the Host the client used: {}",
            c.link
        );
        let page = sim
            .http
            .get(&c.link)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("/_sim/videoid/{}/", c.pk))
                && page.contains("Complete identification"),
            "{page}"
        );
        // Not yet reviewable: approve fails, the customer completes, then approve works.
        let approve = json!({"token": SANDBOX_TOKEN, "rao": "972"});
        let res = sim.post(&approve_path(layout, &c), approve.clone()).await;
        assert_eq!(res.status, 412, "{}", res.body);
        let res = sim.post(&format!("/_sim/videoid/{}/complete", c.pk), json!({"given_name": "Jan", "surname_1": "Kowalski", "serial_number": "XY987", "id_document_country": "PL"})).await;
        assert_eq!(
            res.body,
            json!({"request_pk": c.pk, "status": "VIDEOREVIEW"})
        );
        let res = sim
            .post(&approve_path(layout, &c), json!({"rao": "972"}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!("Missing required parameters: incomplete RAO's credentials")
            )
        );
        let res = sim
            .post(
                &approve_path(layout, &c),
                json!({"username": "9001800", "password": "bad", "pin": "1234", "rao": "972"}),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (403, json!("Invalid RAO credentials"))
        );
        let res = sim
            .post(
                &approve_path(layout, &c),
                json!({"token": SANDBOX_TOKEN, "rao": "1"}),
            )
            .await;
        assert_eq!(res.status, 403, "another RAO id");
        let res = sim.post(&approve_path(layout, &c), approve).await;
        assert_eq!(
            (res.status, layout.ok_text(&res.body)),
            (200, json!("Request approved successfully"))
        );
        assert_eq!(sim.status_of(layout, c.pk).await, "ENROLLREADY");
        let record = sim
            .get(&format!("{}/request/{}", layout.prefix(), c.pk))
            .await
            .body["details"]
            .clone();
        assert_eq!(
            (record["given_name"].clone(), record["videoid_mode"].clone()),
            (json!("Jan"), json!(true))
        );
        sim.upload(layout, c.pk, &[("a.pdf", fixtures::pdf(1))])
            .await;
        let otp = sim.otp(layout, c.pk).await;
        let res = sim.sign(layout, c.pk, json!({"secret": otp})).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(sim.status_of(layout, c.pk).await, "ISSUED");
        sim.assert_request_signatures(layout, c.pk).await;
    }
    // The legacy spec's plural approve path works too.
    let c = create(&sim, L::Legacy, "9999").await;
    sim.post(&format!("/_sim/videoid/{}/complete", c.pk), json!({}))
        .await;
    let res = sim
        .post(
            &format!("/api/v1/requests/{}/approve/", c.pk),
            json!({"username": "9001800", "password": "practice", "pin": "1234"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
}

#[tokio::test]
async fn eidas_incomplete_fail_refuse_and_cancel() {
    let sim = Sim::start().await;
    let c = create(&sim, L::Current, "9999").await;
    let res = sim
        .post(&format!("/_sim/videoid/{}/incomplete", c.pk), json!({}))
        .await;
    assert_eq!(res.body["status"], "VIDEOINCOMPLETE");
    let res = sim
        .post(&format!("/_sim/videoid/{}/fail", c.pk), json!({}))
        .await;
    assert_eq!(res.body["status"], "VIDEOERROR");
    let refuse = format!("/oneshot/api/v1/videoid/{}/refuse", c.vpk);
    let res = sim
        .post(&refuse, json!({"token": SANDBOX_TOKEN, "rao": "972"}))
        .await;
    assert_eq!(
        (res.status, res.body["detail"].clone()),
        (400, json!("No reason specified"))
    );
    let res = sim
        .post(
            &refuse,
            json!({"token": SANDBOX_TOKEN, "rao": "972", "reason": "Expired document"}),
        )
        .await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": "Videoid refuse completed"})
    );
    assert_eq!(sim.status_of(L::Current, c.pk).await, "CANCELLED");
    let res = sim
        .post(&format!("/_sim/videoid/{}/complete", c.pk), json!({}))
        .await;
    assert_eq!(res.status, 412, "closed: {}", res.body);
    // Cancel (legacy) of a pending one.
    let c = create(&sim, L::Legacy, "9999").await;
    let res = sim.delete(&format!("/api/v1/request/{}", c.pk)).await;
    assert_eq!(
        res.body["details"],
        "Request directory removed successfully"
    );
    assert_eq!(sim.status_of(L::Legacy, c.pk).await, "CANCELLED");
    // Create rules.
    for layout in BOTH {
        let path = format!("{}/videoid", layout.prefix());
        let res = sim.post(&path, json!({"mobile_phone_number": "+34600111222", "email": "v@example.com", "registration_authority": "1234"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!("Videoid not enabled for Registration Authority 1234")
            )
        );
        let res = sim.post(&path, json!({"email": "v@example.com"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("Missing required parameters"))
        );
        let res = sim.post(&path, json!({"mobile_phone_number": "+34600111222", "email": "v@example.com", "registration_authority": "abc"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (404, json!("Registration Authority not found"))
        );
        let res = sim.post(&path, json!({"mobile_phone_number": "+34600111222", "email": "v@example.com", "profile": "PFother"})).await;
        assert_eq!(res.status, 403);
        let res = sim.post_raw(&path, "{not json").await;
        assert_eq!(res.status, 400);
    }
    assert_eq!(sim.get("/videoid/not-a-token").await.status, 404);
}

#[tokio::test]
async fn external_videoid_evidences_and_video() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let c = create(&sim, layout, "9998").await;
        assert_eq!(c.link, "", "external mode has no link");
        let k = key(layout, &c);
        let ev_path = format!("{}/videoid/{k}/evidences", layout.prefix());
        let video_path = match layout {
            L::Current => format!("/oneshot/api/v1/videoid/{k}/video"),
            L::Legacy => format!("/api/v1/videoid/{k}/evidences/video"),
        };
        // Validation (§D.6).
        let res = sim.post(&ev_path, json!({"videoid_data": {}})).await;
        assert_eq!(res.status, 400, "{}", res.body);
        let mut no_name = evidences(&ALL_IMAGES, json!(90), true);
        no_name["videoid_data"]["ocr_data"]
            .as_object_mut()
            .unwrap()
            .remove("given_name");
        let res = sim.post(&ev_path, no_name).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!("Missing required parameters: videoid_data.ocr_data.given_name")
            )
        );
        let res = sim
            .post(&ev_path, evidences(&ALL_IMAGES, json!(101), true))
            .await;
        assert_eq!(res.status, 400);
        let res = sim
            .post(&ev_path, evidences(&ALL_IMAGES, json!("high"), true))
            .await;
        assert_eq!(res.status, 400);
        let mut bad_image = evidences(&ALL_IMAGES, json!(90), true);
        bad_image["videoid_data"]["images"]["document_front"] = json!("%%% not base64");
        assert_eq!(sim.post(&ev_path, bad_image).await.status, 400);
        let res = sim.post_raw(&ev_path, "{\"acceptance\": ").await;
        assert_eq!(res.status, 400);
        if layout == L::Legacy {
            assert_eq!(res.body["status"], "Invalid JSON");
        }
        assert_eq!(sim.status_of(layout, c.pk).await, "VIDEOPENDING");
        // Partial evidences → VIDEOINCOMPLETE; all + video → VIDEOREVIEW.
        let res = sim
            .post(&ev_path, evidences(&ALL_IMAGES[..2], json!(90), true))
            .await;
        assert_eq!(
            (res.status, layout.ok_text(&res.body)),
            (200, json!("Videoid evidences uploaded"))
        );
        assert_eq!(sim.status_of(layout, c.pk).await, "VIDEOINCOMPLETE");
        let res = sim
            .post(&ev_path, evidences(&ALL_IMAGES, json!("87"), true))
            .await;
        assert_eq!(res.status, 200);
        assert_eq!(
            sim.status_of(layout, c.pk).await,
            "VIDEOINCOMPLETE",
            "no video yet"
        );
        let video = b"\x00\x00\x00\x18ftypmp42 simulated video".to_vec();
        let res = sim.multipart(&video_path, Form::new().text("x", "y")).await;
        assert_eq!(res.status, 400);
        let res = sim
            .multipart(
                &video_path,
                Form::new().part(
                    "video",
                    Part::bytes(video.clone())
                        .file_name("v.mp4")
                        .mime_str("video/mp4")
                        .unwrap(),
                ),
            )
            .await;
        assert_eq!(
            (res.status, layout.ok_text(&res.body)),
            (200, json!("Videoid video upload completed"))
        );
        assert_eq!(sim.status_of(layout, c.pk).await, "VIDEOREVIEW");
        let download = match layout {
            L::Current => format!("/oneshot/api/v1/videoid/{k}/video"),
            L::Legacy => format!("/api/v1/videoid/{k}/download/video"),
        };
        let (status, bytes, ctype) = sim.get_bytes(&download).await;
        assert_eq!((status, ctype.as_str(), bytes), (200, "video/mp4", video));
        let record = sim
            .get(&format!("{}/request/{}", layout.prefix(), c.pk))
            .await
            .body["details"]
            .clone();
        assert_eq!(
            (
                record["given_name"].clone(),
                record["id_document_type"].clone()
            ),
            (json!("Eva"), json!("PAS"))
        );
        let res = sim
            .post(
                &approve_path(layout, &c),
                json!({"token": SANDBOX_TOKEN, "rao": "972"}),
            )
            .await;
        assert_eq!(res.status, 200);
        assert_eq!(sim.status_of(layout, c.pk).await, "ENROLLREADY");
    }
    // Failed checks or a low similarity → VIDEOERROR.
    let c = create(&sim, L::Current, "9998").await;
    let res = sim
        .post(
            &format!("/oneshot/api/v1/videoid/{}/evidences", c.vpk),
            evidences(&ALL_IMAGES, json!(90), false),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(sim.status_of(L::Current, c.pk).await, "VIDEOERROR");
    let c = create(&sim, L::Current, "9998").await;
    sim.post(
        &format!("/oneshot/api/v1/videoid/{}/evidences", c.vpk),
        evidences(&ALL_IMAGES, json!(12), true),
    )
    .await;
    assert_eq!(sim.status_of(L::Current, c.pk).await, "VIDEOERROR");
    // Unknown VideoID pk.
    let res = sim
        .post(
            "/oneshot/api/v1/videoid/424242/evidences",
            evidences(&ALL_IMAGES, json!(90), true),
        )
        .await;
    assert_eq!(
        (res.status, res.body["detail"].clone()),
        (404, json!("Request not found"))
    );
}
