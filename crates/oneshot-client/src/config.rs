//! How to reach an Optimizer: URL, layout, TLS trust, proxy, timeouts and retries.

use crate::error::{Error, ErrorCode, Result};
use crate::layout::{LayoutMode, normalise_base};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use secrecy::SecretString;
use std::fmt;
use std::path::Path;
use std::time::Duration;
use url::Url;

/// Everything needed to build a [`crate::Client`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Optimizer base URL, e.g. `https://optimizer.bank.local`. A trailing `/oneshot/api/v1` or
    /// `/api/v1` is accepted and ignored; any other path prefix (reverse proxy) is kept.
    pub base_url: Url,
    /// Path layout.
    pub layout: LayoutMode,
    /// Extra trust for on-premises Optimizers.
    pub tls: TlsConfig,
    /// Proxy selection.
    pub proxy: ProxyConfig,
    /// Connect and read timeouts.
    pub timeouts: Timeouts,
    /// Retries of idempotent calls.
    pub retry: RetryPolicy,
    /// Version in the `User-Agent: oneshot-desk/<version>` header (defaults to this crate's).
    pub user_agent_version: String,
}

impl ClientConfig {
    /// Defaults for `base_url`: current layout, system trust and proxy, 10 s connect, 60 s read,
    /// two retries.
    pub fn new(base_url: Url) -> Self {
        ClientConfig {
            base_url,
            layout: LayoutMode::default(),
            tls: TlsConfig::default(),
            proxy: ProxyConfig::default(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            user_agent_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }

    /// Parses `base_url` and applies the defaults of [`ClientConfig::new`].
    pub fn from_url(base_url: &str) -> Result<Self> {
        let url = Url::parse(base_url.trim()).map_err(|err| {
            Error::new(
                ErrorCode::ConfigInvalid,
                format!("invalid Optimizer URL: {err}"),
            )
        })?;
        Ok(ClientConfig::new(url))
    }

    pub(crate) fn normalised_base(&self) -> Result<Url> {
        match self.base_url.scheme() {
            "http" | "https" => {}
            other => {
                return Err(Error::new(
                    ErrorCode::ConfigInvalid,
                    format!("the Optimizer URL must be http or https, not {other}"),
                ));
            }
        }
        if self.base_url.host_str().is_none() {
            return Err(Error::new(
                ErrorCode::ConfigInvalid,
                "the Optimizer URL has no host",
            ));
        }
        Ok(normalise_base(self.base_url.clone()))
    }

    pub(crate) fn user_agent(&self) -> String {
        format!("oneshot-desk/{}", self.user_agent_version)
    }
}

/// TLS trust: the system roots, plus any extra CA certificates (e.g. the bank's own CA that
/// issued the on-premises Optimizer's certificate).
#[derive(Debug, Clone, Default)]
pub struct TlsConfig {
    /// Extra trusted roots, in addition to the system ones.
    pub extra_roots: Vec<CaCertificate>,
}

/// A CA certificate to trust.
#[derive(Clone)]
pub struct CaCertificate {
    der: CertificateDer<'static>,
}

impl CaCertificate {
    /// Every certificate of a PEM bundle (at least one is required).
    pub fn from_pem(pem: &[u8]) -> Result<Vec<CaCertificate>> {
        let certs = CertificateDer::pem_slice_iter(pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|err| {
                Error::new(
                    ErrorCode::ConfigInvalid,
                    format!("invalid PEM certificate: {err}"),
                )
            })?;
        if certs.is_empty() {
            return Err(Error::new(
                ErrorCode::ConfigInvalid,
                "the PEM data holds no CERTIFICATE block",
            ));
        }
        Ok(certs.into_iter().map(|der| CaCertificate { der }).collect())
    }

    /// Every certificate of a PEM file.
    pub fn from_pem_file(path: &Path) -> Result<Vec<CaCertificate>> {
        let pem = std::fs::read(path).map_err(|err| Error::io_file("read", path, err))?;
        CaCertificate::from_pem(&pem)
    }

    /// A DER-encoded certificate.
    pub fn from_der(der: impl Into<Vec<u8>>) -> Self {
        CaCertificate {
            der: CertificateDer::from(der.into()),
        }
    }

    pub(crate) fn der(&self) -> CertificateDer<'static> {
        self.der.clone()
    }
}

impl fmt::Debug for CaCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CaCertificate({} bytes DER)", self.der.len())
    }
}

/// Which proxy to use.
#[derive(Debug, Clone, Default)]
pub enum ProxyConfig {
    /// The system's proxy settings and the `HTTP(S)_PROXY`/`NO_PROXY` variables (default).
    #[default]
    System,
    /// Connect directly.
    None,
    /// This proxy for every request.
    Explicit {
        /// `http://proxy:3128` (or `https://`, `socks5://` is not supported).
        url: Url,
        /// Basic credentials for the proxy.
        auth: Option<ProxyAuth>,
    },
}

/// Proxy basic-auth credentials.
#[derive(Clone)]
pub struct ProxyAuth {
    /// User name.
    pub username: String,
    /// Password (never shown in Debug output).
    pub password: SecretString,
}

impl fmt::Debug for ProxyAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyAuth")
            .field("username", &self.username)
            .field("password", &"[REDACTED]")
            .finish()
    }
}

/// Network timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// Longest wait for a TCP+TLS connection.
    pub connect: Duration,
    /// Longest silence while waiting for (a part of) an answer. There is deliberately no total
    /// timeout: a 500 MB upload may take long but is never silent.
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(60),
        }
    }
}

/// Retries of idempotent calls (GET, DELETE) on transport failures and 502/503/504, with
/// exponential backoff and jitter. Nothing else is ever retried.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: usize,
    /// First backoff delay.
    pub min_delay: Duration,
    /// Longest backoff delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(300),
            max_delay: Duration::from_secs(3),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }
}
