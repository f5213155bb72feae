//! Webhooks: a small axum receiver records what the simulator POSTs.

use crate::common::{L, Sim, eventually};
use crate::fixtures;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use optimizer_sim::WebhookFormat;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Default)]
struct Receiver {
    received: Arc<Mutex<Vec<Value>>>,
    /// Answer 500 to this many calls first.
    fail_first: Arc<AtomicUsize>,
    calls: Arc<AtomicUsize>,
}

async fn hook(State(r): State<Receiver>, Json(body): Json<Value>) -> StatusCode {
    r.calls.fetch_add(1, Ordering::SeqCst);
    if r.fail_first.load(Ordering::SeqCst) > 0 {
        r.fail_first.fetch_sub(1, Ordering::SeqCst);
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    r.received.lock().unwrap().push(body);
    StatusCode::OK
}

async fn receiver(fail_first: usize) -> (Receiver, String) {
    let r = Receiver::default();
    r.fail_first.store(fail_first, Ordering::SeqCst);
    let app = axum::Router::new()
        .route("/hook", post(hook))
        .with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (r, url)
}

fn received(r: &Receiver) -> Vec<Value> {
    r.received.lock().unwrap().clone()
}

#[tokio::test]
async fn async_flow_posts_every_status_change_in_the_current_format() {
    let (r, url) = receiver(0).await;
    let sim = Sim::start().await;
    let form = Sim::customer_form()
        .text("useasync", "true")
        .text("callback", url.clone());
    let pk = sim.create_with(L::Current, form).await;
    sim.upload(L::Current, pk, &[("a.pdf", fixtures::pdf(1))])
        .await;
    let otp = sim.otp(L::Current, pk).await;
    let res = sim.sign(L::Current, pk, json!({"secret": otp})).await;
    assert_eq!(res.status, 200);
    eventually("three webhooks", || async { received(&r).len() == 3 }).await;
    let events = received(&r);
    let kinds: Vec<(&str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["event_type"].as_str().unwrap(),
                e["request"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("REQUEST_CREATED", "CREATED"),
            ("REQUEST_APPROVED", "ENROLLREADY"),
            ("REQUEST_ENROLLED", "ISSUED")
        ]
    );
    let last = &events[2];
    assert_eq!(last["request"]["pk"], pk);
    assert_eq!(last["request"]["registration_authority"], 9999);
    assert_eq!(last["request"]["profile"], "PFnubeQAFCiudadano");
    assert_eq!(last["previous_status"], "ENROLLREADY");
    assert_eq!(
        last["sent_at"].as_str().unwrap().len(),
        14,
        "YYYYMMDDHHMMSS"
    );
    assert_eq!(last["certificates"][0]["status"], "VALID");
    assert!(last["certificates"][0]["serial_number"].is_string());
    let log = sim.get("/_sim/webhooks").await.body;
    assert_eq!(log["deliveries"].as_array().unwrap().len(), 3);
    assert!(
        log["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["state"] == "delivered" && d["url"] == url.as_str())
    );
}

#[tokio::test]
async fn legacy_format_retries_and_videoid_webhook_url() {
    let (r, url) = receiver(2).await;
    let sim = Sim::with(|c| {
        c.webhook_format = WebhookFormat::Legacy;
        c.webhook_backoff = Duration::from_millis(20);
    })
    .await;
    let body = json!({"mobile_phone_number": "+34600111222", "email": "v@example.com", "webhook_url": url});
    let res = sim.post("/api/v1/videoid", body).await;
    let pk = res.body["details"]["request_pk"].as_u64().unwrap();
    eventually("the retried creation event", || async {
        received(&r).len() == 1
    })
    .await;
    assert_eq!(
        r.calls.load(Ordering::SeqCst),
        3,
        "two failures, then delivered"
    );
    sim.post(&format!("/_sim/videoid/{pk}/complete"), json!({}))
        .await;
    eventually("the review event", || async { received(&r).len() == 2 }).await;
    let events = received(&r);
    assert_eq!(events[0]["status"], "VIDEOPENDING");
    assert_eq!(events[0]["previous_status"], Value::Null);
    assert_eq!(events[0]["request"], pk);
    assert_eq!(
        events[1],
        json!({"status": "VIDEOREVIEW", "previous_status": "VIDEOPENDING", "request": pk, "registration_authority": 9999, "date": events[1]["date"]})
    );
    let log = sim.get("/_sim/webhooks").await.body;
    let first = &log["deliveries"][0];
    assert_eq!(first["attempts"].as_array().unwrap().len(), 3, "{first}");
    assert_eq!(first["attempts"][0]["http_status"], 500);
    assert_eq!(first["state"], "delivered");
}

#[tokio::test]
async fn ra_webhook_url_and_bounded_retries() {
    let sim = Sim::with(|c| {
        // Nothing listens on port 9 of the loopback: every attempt fails fast.
        c.webhook_url = Some("http://127.0.0.1:9/hook".into());
        c.webhook_attempts = 3;
        c.webhook_backoff = Duration::from_millis(10);
    })
    .await;
    let pk = sim.create_request(L::Legacy).await;
    eventually("the deliveries to give up", || async {
        let log = sim.get("/_sim/webhooks").await.body;
        let d = log["deliveries"].as_array().unwrap().clone();
        d.len() == 2 && d.iter().all(|x| x["state"] == "failed")
    })
    .await;
    let log = sim.get("/_sim/webhooks").await.body;
    assert_eq!(log["deliveries"][0]["request_pk"], pk);
    assert_eq!(
        log["deliveries"][0]["attempts"].as_array().unwrap().len(),
        3
    );
    assert!(log["deliveries"][0]["attempts"][0]["error"].is_string());
}
