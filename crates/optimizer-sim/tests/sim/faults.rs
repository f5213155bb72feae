//! Fault injection: dropped connections (before and after performing the call, checked with a
//! raw TCP client), injected errors, truncated downloads, SMS delay, the run-time API and
//! determinism under a seed.

use crate::common::{L, Sim, eventually};
use crate::fixtures;
use optimizer_sim::FaultPlan;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Sends one raw HTTP/1.1 request and returns every byte the server wrote before closing.
async fn raw(sim: &Sim, head: &str, body: &[u8]) -> Vec<u8> {
    let mut stream = tokio::net::TcpStream::connect(sim.handle.local_addr())
        .await
        .unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "the server neither answered nor closed");
    answer
}

fn multipart_create_body(boundary: &str) -> Vec<u8> {
    let mut body = Vec::new();
    let fields = [
        ("given_name", "Ana"),
        ("surname_1", "García"),
        ("serial_number", "12345678Z"),
        ("email", "ana@example.com"),
        ("mobile_phone_number", "+34600123123"),
        ("token", optimizer_sim::config::SANDBOX_TOKEN),
    ];
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for name in ["document_front", "document_rear"] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}.png\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend_from_slice(&fixtures::png(4, 4));
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    body
}

#[tokio::test]
async fn drop_after_performs_the_call_and_closes_without_answering() {
    let sim = Sim::with(|c| c.faults = FaultPlan::parse("drop_after=create:1x").unwrap()).await;
    let boundary = "simboundary42";
    let body = multipart_create_body(boundary);
    let head = format!(
        "POST /oneshot/api/v1/create HTTP/1.1\r\nHost: {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n",
        sim.handle.local_addr(),
        body.len()
    );
    let answer = raw(&sim, &head, &body).await;
    assert!(
        answer.is_empty(),
        "no answer at all, got {:?}",
        String::from_utf8_lossy(&answer)
    );
    // Reconciling by reading state back: the request exists and was approved.
    assert_eq!(sim.status_of(L::Current, 1001).await, "ENROLLREADY");
    // The rule fired once; the next create answers normally with the next pk.
    assert_eq!(sim.create_request(L::Current).await, 1002);
    // reqwest sees a transport error, not an HTTP status.
    sim.handle
        .set_faults(FaultPlan::parse("drop_after=otp").unwrap());
    let err = sim
        .http
        .post(sim.url("/oneshot/api/v1/otp/1002"))
        .json(&json!({}))
        .send()
        .await;
    assert!(err.is_err(), "{err:?}");
    assert!(
        sim.get("/_sim/sms/1002").await.status == 200,
        "the OTP was generated"
    );
}

#[tokio::test]
async fn drop_before_performs_nothing() {
    let sim = Sim::with(|c| c.faults = FaultPlan::parse("drop=token_create").unwrap()).await;
    let body = br#"{"username": "9001800"}"#;
    let head = format!(
        "POST /api/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    assert!(raw(&sim, &head, body).await.is_empty());
    let tokens = sim.get("/api/v1/tokens").await.body;
    assert_eq!(
        tokens["details"].as_object().unwrap().len(),
        1,
        "only the sandbox token: {tokens}"
    );
}

#[tokio::test]
async fn injected_errors_and_truncated_downloads() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Legacy).await;
    let pdf = fixtures::pdf(4);
    let uid = sim
        .upload(L::Legacy, pk, &[("a.pdf", pdf.clone())])
        .await
        .remove(0);
    let res = sim
        .post(
            "/_sim/faults",
            json!({"spec": "error_rate=sign,otp:1x:503;truncate=document:1x"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        res.body["spec"],
        "error_rate=sign,otp:1x:503;truncate=document:1x"
    );
    let res = sim.post(&format!("/api/v1/otp/{pk}"), json!({})).await;
    assert_eq!(
        res.body,
        json!({"status": "503 Service Unavailable", "details": "Simulated fault: otp is unavailable"})
    );
    assert_eq!(
        sim.get(&format!("/_sim/sms/{pk}")).await.status,
        404,
        "nothing performed"
    );
    let otp = sim.otp(L::Legacy, pk).await;
    let res = sim.sign(L::Current, pk, json!({"secret": otp})).await;
    assert_eq!(
        res.status, 200,
        "the counted rule fired on otp, not again on sign: {}",
        res.body
    );
    // The first download is cut half-way (the client sees a body error), the next is whole.
    let res = sim
        .http
        .get(sim.url(&L::Legacy.original_path(pk, &uid)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.content_length(), Some(pdf.len() as u64));
    assert!(res.bytes().await.is_err(), "truncated body");
    let (_, bytes, _) = sim.get_bytes(&L::Legacy.original_path(pk, &uid)).await;
    assert_eq!(bytes, pdf);
    let res = sim.get("/_sim/faults").await;
    assert_eq!(
        res.body["plan"]["truncate"][0]["chance"],
        json!({"count": 0})
    );
    sim.assert_all_signatures().await;
}

#[tokio::test]
async fn fault_api_accepts_text_json_and_rejects_bad_specs() {
    let sim = Sim::start().await;
    let res = sim
        .http
        .post(sim.url("/_sim/faults"))
        .body("latency=5ms;slow_otp=10ms")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = sim.get("/_sim/faults").await;
    assert_eq!(res.body["spec"], "latency=*:5ms;slow_otp=10ms");
    assert_eq!(res.body["plan"]["slow_otp_ms"], 10);
    let plan =
        json!({"errors": [{"ops": ["tokens"], "chance": {"probability": 1.0}, "status": 500}]});
    let res = sim.post("/_sim/faults", plan).await;
    assert_eq!(res.body["spec"], "error_rate=tokens:1:500");
    assert_eq!(sim.get("/oneshot/api/v1/tokens").await.status, 500);
    let res = sim
        .post("/_sim/faults", json!({"spec": "error_rate=nothing:1"}))
        .await;
    assert_eq!(res.status, 400);
    assert!(
        res.body["error"]
            .as_str()
            .unwrap()
            .contains("unknown operation `nothing`")
    );
    let res = sim.post("/_sim/faults", json!({})).await;
    assert_eq!(res.body["spec"], "");
    assert_eq!(sim.get("/oneshot/api/v1/tokens").await.status, 200);
    // Faults never touch the simulator's own endpoints.
    sim.post("/_sim/faults", json!({"spec": "drop=*"})).await;
    assert_eq!(sim.get("/_sim/faults").await.status, 200);
}

#[tokio::test]
async fn slow_sms_reaches_the_phone_late() {
    let sim =
        Sim::with(|c| c.faults = FaultPlan::parse("sms_delay=400ms;slow_otp=50ms").unwrap()).await;
    let pk = sim.create_request(L::Current).await;
    let res = sim
        .post(&format!("/oneshot/api/v1/otp/{pk}"), json!({}))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        sim.get(&format!("/_sim/sms/{pk}")).await.status,
        404,
        "not delivered yet"
    );
    eventually("the SMS", || async {
        sim.get(&format!("/_sim/sms/{pk}")).await.status == 200
    })
    .await;
}

#[tokio::test]
async fn same_seed_same_faults() {
    async fn run() -> Vec<u16> {
        let sim = Sim::with(|c| {
            c.seed = Some(99);
            c.faults = FaultPlan::parse("error_rate=tokens:0.5:502").unwrap();
        })
        .await;
        let mut statuses = Vec::new();
        for _ in 0..24 {
            statuses.push(sim.get("/api/v1/tokens").await.status);
        }
        statuses
    }
    let (a, b) = (run().await, run().await);
    assert_eq!(a, b);
    assert!(a.contains(&502) && a.contains(&200), "{a:?}");
}

#[tokio::test]
async fn hold_after_performs_the_nth_call_then_keeps_the_client_waiting() {
    let sim = Sim::start().await;
    let pk = sim.create_request(L::Current).await;
    // Only the second code request of the run is held; it is performed (counted) first.
    sim.handle
        .set_faults(FaultPlan::parse("hold_after=otp:30s:@2").unwrap());
    let otp = |pk: u64| {
        sim.http
            .post(sim.url(&format!("/oneshot/api/v1/otp/{pk}")))
            .send()
    };
    let first = otp(pk).await.unwrap();
    assert!(first.status().is_success(), "{}", first.status());
    let held = tokio::time::timeout(std::time::Duration::from_millis(1500), otp(pk)).await;
    assert!(held.is_err(), "the second answer is held back");
    let counts = sim.handle.calls_for(optimizer_sim::Op::Otp, pk);
    // The second call was performed: the simulator answered it 412 (a code a minute ago).
    assert_eq!(counts.performed, 2);
    assert_eq!(counts.succeeded, 1);
    assert_eq!(sim.handle.calls(optimizer_sim::Op::Otp).performed, 2);
    assert_eq!(sim.handle.faults_fired().hold_after, 1);
    // The rule is spent: the third call answers at once.
    let third = otp(pk).await.unwrap();
    assert_eq!(third.status(), 412);
}
