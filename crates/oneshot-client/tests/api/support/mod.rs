//! Local HTTP fixtures in the documented answer shapes of both layouts.
//!
//! `Api` wraps a wiremock server and knows how each layout spells paths and envelopes, so one
//! test body runs against both layouts: `for api in Api::both().await { ... }`.

pub mod current;
pub mod legacy;
pub mod multipart;
pub mod raw;

use oneshot_client::{Client, Layout, LayoutMode, ProxyConfig, RetryPolicy};
use serde_json::Value;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// Short timeouts keep failure tests fast.
pub const READ_TIMEOUT: Duration = Duration::from_millis(400);

/// Fast retries: two retries, a few milliseconds apart.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
    }
}

/// A client for `base` with test timeouts and no proxy.
pub fn client_for(base: &str, mode: LayoutMode) -> Client {
    Client::builder(base)
        .layout(mode)
        .proxy(ProxyConfig::None)
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(READ_TIMEOUT)
        .retry(fast_retry())
        .build()
        .expect("test client")
}

/// A fixture server speaking one layout.
pub struct Api {
    pub layout: Layout,
    pub server: MockServer,
    pub client: Client,
}

impl Api {
    pub async fn new(layout: Layout) -> Api {
        let server = MockServer::start().await;
        let mode = match layout {
            Layout::Current => LayoutMode::Current,
            Layout::Legacy => LayoutMode::Legacy,
        };
        let client = client_for(&server.uri(), mode);
        Api {
            layout,
            server,
            client,
        }
    }

    /// One fixture per layout.
    pub async fn both() -> [Api; 2] {
        [
            Api::new(Layout::Current).await,
            Api::new(Layout::Legacy).await,
        ]
    }

    /// Full path of `suffix` (written without prefix, e.g. `/tokens`) in this layout.
    pub fn path(&self, suffix: &str) -> String {
        match self.layout {
            Layout::Current => format!("/oneshot/api/v1{suffix}"),
            Layout::Legacy => format!("/api/v1{suffix}"),
        }
    }

    /// A mock for `verb` on this layout's `suffix`.
    pub fn on(&self, verb: &str, suffix: &str) -> MockBuilder {
        Mock::given(method(verb)).and(path(self.path(suffix)))
    }

    /// Success with `payload` in this layout's envelope.
    pub fn ok(&self, payload: Value) -> ResponseTemplate {
        match self.layout {
            Layout::Current => current::ok(payload),
            Layout::Legacy => legacy::ok(payload),
        }
    }

    /// Success carrying only a message.
    pub fn done(&self, message: &str) -> ResponseTemplate {
        match self.layout {
            Layout::Current => current::message(message),
            Layout::Legacy => legacy::ok(Value::String(message.to_owned())),
        }
    }

    /// A documented error: HTTP `status` and the legacy wording, in this layout's envelope.
    pub fn error(&self, status: u16, text: &str) -> ResponseTemplate {
        match self.layout {
            Layout::Current => current::error(status, text),
            Layout::Legacy => legacy::error(status, Value::String(text.to_owned())),
        }
    }

    /// An error whose payload is an object (field errors, per-document maps).
    pub fn error_object(&self, status: u16, payload: Value) -> ResponseTemplate {
        match self.layout {
            Layout::Current => current::error_object(status, payload),
            Layout::Legacy => legacy::error(status, payload),
        }
    }

    /// Requests the server received.
    pub async fn received(&self) -> Vec<wiremock::Request> {
        self.server.received_requests().await.unwrap_or_default()
    }

    /// The JSON body of the last request received.
    pub async fn last_json(&self) -> Value {
        let requests = self.received().await;
        let last = requests.last().expect("a request was received");
        serde_json::from_slice(&last.body).expect("JSON request body")
    }
}

/// Bytes of a small but real-looking PDF of `len` bytes.
pub fn pdf_bytes(len: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    while out.len() < len {
        out.push(b'a' + (out.len() % 26) as u8);
    }
    out.truncate(len.max(9));
    out
}
