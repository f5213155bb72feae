//! OTP and sign rules in both layouts; external authentication; async sign.

use crate::common::{BOTH, L, Sim, eventually};
use crate::fixtures;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn otp_rules() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let pk = sim.create_request(layout).await;
        let otp_path = format!("{}/otp/{pk}", layout.prefix());
        let res = sim.get(&format!("/_sim/sms/{pk}")).await;
        assert_eq!(res.status, 404, "no SMS before an OTP");
        let res = sim.post(&otp_path, json!({})).await;
        assert_eq!(
            (res.status, layout.ok_text(&res.body)),
            (200, json!("OTP generated"))
        );
        let sms = sim.get(&format!("/_sim/sms/{pk}")).await.body;
        let otp = sms["otp"].as_str().unwrap();
        assert!(
            otp.len() == 6 && otp.bytes().all(|b| b.is_ascii_digit()),
            "{sms}"
        );
        assert_eq!(sms["delivery_method"], "sms");
        assert!(sms["sent_at"].is_string());
        let res = sim
            .post(&otp_path, json!({"delivery_method": "whatsapp"}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                412,
                json!("Error occured during OTP generation: Otp generated less than a minute ago")
            )
        );
        let res = sim
            .post(&format!("{}/otp/88888", layout.prefix()), json!({}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!("Request 88888 not found. Cannot send OTP secret")
            )
        );
        let res = sim
            .post(&otp_path, json!({"delivery_method": "pigeon"}))
            .await;
        assert_eq!(res.status, 400);
    }
}

#[tokio::test]
async fn otp_interval_and_lifetime_are_configurable() {
    let sim = Sim::with(|c| {
        c.otp_interval = Duration::ZERO;
        c.otp_ttl = Duration::from_millis(300);
    })
    .await;
    let pk = sim.create_request(L::Current).await;
    sim.upload(L::Current, pk, &[("a.pdf", fixtures::pdf(1))])
        .await;
    let first = sim.otp(L::Current, pk).await;
    let res = sim
        .post(
            &format!("/api/v1/otp/{pk}"),
            json!({"delivery_method": "whatsapp"}),
        )
        .await;
    assert_eq!(
        res.status, 200,
        "interval 0 allows a new OTP at once: {}",
        res.body
    );
    let second = sim.get(&format!("/_sim/sms/{pk}")).await.body;
    assert_eq!(second["delivery_method"], "whatsapp");
    // Only the latest OTP is valid.
    if first != second["otp"] {
        let res = sim.sign(L::Current, pk, json!({"secret": first})).await;
        assert_eq!(
            (res.status, res.body["detail"].clone()),
            (403, json!("Confirmation Code invalid"))
        );
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    let res = sim
        .sign(L::Current, pk, json!({"secret": second["otp"]}))
        .await;
    assert_eq!(
        (res.status, res.body["detail"].clone()),
        (403, json!("Confirmation Code invalid")),
        "expired"
    );
    assert_eq!(sim.status_of(L::Current, pk).await, "ENROLLREADY");
}

#[tokio::test]
async fn sign_rules_and_sign_once() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let pk = sim.create_request(layout).await;
        let uids = sim.upload(layout, pk, &[("a.pdf", fixtures::pdf(1))]).await;
        let res = sim.sign(layout, 99999, json!({"secret": "123456"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (404, json!("Request 99999 not found. Cannot sign documents"))
        );
        let res = sim.sign(layout, pk, json!({})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("Missing required parameter: 'secret'"))
        );
        let res = sim.sign(layout, pk, json!({"secret": "123456"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (403, json!("Confirmation Code invalid")),
            "no OTP yet"
        );
        let otp = sim.otp(layout, pk).await;
        let wrong = if otp == "000000" { "111111" } else { "000000" };
        let res = sim.sign(layout, pk, json!({"secret": wrong})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (403, json!("Confirmation Code invalid"))
        );
        // Legacy options naming unknown documents, missing position/page, unknown image.
        let res = sim
            .sign(
                layout,
                pk,
                json!({"secret": otp, "options": {"nope": {"position": "1,1,2,2", "page": 0}}}),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!("The following documents are not found in Request's folders: nope")
            )
        );
        let uid = &uids[0];
        let res = sim
            .sign(
                layout,
                pk,
                json!({"secret": otp, "options": {uid: {"page": 0}}}),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!({uid: format!("Missing required parameter 'position' for file {uid}")})
            )
        );
        let res = sim
            .sign(
                layout,
                pk,
                json!({"secret": otp, "options": {uid: {"position": "10,10,200,60"}}}),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!({uid: format!("Missing required parameter 'page' for file {uid}")})
            )
        );
        let res = sim.sign(layout, pk, json!({"secret": otp, "signature": {"appearance": {"position": "10,10,200,60", "image": "missing-image"}}})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!({uid: "The image missing-image cannot be found on disk"})
            )
        );
        assert_eq!(sim.status_of(layout, pk).await, "ENROLLREADY");
        let res = sim.sign(layout, pk, json!({"secret": otp})).await;
        assert_eq!(
            (res.status, layout.ok_text(&res.body)),
            (200, json!("Documents correctly signed")),
            "{}",
            res.body
        );
        assert_eq!(sim.status_of(layout, pk).await, "ISSUED");
        sim.assert_request_signatures(layout, pk).await;
        let res = sim.sign(layout, pk, json!({"secret": otp})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (412, json!("Request already in ISSUED status"))
        );
        let res = sim
            .post(&format!("{}/otp/{pk}", layout.prefix()), json!({}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                412,
                json!("Error occured during OTP generation: Invalid request status")
            )
        );
        // The record now carries the issued certificate.
        let record = sim
            .get(&format!("{}/request/{pk}", layout.prefix()))
            .await
            .body["details"]
            .clone();
        let cert = &record["certificate_set"][0];
        assert_eq!(cert["status"], "VALID");
        assert!(
            cert["subject"].as_str().unwrap().contains("12345678Z"),
            "{cert}"
        );
    }
}

#[tokio::test]
async fn external_authentication_policy() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Current).await;
    sim.upload(L::Current, pk, &[("a.pdf", fixtures::pdf(1))])
        .await;
    let res = sim.sign(L::Current, pk, json!({"secret": "customer-code", "ext_unlock_type": "biometric", "ext_unlock_value": "12345678-12345678"})).await;
    assert_eq!(res.status, 200, "{}", res.body);
    sim.assert_request_signatures(L::Current, pk).await;
    let sim = Sim::with(|c| c.ext_unlock = optimizer_sim::ExtUnlockPolicy::Reject).await;
    let pk = sim.create_request(L::Legacy).await;
    let res = sim.sign(L::Legacy, pk, json!({"secret": "customer-code", "ext_unlock_type": "biometric", "ext_unlock_value": "1"})).await;
    assert_eq!(
        (res.status, res.body["details"].clone()),
        (403, json!("Confirmation Code invalid"))
    );
}

#[tokio::test]
async fn async_sign_answers_at_once_and_signs_in_the_background() {
    let sim = Sim::start().await;
    let form = Sim::customer_form().text("useasync", "true");
    let pk = sim.create_with(L::Current, form).await;
    let uids = sim
        .upload(
            L::Current,
            pk,
            &[("a.pdf", fixtures::pdf(2)), ("b.pdf", fixtures::pdf(1))],
        )
        .await;
    let otp = sim.otp(L::Current, pk).await;
    let res = sim.sign(L::Current, pk, json!({"secret": otp})).await;
    assert_eq!(
        res.body,
        json!({"status": "success", "message": "Your documents are going to be signed. You will receive them in a few seconds"})
    );
    eventually("the background sign", || async {
        sim.status_of(L::Current, pk).await == "ISSUED"
    })
    .await;
    for uid in &uids {
        let (status, _, _) = sim.get_bytes(&L::Current.signed_path(pk, uid)).await;
        assert_eq!(status, 200);
    }
    sim.assert_request_signatures(L::Current, pk).await;
    let res = sim.get(&format!("/api/v1/async/status/{pk}")).await;
    assert_eq!(res.body["details"], "signed");
}

#[tokio::test]
async fn a_pdf_the_signer_refuses_changes_nothing() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Legacy).await;
    // Looks like a PDF at both ends, but has no objects at all: only the signer can tell.
    let hollow = b"%PDF-1.7\nnot really a pdf body\nstartxref\n9\n%%EOF\n".to_vec();
    let uids = sim
        .upload(
            L::Legacy,
            pk,
            &[("good.pdf", fixtures::pdf(1)), ("hollow.pdf", hollow)],
        )
        .await;
    let otp = sim.otp(L::Legacy, pk).await;
    let res = sim.sign(L::Legacy, pk, json!({"secret": otp})).await;
    assert_eq!(res.status, 415, "{}", res.body);
    let text = res.body["details"][&uids[1]].as_str().unwrap();
    assert!(
        text.starts_with(&format!("Document {} cannot be signed: ", uids[1])),
        "{text}"
    );
    // Nothing was signed, the request is still ENROLLREADY and the OTP still works.
    assert_eq!(sim.status_of(L::Legacy, pk).await, "ENROLLREADY");
    let (status, _, _) = sim.get_bytes(&L::Legacy.signed_path(pk, &uids[0])).await;
    assert_eq!(status, 404);
    let res = sim
        .delete(&format!("/api/v1/document/{pk}/original/{}", uids[1]))
        .await;
    assert_eq!(res.status, 200);
    let res = sim.sign(L::Legacy, pk, json!({"secret": otp})).await;
    assert_eq!(res.status, 200, "{}", res.body);
    sim.assert_request_signatures(L::Legacy, pk).await;
}
