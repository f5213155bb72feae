//! Webhooks (API.md §E): a POST of JSON on every status change, in the current or legacy format,
//! to the request's callback (or the RA-configured URL). Deliveries to one URL go out in order,
//! each retried with exponential backoff a bounded number of times. Every delivery is logged for
//! `GET /_sim/webhooks`.

use crate::config::WebhookFormat;
use crate::core::model::{Request, Status};
use crate::core::record::ra_value;
use crate::core::time;
use backon::{ExponentialBuilder, Retryable};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// Deliveries kept in the log.
const LOG_CAPACITY: usize = 1000;
/// Time allowed for one delivery attempt.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// One status change to announce.
#[derive(Clone, Debug)]
pub struct Event {
    url: String,
    pk: u64,
    previous: Option<Status>,
    status: Status,
    event_type: &'static str,
    at: jiff::Timestamp,
    profile: String,
    registration_authority: String,
    scratchcard: String,
    certificates: Vec<Value>,
}

fn event_type(previous: Option<Status>, status: Status) -> &'static str {
    match (previous, status) {
        (None, _) | (_, Status::Created | Status::VideoPending) => "REQUEST_CREATED",
        (_, Status::VideoReview | Status::VideoIncomplete) => "VIDEOID_UPDATED",
        (_, Status::VideoError) => "VIDEOID_FAILED",
        (_, Status::EnrollReady) => "REQUEST_APPROVED",
        (_, Status::Issued) => "REQUEST_ENROLLED",
        (_, Status::Cancelled) => "REQUEST_CANCELED",
    }
}

impl Event {
    /// The change of `request` from `previous` to `status`.
    pub fn new(
        url: String,
        request: &Request,
        previous: Option<Status>,
        status: Status,
        event_type_override: Option<&'static str>,
    ) -> Self {
        let certificates = match (&request.certificate, status) {
            (Some(c), Status::Issued) => vec![json!({
                "status": "VALID", "serial_number": c.serial_number,
                "valid_from": c.valid_from, "valid_to": c.valid_to,
            })],
            _ => Vec::new(),
        };
        Self {
            url,
            pk: request.pk,
            previous,
            status,
            event_type: event_type_override.unwrap_or_else(|| event_type(previous, status)),
            at: time::now(),
            profile: request.profile.clone(),
            registration_authority: request.registration_authority.clone(),
            scratchcard: request.scratchcard.clone(),
            certificates,
        }
    }

    /// The JSON body in `format`.
    pub fn payload(&self, format: WebhookFormat) -> Value {
        match format {
            WebhookFormat::Current => {
                let mut body = json!({
                    "event_type": self.event_type,
                    "sent_at": time::compact(self.at),
                    "request": {
                        "status": self.status.as_str(),
                        "profile": self.profile,
                        "registration_authority": ra_value(&self.registration_authority),
                        "scratchcard": self.scratchcard,
                        "pk": self.pk,
                    },
                    "certificates": self.certificates,
                    "date": time::iso_naive(self.at),
                });
                if let (Some(prev), Some(obj)) = (self.previous, body.as_object_mut()) {
                    obj.insert("previous_status".into(), Value::from(prev.as_str()));
                }
                body
            }
            WebhookFormat::Legacy => json!({
                "status": self.status.as_str(),
                "date": time::iso_naive(self.at),
                "previous_status": self.previous.map(Status::as_str),
                "request": self.pk,
                "registration_authority": ra_value(&self.registration_authority),
            }),
        }
    }
}

/// One delivery attempt, for the log.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    /// When (RFC 3339).
    pub at: String,
    /// HTTP status answered, if any.
    pub http_status: Option<u16>,
    /// Transport error, if any.
    pub error: Option<String>,
}

/// A logged delivery.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    /// Sequence number.
    pub id: u64,
    /// Target URL.
    pub url: String,
    /// Request pk.
    pub request_pk: u64,
    /// Event type (current vocabulary, also for legacy deliveries).
    pub event_type: String,
    /// New status.
    pub status: String,
    /// Body sent.
    pub payload: Value,
    /// Attempts made so far.
    pub attempts: Vec<Attempt>,
    /// `pending`, `delivered` or `failed` (gave up).
    pub state: &'static str,
}

struct Inner {
    format: WebhookFormat,
    attempts: usize,
    backoff: Duration,
    client: reqwest::Client,
    queues: Mutex<HashMap<String, mpsc::UnboundedSender<u64>>>,
    log: Mutex<VecDeque<Delivery>>,
    next_id: AtomicU64,
}

/// The webhook sender.
#[derive(Clone)]
pub struct Webhooks {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Critical sections only push, read or replace whole values.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Webhooks {
    /// A sender posting `format`, `attempts` times at most per event, first retry after `backoff`.
    pub fn new(format: WebhookFormat, attempts: usize, backoff: Duration) -> Self {
        let client = reqwest::Client::builder()
            .timeout(ATTEMPT_TIMEOUT)
            .user_agent(concat!("optimizer-sim/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self {
            inner: Arc::new(Inner {
                format,
                attempts: attempts.max(1),
                backoff,
                client,
                queues: Mutex::new(HashMap::new()),
                log: Mutex::new(VecDeque::new()),
                next_id: AtomicU64::new(1),
            }),
        }
    }

    /// Queues `event` (must be called inside the tokio runtime).
    pub fn send(&self, event: Event) {
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let delivery = Delivery {
            id,
            url: event.url.clone(),
            request_pk: event.pk,
            event_type: event.event_type.to_string(),
            status: event.status.as_str().to_string(),
            payload: event.payload(self.inner.format),
            attempts: Vec::new(),
            state: "pending",
        };
        {
            let mut log = lock(&self.inner.log);
            if log.len() == LOG_CAPACITY {
                log.pop_front();
            }
            log.push_back(delivery);
        }
        let mut queues = lock(&self.inner.queues);
        let sender = queues.entry(event.url.clone()).or_insert_with(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(worker(Arc::clone(&self.inner), event.url.clone(), rx));
            tx
        });
        if sender.send(id).is_err() {
            tracing::warn!(url = %event.url, "webhook queue closed; event dropped");
        }
    }

    /// The delivery log, oldest first.
    pub fn log(&self) -> Vec<Delivery> {
        lock(&self.inner.log).iter().cloned().collect()
    }
}

fn update(inner: &Inner, id: u64, f: impl FnOnce(&mut Delivery)) {
    if let Some(d) = lock(&inner.log).iter_mut().find(|d| d.id == id) {
        f(d);
    }
}

/// Delivers the events of one URL in order.
async fn worker(inner: Arc<Inner>, url: String, mut rx: mpsc::UnboundedReceiver<u64>) {
    while let Some(id) = rx.recv().await {
        let Some(payload) = lock(&inner.log)
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.payload.clone())
        else {
            continue;
        };
        let attempt = || async {
            let result = inner.client.post(&url).json(&payload).send().await;
            let (http_status, error) = match &result {
                Ok(res) => (Some(res.status().as_u16()), None),
                Err(e) => (None, Some(e.to_string())),
            };
            update(&inner, id, |d| {
                d.attempts.push(Attempt {
                    at: time::rfc3339(time::now()),
                    http_status,
                    error,
                })
            });
            match result {
                Ok(res) if res.status().is_success() => Ok(()),
                Ok(res) => Err(format!("HTTP {}", res.status())),
                Err(e) => Err(e.to_string()),
            }
        };
        let policy = ExponentialBuilder::default()
            .with_min_delay(inner.backoff)
            .with_max_delay(inner.backoff.saturating_mul(32))
            .with_max_times(inner.attempts - 1);
        let outcome = attempt.retry(policy).sleep(tokio::time::sleep).await;
        let state = if outcome.is_ok() {
            "delivered"
        } else {
            "failed"
        };
        if let Err(err) = &outcome {
            tracing::warn!(%url, "webhook delivery gave up: {err}");
        }
        update(&inner, id, |d| d.state = state);
    }
}
