//! State survives a restart with --data-dir; the default temporary directory does not outlive
//! the simulator.

use crate::common::{L, Sim, test_config};
use crate::fixtures;
use serde_json::json;

#[tokio::test]
async fn a_restart_resumes_everything() {
    let dir = fixtures::scratch();
    let config = || {
        let mut c = test_config();
        c.data_dir = Some(dir.path().to_path_buf());
        c
    };
    let sim = Sim::from_config(config()).await;
    let ca = sim.ca_pem();
    let token = sim
        .post(
            "/oneshot/api/v1/token",
            json!({"username": "9001800", "pin": "1234"}),
        )
        .await
        .body["details"]["token_uid"]
        .clone();
    let signed_pk = sim.create_request(L::Current).await;
    let signed_uid = sim
        .upload(L::Current, signed_pk, &[("a.pdf", fixtures::pdf(1))])
        .await
        .remove(0);
    let otp = sim.otp(L::Current, signed_pk).await;
    assert_eq!(
        sim.sign(L::Current, signed_pk, json!({"secret": otp}))
            .await
            .status,
        200
    );
    let open_pk = sim.create_request(L::Legacy).await;
    let pdf = fixtures::pdf(2);
    let open_uid = sim
        .upload(L::Legacy, open_pk, &[("b.pdf", pdf.clone())])
        .await
        .remove(0);
    let open_otp = sim.otp(L::Legacy, open_pk).await;
    let (_, signed_before, _) = sim
        .get_bytes(&L::Current.signed_path(signed_pk, &signed_uid))
        .await;
    sim.handle.shutdown().await;

    let sim = Sim::from_config(config()).await;
    assert_eq!(sim.ca_pem(), ca, "the CA is kept");
    assert_eq!(sim.status_of(L::Legacy, signed_pk).await, "ISSUED");
    assert_eq!(sim.status_of(L::Current, open_pk).await, "ENROLLREADY");
    let (_, signed_after, _) = sim
        .get_bytes(&L::Current.signed_path(signed_pk, &signed_uid))
        .await;
    assert_eq!(signed_after, signed_before);
    let (_, original, _) = sim
        .get_bytes(&L::Legacy.original_path(open_pk, &open_uid))
        .await;
    assert_eq!(original, pdf);
    let res = sim
        .get(&format!(
            "/oneshot/api/v1/token/{}",
            token.as_str().unwrap()
        ))
        .await;
    assert_eq!(
        res.body["details"],
        json!({"username": "9001800", "password": false, "pin": true})
    );
    // The OTP sent before the restart is still on the phone and still signs.
    assert_eq!(sim.sms(open_pk).await, open_otp);
    assert_eq!(
        sim.sign(L::Legacy, open_pk, json!({"secret": open_otp}))
            .await
            .status,
        200
    );
    // Signatures made before and after the restart chain to the same CA.
    sim.assert_request_signatures(L::Current, signed_pk).await;
    sim.assert_request_signatures(L::Legacy, open_pk).await;
    // Numbering continues.
    assert_eq!(sim.create_request(L::Current).await, open_pk + 1);
    // The state file holds no RAO password or PIN in clear.
    let state = std::fs::read_to_string(dir.path().join("state.json")).unwrap();
    assert!(
        !state.contains("\"practice\"") && !state.contains("\"1234\""),
        "secrets in state.json"
    );
}

#[tokio::test]
async fn the_default_data_directory_is_temporary() {
    let sim = Sim::start().await;
    let dir = sim.handle.data_dir();
    assert!(dir.join("state.json").is_file());
    sim.handle.shutdown().await;
    assert!(!dir.exists(), "{} removed at exit", dir.display());
}
