//! Test harness: an in-process simulator on a free port, driven over real HTTP with a plain
//! reqwest client, plus helpers for the flows every test needs.

use optimizer_sim::{SimConfig, SimHandle, Simulator};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::time::Duration;

use crate::fixtures;

/// The API layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum L {
    Current,
    Legacy,
}

pub const BOTH: [L; 2] = [L::Current, L::Legacy];

impl L {
    pub fn prefix(self) -> &'static str {
        match self {
            L::Current => "/oneshot/api/v1",
            L::Legacy => "/api/v1",
        }
    }

    pub fn create_path(self) -> String {
        match self {
            L::Current => "/oneshot/api/v1/create".into(),
            L::Legacy => "/api/v1/request".into(),
        }
    }

    pub fn contract_path(self, pk: u64) -> String {
        match self {
            L::Current => format!("/oneshot/api/v1/contract/{pk}/"),
            L::Legacy => format!("/api/v1/document/{pk}/contract"),
        }
    }

    pub fn signed_path(self, pk: u64, uid: &str) -> String {
        match self {
            L::Current => format!("/oneshot/api/v1/document/{pk}/{uid}?document_type=signed"),
            L::Legacy => format!("/api/v1/document/{pk}/signed/{uid}"),
        }
    }

    pub fn original_path(self, pk: u64, uid: &str) -> String {
        match self {
            L::Current => format!("/oneshot/api/v1/document/{pk}/{uid}?document_type=original"),
            L::Legacy => format!("/api/v1/document/{pk}/original/{uid}"),
        }
    }

    /// The text of an error body in this layout.
    pub fn error_text(self, body: &Value) -> Value {
        match self {
            L::Current => {
                assert_eq!(body["status"], "error", "current error envelope: {body}");
                body["detail"].clone()
            }
            L::Legacy => body["details"].clone(),
        }
    }

    /// The message of a message-only success.
    pub fn ok_text(self, body: &Value) -> Value {
        match self {
            L::Current => {
                assert_eq!(
                    body["status"], "success",
                    "current success envelope: {body}"
                );
                body["message"].clone()
            }
            L::Legacy => {
                assert!(
                    body["status"].as_str().is_some_and(|s| s.starts_with('2')),
                    "{body}"
                );
                body["details"].clone()
            }
        }
    }
}

/// A configuration for tests: the defaults (B-T timestamps, the documented 60 s OTP interval),
/// seeded so ids and OTPs repeat from run to run.
pub fn test_config() -> SimConfig {
    SimConfig {
        seed: Some(7),
        ..SimConfig::default()
    }
}

pub struct Sim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
}

pub struct Response {
    pub status: u16,
    pub body: Value,
}

impl Sim {
    pub async fn start() -> Sim {
        Self::with(|_| {}).await
    }

    pub async fn with(adjust: impl FnOnce(&mut SimConfig)) -> Sim {
        let mut config = test_config();
        adjust(&mut config);
        Self::from_config(config).await
    }

    pub async fn from_config(config: SimConfig) -> Sim {
        let handle = Simulator::start(config).await.expect("simulator starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap();
        Sim { handle, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    async fn finish(res: reqwest::Response) -> Response {
        let status = res.status().as_u16();
        let bytes = res.bytes().await.expect("body");
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Response { status, body }
    }

    pub async fn get(&self, path: &str) -> Response {
        Self::finish(self.http.get(self.url(path)).send().await.expect("GET")).await
    }

    pub async fn get_bytes(&self, path: &str) -> (u16, Vec<u8>, String) {
        let res = self.http.get(self.url(path)).send().await.expect("GET");
        let status = res.status().as_u16();
        let ctype = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, res.bytes().await.expect("body").to_vec(), ctype)
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        Self::finish(
            self.http
                .post(self.url(path))
                .json(&body)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> Response {
        let req = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json");
        Self::finish(req.body(body).send().await.expect("POST")).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Response {
        Self::finish(
            self.http
                .put(self.url(path))
                .json(&body)
                .send()
                .await
                .expect("PUT"),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> Response {
        Self::finish(
            self.http
                .delete(self.url(path))
                .send()
                .await
                .expect("DELETE"),
        )
        .await
    }

    pub async fn multipart(&self, path: &str, form: Form) -> Response {
        Self::finish(
            self.http
                .post(self.url(path))
                .multipart(form)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// A create form with valid customer data and ID images, using the sandbox token.
    pub fn customer_form() -> Form {
        Form::new()
            .text("given_name", "Ana")
            .text("surname_1", "García")
            .text("surname_2", "López")
            .text("id_document_type", "IDC")
            .text("id_document_country", "ES")
            .text("serial_number", "12345678Z")
            .text("email", "ana@example.com")
            .text("mobile_phone_number", "+34600123123")
            .text("token", optimizer_sim::config::SANDBOX_TOKEN)
            .part("document_front", png_part("front.png"))
            .part("document_rear", png_part("rear.png"))
    }

    /// Creates a classic request; returns its pk.
    pub async fn create_request(&self, layout: L) -> u64 {
        self.create_with(layout, Self::customer_form()).await
    }

    pub async fn create_with(&self, layout: L, form: Form) -> u64 {
        let res = self.multipart(&layout.create_path(), form).await;
        assert_eq!(res.status, 201, "create: {}", res.body);
        match layout {
            L::Current => res.body["details"]["pk"].as_u64().expect("pk"),
            L::Legacy => res.body["details"].as_u64().expect("pk"),
        }
    }

    /// Uploads PDFs (`file`, `file2`, ...); returns their uids in order.
    pub async fn upload(&self, layout: L, pk: u64, files: &[(&str, Vec<u8>)]) -> Vec<String> {
        let mut form = Form::new();
        for (i, (name, bytes)) in files.iter().enumerate() {
            let key = if i == 0 {
                "file".to_string()
            } else {
                format!("file{}", i + 1)
            };
            let part = Part::bytes(bytes.clone())
                .file_name(name.to_string())
                .mime_str("application/pdf")
                .unwrap();
            form = form.part(key, part);
        }
        let res = self
            .multipart(&format!("{}/document/{pk}", layout.prefix()), form)
            .await;
        assert_eq!(res.status, 200, "upload: {}", res.body);
        uids_of(layout, &res.body)
    }

    /// Generates an OTP and reads it from the customer's phone.
    pub async fn otp(&self, layout: L, pk: u64) -> String {
        let res = self
            .post(&format!("{}/otp/{pk}", layout.prefix()), json!({}))
            .await;
        assert_eq!(res.status, 200, "otp: {}", res.body);
        self.sms(pk).await
    }

    pub async fn sms(&self, pk: u64) -> String {
        let res = self.get(&format!("/_sim/sms/{pk}")).await;
        assert_eq!(res.status, 200, "sms: {}", res.body);
        res.body["otp"].as_str().expect("otp").to_string()
    }

    pub async fn sign(&self, layout: L, pk: u64, body: Value) -> Response {
        self.post(&format!("{}/sign/{pk}", layout.prefix()), body)
            .await
    }

    pub async fn status_of(&self, layout: L, pk: u64) -> String {
        let res = self.get(&format!("{}/request/{pk}", layout.prefix())).await;
        assert_eq!(res.status, 200, "get request: {}", res.body);
        // Both layouts put the record under `details` (AGREED-API.md).
        let record = &res.body["details"];
        record["status"].as_str().expect("status").to_string()
    }

    pub fn ca_pem(&self) -> String {
        self.handle.ca_certificate_pem()
    }
}

/// Upload answer → uids.
pub fn uids_of(layout: L, body: &Value) -> Vec<String> {
    match layout {
        L::Current => match &body["detail"] {
            Value::Array(items) => items
                .iter()
                .map(|i| i["uid"].as_str().unwrap().to_string())
                .collect(),
            one => vec![one["uid"].as_str().expect("uid").to_string()],
        },
        L::Legacy => match &body["details"] {
            Value::Array(items) => items
                .iter()
                .map(|i| i["uid"].as_str().unwrap().to_string())
                .collect(),
            Value::String(uid) => vec![uid.clone()],
            other => panic!("unexpected upload details {other}"),
        },
    }
}

pub fn png_part(name: &str) -> Part {
    Part::bytes(fixtures::png(8, 8))
        .file_name(name.to_string())
        .mime_str("image/png")
        .unwrap()
}

/// Polls until `check` holds (bounded), for background work like async sign or webhooks.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

impl Sim {
    /// Validates every signed PDF of request `pk` (documents and contract) with pdfsig and
    /// pyHanko, so no signature the suite produces goes unchecked (each signed once here).
    pub async fn assert_request_signatures(&self, layout: L, pk: u64) {
        let validators = crate::tools::Validators::new(&self.ca_pem());
        let list = self
            .get(&format!("{}/documents/{pk}", layout.prefix()))
            .await;
        let mut checked = 0;
        if let Some(docs) = list.body["details"].as_object() {
            for (uid, doc) in docs.iter().filter(|(_, d)| d["mime"] == "application/pdf") {
                let (status, bytes, _) = self.get_bytes(&layout.signed_path(pk, uid)).await;
                assert_eq!(status, 200, "signed copy of {uid}");
                let name = format!("{pk}-{}", doc["filename"].as_str().unwrap_or("doc.pdf"));
                validators.assert_signed(&name, &bytes, 1);
                checked += 1;
            }
        }
        let (status, contract, _) = self.get_bytes(&layout.contract_path(pk)).await;
        assert_eq!(status, 200);
        validators.assert_signed(&format!("{pk}-contract.pdf"), &contract, 1);
        assert!(
            checked > 0 || list.status == 404,
            "documents of {pk}: {}",
            list.body
        );
    }
}

impl Sim {
    /// Validates the signatures of every ISSUED request this simulator holds (pks from 1001 on).
    pub async fn assert_all_signatures(&self) {
        let mut pk = 1001;
        loop {
            let res = self.get(&format!("/api/v1/request/{pk}")).await;
            if res.status == 404 {
                break;
            }
            if res.body["details"]["status"] == "ISSUED" {
                self.assert_request_signatures(L::Legacy, pk).await;
            }
            pk += 1;
        }
    }
}
