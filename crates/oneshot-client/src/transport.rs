//! The HTTP layer: one configured reqwest client, sending with retries for idempotent calls, and
//! the naming of transport failures.

use crate::config::{ClientConfig, ProxyConfig, RetryPolicy};
use crate::error::{Error, ErrorCode, Result};
use crate::layout::Route;
use crate::tls;
use backon::{ExponentialBuilder, Retryable};
use bytes::Bytes;
use reqwest::redirect::{Attempt, Policy};
use reqwest::{Response, header};
use secrecy::ExposeSecret;
use std::time::Duration;
use url::Url;

/// Longest chain of same-origin redirects followed.
const MAX_REDIRECTS: usize = 5;

/// A request body.
pub(crate) enum OutBody {
    Empty,
    Json(Bytes),
    Multipart(reqwest::multipart::Form),
}

impl OutBody {
    pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<OutBody> {
        serde_json::to_vec(value)
            .map(|v| OutBody::Json(Bytes::from(v)))
            .map_err(|err| {
                Error::new(
                    ErrorCode::InputInvalid,
                    format!("cannot encode the request: {err}"),
                )
            })
    }
}

pub(crate) struct Transport {
    http: reqwest::Client,
    /// Same settings without reqwest's read timeout, which runs from the start of a request
    /// to its answer and would cut long uploads; uploads are watched for inactivity instead
    /// (see `Inner::call_upload`).
    http_upload: reqwest::Client,
    retry: RetryPolicy,
    explicit_proxy: bool,
    read_timeout: Duration,
}

/// One failed attempt: either a transport error or a 502/503/504 answer worth retrying.
enum AttemptFailure {
    Transport(Error),
    Status(Response),
}

impl AttemptFailure {
    fn retryable(&self) -> bool {
        match self {
            AttemptFailure::Status(_) => true,
            AttemptFailure::Transport(err) => matches!(
                err.code(),
                ErrorCode::OptimizerUnreachable
                    | ErrorCode::OptimizerTimeout
                    | ErrorCode::ProxyUnreachable
            ),
        }
    }
}

impl Transport {
    pub(crate) fn new(config: &ClientConfig) -> Result<Self> {
        Ok(Transport {
            http: http_client(config, true)?,
            http_upload: http_client(config, false)?,
            retry: config.retry,
            explicit_proxy: matches!(config.proxy, ProxyConfig::Explicit { .. }),
            read_timeout: config.timeouts.read,
        })
    }

    /// Longest silence tolerated while waiting for data.
    pub(crate) fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// Sends `body` to `route`. Idempotent calls without a streamed body are retried on
    /// transport failures and 502/503/504; the last 5xx answer is returned for classification.
    pub(crate) async fn send(&self, route: &Route, body: OutBody) -> Result<Response> {
        let json = match body {
            OutBody::Multipart(form) => return self.once(route, Some(form), None).await,
            OutBody::Empty => None,
            OutBody::Json(bytes) => Some(bytes),
        };
        if !route.idempotent() || self.retry.max_retries == 0 {
            return self.once(route, None, json).await;
        }
        let backoff = ExponentialBuilder::default()
            .with_min_delay(self.retry.min_delay)
            .with_max_delay(self.retry.max_delay)
            .with_max_times(self.retry.max_retries)
            .with_jitter();
        let attempt = || async {
            match self.once(route, None, json.clone()).await {
                Ok(resp) if matches!(resp.status().as_u16(), 502..=504) => {
                    Err(AttemptFailure::Status(resp))
                }
                Ok(resp) => Ok(resp),
                Err(err) => Err(AttemptFailure::Transport(err)),
            }
        };
        let outcome = attempt
            .retry(backoff)
            .when(AttemptFailure::retryable)
            .notify(|failure, delay| {
                let reason = match failure {
                    AttemptFailure::Status(resp) => resp.status().as_u16().to_string(),
                    AttemptFailure::Transport(err) => err.code().as_str().to_owned(),
                };
                tracing::debug!(reason, delay_ms = delay.as_millis() as u64, "retrying");
            })
            .await;
        match outcome {
            Ok(resp) | Err(AttemptFailure::Status(resp)) => Ok(resp),
            Err(AttemptFailure::Transport(err)) => Err(err),
        }
    }

    async fn once(
        &self,
        route: &Route,
        form: Option<reqwest::multipart::Form>,
        json: Option<Bytes>,
    ) -> Result<Response> {
        let request = match (form, json) {
            (Some(form), _) => self
                .http_upload
                .request(route.method.clone(), route.url.clone())
                .multipart(form),
            (None, Some(json)) => self
                .http
                .request(route.method.clone(), route.url.clone())
                .header(header::CONTENT_TYPE, "application/json")
                .body(json),
            (None, None) => self.http.request(route.method.clone(), route.url.clone()),
        };
        request
            .send()
            .await
            .map_err(|err| self.transport_error(err, route))
    }

    /// Names a reqwest failure. The URL is dropped from the error (it can hold a token uid).
    pub(crate) fn transport_error(&self, err: reqwest::Error, route: &Route) -> Error {
        let err = err.without_url();
        let what = format!("{} {}", route.method, route.template);
        let chain = error_chain(&err);
        let (code, message, maybe_processed) = if let Some((code, detail)) = tls::classify(&err) {
            (
                code,
                format!("TLS failure talking to the Optimizer ({what}): {detail}"),
                false,
            )
        } else if chain.contains("proxy authorization required") {
            (
                ErrorCode::ProxyAuthRequired,
                format!("the proxy requires authentication ({what})"),
                false,
            )
        } else if chain.contains("tunnel error") {
            (
                ErrorCode::ProxyUnreachable,
                format!("the proxy could not open a tunnel ({what}): {chain}"),
                false,
            )
        } else if err.is_connect() && self.explicit_proxy {
            (
                ErrorCode::ProxyUnreachable,
                format!("cannot connect to the proxy ({what}): {chain}"),
                false,
            )
        } else if err.is_connect() {
            (
                ErrorCode::OptimizerUnreachable,
                format!("cannot connect to the Optimizer ({what}): {chain}"),
                false,
            )
        } else if err.is_timeout() {
            (
                ErrorCode::OptimizerTimeout,
                format!("the Optimizer did not answer in time ({what})"),
                true,
            )
        } else if err.is_redirect() {
            (
                ErrorCode::OptimizerRedirectRefused,
                format!("redirect not followed ({what}): {chain}"),
                false,
            )
        } else {
            (
                ErrorCode::OptimizerUnreachable,
                format!("the connection to the Optimizer broke ({what}): {chain}"),
                true,
            )
        };
        Error::new(code, message)
            .with_maybe_processed(maybe_processed)
            .with_source(err)
    }
}

fn http_client(config: &ClientConfig, with_read_timeout: bool) -> Result<reqwest::Client> {
    let tls = tls::client_config(&config.tls)?;
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .user_agent(config.user_agent())
        .connect_timeout(config.timeouts.connect)
        .pool_idle_timeout(Duration::from_secs(30))
        .redirect(Policy::custom(same_origin_only));
    if with_read_timeout {
        builder = builder.read_timeout(config.timeouts.read);
    }
    match &config.proxy {
        ProxyConfig::System => {}
        ProxyConfig::None => builder = builder.no_proxy(),
        ProxyConfig::Explicit { url, auth } => {
            let mut proxy = reqwest::Proxy::all(url.as_str()).map_err(|err| {
                Error::new(
                    ErrorCode::ConfigInvalid,
                    format!("invalid proxy URL: {err}"),
                )
            })?;
            if let Some(auth) = auth {
                proxy = proxy.basic_auth(&auth.username, auth.password.expose_secret());
            }
            builder = builder.proxy(proxy);
        }
    }
    builder.build().map_err(|err| {
        Error::new(
            ErrorCode::ConfigInvalid,
            format!("cannot build the HTTP client: {err}"),
        )
        .with_source(err.without_url())
    })
}

/// Follows redirects only within the same scheme, host and port: a redirect elsewhere would
/// carry RAO credentials and documents to a server nobody configured.
fn same_origin_only(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let Some(first) = attempt.previous().first() else {
        return attempt.stop();
    };
    if attempt.previous().len() > MAX_REDIRECTS || !same_origin(first, attempt.url()) {
        attempt.stop()
    } else {
        attempt.follow()
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `outer: inner: innermost` texts of an error chain.
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}
