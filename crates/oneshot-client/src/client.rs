//! The [`Client`]: cheap to clone, shareable across tasks, one per Optimizer.

use crate::config::{CaCertificate, ClientConfig, ProxyConfig, RetryPolicy};
use crate::envelope::Answer;
use crate::error::{Error, ErrorCode, Result};
use crate::layout::{Layout, LayoutMode, OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transfer::{TransferControl, UploadCounter};
use crate::transport::{OutBody, Transport};
use serde_json::Value;
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;
use url::Url;

/// Typed async client of one One-Shot Optimizer. Clones share the connection pool and the
/// detected layout.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) transport: Transport,
    pub(crate) base: Url,
    mode: LayoutMode,
    resolved: OnceCell<Layout>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("mode", &self.inner.mode)
            .field("layout", &self.inner.resolved.get())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Result<Client> {
        let base = config.normalised_base()?;
        let transport = Transport::new(&config)?;
        let resolved = match config.layout {
            LayoutMode::Current => OnceCell::new_with(Some(Layout::Current)),
            LayoutMode::Legacy => OnceCell::new_with(Some(Layout::Legacy)),
            LayoutMode::Auto => OnceCell::new(),
        };
        Ok(Client {
            inner: Arc::new(Inner {
                transport,
                base,
                mode: config.layout,
                resolved,
            }),
        })
    }

    /// A builder starting from [`ClientConfig::from_url`].
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            config: ClientConfig::from_url(base_url),
            extra_roots: Vec::new(),
        }
    }

    /// The layout in use; with [`LayoutMode::Auto`] the first call probes the Optimizer and the
    /// answer is remembered (a failed probe is retried by the next call).
    pub async fn layout(&self) -> Result<Layout> {
        self.inner.layout().await
    }

    /// The base URL requests are made against (normalised, ending in `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }
}

impl Inner {
    pub(crate) async fn layout(&self) -> Result<Layout> {
        self.resolved
            .get_or_try_init(|| self.detect_layout())
            .await
            .copied()
    }

    /// Probes the current layout (`GET /oneshot/api/v1/tokens` answering a 2xx envelope), then
    /// the legacy one (`GET /api/v1/hello` answering `"Hello"`).
    async fn detect_layout(&self) -> Result<Layout> {
        let current = self
            .call_json_in(
                Layout::Current,
                OpKind::ListTokens,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await;
        match current {
            // A 2xx JSON object with a status or payload at the current path: a legacy
            // Optimizer has no such route.
            Ok(answer) if answer.envelope.is_envelope() || answer.envelope.payload().is_some() => {
                tracing::info!(layout = "current", "detected the Optimizer's API layout");
                return Ok(Layout::Current);
            }
            Ok(_) => {}
            Err(err) if err.code().is_transport() => return Err(err),
            Err(_) => {}
        }
        let legacy = self
            .call_json_in(
                Layout::Legacy,
                OpKind::Hello,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await;
        match legacy {
            Ok(answer) if says_hello(answer.envelope.payload()) => {
                tracing::info!(layout = "legacy", "detected the Optimizer's API layout");
                Ok(Layout::Legacy)
            }
            Err(err) if err.code().is_transport() => Err(err),
            _ => Err(Error::new(
                ErrorCode::OptimizerNotRecognised,
                format!(
                    "{} offers neither the current (/oneshot/api/v1) nor the legacy (/api/v1) One-Shot API",
                    self.base
                ),
            )),
        }
    }

    /// A multipart upload: never retried, cancellable, with local read failures reported as
    /// `io.file` rather than as the transport error they cause.
    pub(crate) async fn call_upload(
        &self,
        op: OpKind,
        args: RouteArgs<'_>,
        form: reqwest::multipart::Form,
        counter: &Arc<UploadCounter>,
        control: &TransferControl,
        redactor: Redactor,
    ) -> Result<Answer> {
        let work = self.call_json(op, args, OutBody::Multipart(form), redactor);
        let watched = watch_idle(counter, self.transport.read_timeout(), work);
        control
            .run(watched)
            .await
            .map_err(|err| counter.take_read_error().unwrap_or(err))
    }
}

/// Fails an upload that made no progress for `limit`: neither a byte sent nor, once everything
/// is sent, an answer.
async fn watch_idle<T>(
    counter: &UploadCounter,
    limit: Duration,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    tokio::pin!(work);
    loop {
        let idle = counter.idle_for();
        if idle >= limit {
            return Err(Error::new(
                ErrorCode::OptimizerTimeout,
                format!(
                    "the upload made no progress and got no answer for {} ms",
                    limit.as_millis()
                ),
            )
            .with_maybe_processed(true));
        }
        tokio::select! {
            result = &mut work => return result,
            () = tokio::time::sleep(limit - idle) => {}
        }
    }
}

fn says_hello(payload: Option<&Value>) -> bool {
    payload
        .and_then(Value::as_str)
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("hello"))
}

/// Builder of a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    config: Result<ClientConfig>,
    extra_roots: Vec<Result<Vec<CaCertificate>>>,
}

impl ClientBuilder {
    fn map(mut self, f: impl FnOnce(&mut ClientConfig)) -> Self {
        if let Ok(config) = &mut self.config {
            f(config);
        }
        self
    }

    /// Path layout (default: current).
    pub fn layout(self, mode: LayoutMode) -> Self {
        self.map(|c| c.layout = mode)
    }

    /// Trusts the CA certificates of a PEM bundle in addition to the system roots.
    pub fn extra_ca_pem(mut self, pem: &[u8]) -> Self {
        self.extra_roots.push(CaCertificate::from_pem(pem));
        self
    }

    /// Trusts the CA certificates of a PEM file in addition to the system roots.
    pub fn extra_ca_pem_file(mut self, path: &Path) -> Self {
        self.extra_roots.push(CaCertificate::from_pem_file(path));
        self
    }

    /// Proxy selection (default: system).
    pub fn proxy(self, proxy: ProxyConfig) -> Self {
        self.map(|c| c.proxy = proxy)
    }

    /// Connect timeout.
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.map(|c| c.timeouts.connect = timeout)
    }

    /// Read timeout (longest silence while waiting for data).
    pub fn read_timeout(self, timeout: Duration) -> Self {
        self.map(|c| c.timeouts.read = timeout)
    }

    /// Retry policy of idempotent calls.
    pub fn retry(self, retry: RetryPolicy) -> Self {
        self.map(|c| c.retry = retry)
    }

    /// Version sent in `User-Agent: oneshot-desk/<version>`.
    pub fn user_agent_version(self, version: impl Into<String>) -> Self {
        let version = version.into();
        self.map(|c| c.user_agent_version = version)
    }

    /// The configuration this builder holds (after applying the extra roots).
    pub fn into_config(self) -> Result<ClientConfig> {
        let mut config = self.config?;
        for roots in self.extra_roots {
            config.tls.extra_roots.extend(roots?);
        }
        Ok(config)
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        Client::new(self.into_config()?)
    }
}
