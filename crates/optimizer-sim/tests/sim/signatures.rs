//! Every signature the simulator makes, checked by independent tools (pdfsig with an NSS trust
//! store holding the simulator's CA, pyHanko, openssl): generated and real-world PDFs (Debian
//! manuals, their xref-stream and linearized variants, an already signed one), visible
//! appearances with text and image, the contract, and the hash flow's CMS.

use crate::common::{L, Sim};
use crate::fixtures;
use crate::tools::Validators;
use base64::Engine;
use reqwest::multipart::{Form, Part};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Runs a whole classic flow for `docs` in `layout`; returns (pk, uids).
async fn sign_documents(
    sim: &Sim,
    layout: L,
    docs: &[(&str, Vec<u8>)],
    sign_body: serde_json::Value,
) -> (u64, Vec<String>) {
    let pk = sim.create_request(layout).await;
    let uids = sim.upload(layout, pk, docs).await;
    let otp = sim.otp(layout, pk).await;
    let mut body = sign_body;
    body["secret"] = json!(otp);
    let res = sim.sign(layout, pk, body).await;
    assert_eq!(res.status, 200, "sign: {}", res.body);
    (pk, uids)
}

async fn signed(sim: &Sim, layout: L, pk: u64, uid: &str) -> Vec<u8> {
    let (status, bytes, _) = sim.get_bytes(&layout.signed_path(pk, uid)).await;
    assert_eq!(status, 200);
    bytes
}

#[tokio::test]
async fn generated_pdfs_and_contract_with_visible_appearance_current_layout() {
    let sim = Sim::start().await;
    let res = sim
        .multipart(
            "/oneshot/api/v1/image",
            Form::new().part(
                "image",
                Part::bytes(fixtures::png(60, 30)).file_name("s.png"),
            ),
        )
        .await;
    let image = res.body["details"]["image_uid"]
        .as_str()
        .unwrap()
        .to_string();
    let docs = [
        ("one.pdf", fixtures::pdf(1)),
        ("three.pdf", fixtures::pdf(3)),
    ];
    let body = json!({"signature": {"appearance": {
        "text": ["Signed by %(CN)s", "ID %(SERIALNUMBER)s", "%(DATE)s"],
        "date": "%Y-%m-%d %H:%M", "timezone": "Europe/Madrid",
        "position": "300,100,500,150", "page": 0, "image": image}}});
    let (pk, uids) = sign_documents(&sim, L::Current, &docs, body).await;
    let v = Validators::new(&sim.ca_pem());
    for (uid, (name, original)) in uids.iter().zip(&docs) {
        let bytes = signed(&sim, L::Current, pk, uid).await;
        assert!(
            bytes.starts_with(original),
            "{name}: an incremental update keeps the original bytes"
        );
        let report = v.assert_signed(name, &bytes, 1);
        assert!(
            report[0]["signer"].as_str().unwrap().contains("García"),
            "{}",
            report[0]
        );
        assert_eq!(
            report[0]["timestamp_trusted"], true,
            "PAdES B-T: {}",
            report[0]
        );
        // The box is drawn where asked, and nothing else on the page changes.
        let (inside, outside) =
            crate::tools::changed_pixels(original, &bytes, [300.0, 100.0, 500.0, 150.0]);
        assert!(
            inside > 200 && outside == 0,
            "{name}: {inside} inside, {outside} outside"
        );
    }
    let (status, contract, ctype) = sim.get_bytes(&L::Current.contract_path(pk)).await;
    assert_eq!((status, ctype.as_str()), (200, "application/pdf"));
    v.assert_signed("contract.pdf", &contract, 1);
}

#[tokio::test]
async fn real_world_pdfs_in_every_structure_legacy_layout() {
    let sim = Sim::start().await;
    let dir = fixtures::scratch();
    let manual = fixtures::real_world(0);
    let spec = fixtures::real_world(1);
    let xref_stream = fixtures::qpdf(&spec, &["--object-streams=generate"], dir.path());
    let linearized = fixtures::qpdf(&manual, &["--linearize"], dir.path());
    let docs = [
        ("libtasn1.pdf", manual.clone()),
        ("shared-mime-info-spec.pdf", spec),
        ("xref-stream.pdf", xref_stream),
        ("linearized.pdf", linearized),
    ];
    let (pk, uids) = sign_documents(&sim, L::Legacy, &docs, json!({})).await;
    let v = Validators::new(&sim.ca_pem());
    let mut first_signed = Vec::new();
    for (i, (uid, (name, _))) in uids.iter().zip(&docs).enumerate() {
        let bytes = signed(&sim, L::Legacy, pk, uid).await;
        v.assert_signed(name, &bytes, 1);
        if i == 0 {
            first_signed = bytes;
        }
    }
    // An already signed PDF gets a second signature; both stay valid.
    let uid0 = {
        let pk2 = sim.create_request(L::Legacy).await;
        let uids = sim
            .upload(L::Legacy, pk2, &[("signed-once.pdf", first_signed)])
            .await;
        let otp = sim.otp(L::Legacy, pk2).await;
        let res = sim.sign(L::Legacy, pk2, json!({"secret": otp, "options": {uids[0].clone(): {"position": "50,50,250,110", "page": 1}},
            "signature_format": {"text_format": ["%(CN)s", "%(DATE)s"], "date_format": "%d/%m/%Y", "timezone": "Europe/Barcelona"}})).await;
        assert_eq!(res.status, 200, "{}", res.body);
        (pk2, uids[0].clone())
    };
    let twice = signed(&sim, L::Legacy, uid0.0, &uid0.1).await;
    let report = v.assert_signed("signed-twice.pdf", &twice, 2);
    assert_eq!(report[0]["coverage"], "ENTIRE_REVISION");
}

#[tokio::test]
async fn hash_flow_returns_a_cms_over_the_uploaded_digest() {
    let sim = Sim::start().await;
    let content = b"The customer's own document, hashed on the integrator's side.".to_vec();
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&content));
    for layout in [L::Current, L::Legacy] {
        let pk = sim.create_request(layout).await;
        let hashfile = json!({"messageDigest": digest, "digestAlgorithm": "sha256", "addAuthAttribute": 1, "addSigningTime": 1, "otherAuthAttributes": []});
        let form = Form::new().part(
            "hashfile",
            Part::bytes(serde_json::to_vec(&hashfile).unwrap())
                .file_name("test.json")
                .mime_str("application/json")
                .unwrap(),
        );
        let res = sim
            .multipart(&format!("{}/document/{pk}", layout.prefix()), form)
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let uid = crate::common::uids_of(layout, &res.body)[0].clone();
        let otp = sim.otp(layout, pk).await;
        let res = sim.sign(layout, pk, json!({"secret": otp})).await;
        assert_eq!(res.status, 200, "{}", res.body);
        let p7m = signed(&sim, layout, pk, &uid).await;
        let v = Validators::new(&sim.ca_pem());
        let report = v.assert_cms(&p7m, &content);
        assert!(
            report["signer"].as_str().unwrap().contains("García"),
            "{report}"
        );
    }
    // A hashfile that is not a digest JSON is refused at upload.
    let pk = sim.create_request(L::Current).await;
    let form = Form::new().part(
        "hashfile",
        Part::bytes(b"{\"nothing\": 1}".to_vec()).file_name("bad.json"),
    );
    let res = sim
        .multipart(&format!("/oneshot/api/v1/document/{pk}"), form)
        .await;
    assert_eq!(res.status, 415, "{}", res.body);
}

#[tokio::test]
async fn inline_base64_image_reason_and_location_in_the_current_appearance() {
    let sim = Sim::start().await;
    let png = base64::engine::general_purpose::STANDARD.encode(fixtures::png(30, 30));
    let body = json!({"signature": {"appearance": {
        "text": [], "position": "50,700,250,780", "page": "0",
        "image": format!("data:image/png;base64,{png}"),
        "reason": "Contract acceptance", "location": "Barcelona"}}});
    let original = fixtures::pdf(1);
    let (pk, uids) =
        sign_documents(&sim, L::Current, &[("inline.pdf", original.clone())], body).await;
    let bytes = signed(&sim, L::Current, pk, &uids[0]).await;
    Validators::new(&sim.ca_pem()).assert_signed("inline.pdf", &bytes, 1);
    assert!(
        bytes.windows(19).any(|w| w == b"Contract acceptance"),
        "/Reason written"
    );
    assert!(
        bytes.windows(9).any(|w| w == b"Barcelona"),
        "/Location written"
    );
    let (inside, outside) =
        crate::tools::changed_pixels(&original, &bytes, [50.0, 700.0, 250.0, 780.0]);
    assert!(
        inside > 200 && outside == 0,
        "{inside} inside, {outside} outside"
    );
    sim.assert_request_signatures(L::Current, pk).await;
}
