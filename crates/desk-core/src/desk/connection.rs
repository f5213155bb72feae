//! How the desk reaches the Optimizer, and the connection test of the settings screen and
//! `doctor`.

use crate::error::{DeskError, DeskResult};
use crate::settings::{LayoutPreference, OptimizerSettings, ProxySetting};
use oneshot_client::{Client, ClientConfig, LayoutMode, ProxyConfig, RetryPolicy, Timeouts};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// The values that make a connection (the `optimizer.*` settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionSettings {
    /// Base URL; `None`: not configured.
    pub url: Option<String>,
    /// `auto`, `current` or `legacy`.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub layout: LayoutPreference,
    /// Extra CA certificates (PEM file).
    pub ca_certificate: Option<PathBuf>,
    /// `system`, `none` or a proxy URL.
    pub proxy: String,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: u64,
    /// Seconds to wait for an answer once connected.
    pub read_timeout_secs: u64,
}

/// Values that replace the settings' for one process (the CLI's global options).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectionOverride {
    /// `--optimizer URL`.
    pub url: Option<String>,
    /// `--layout`.
    pub layout: Option<LayoutPreference>,
    /// `--ca-cert FILE`.
    pub ca_certificate: Option<PathBuf>,
    /// `--proxy URL` (or `system` / `none`).
    pub proxy: Option<String>,
}

impl ConnectionSettings {
    pub(crate) fn from_settings(optimizer: &OptimizerSettings) -> Self {
        ConnectionSettings {
            url: optimizer.url.as_ref().map(|u| u.url().to_string()),
            layout: optimizer.layout,
            ca_certificate: optimizer
                .ca_certificate
                .as_ref()
                .map(|p| p.path().to_path_buf()),
            proxy: optimizer.proxy.to_string(),
            connect_timeout_secs: optimizer.connect_timeout_secs,
            read_timeout_secs: optimizer.read_timeout_secs,
        }
    }

    pub(crate) fn with_override(mut self, over: &ConnectionOverride) -> Self {
        if let Some(url) = &over.url {
            self.url = Some(url.clone());
        }
        if let Some(layout) = over.layout {
            self.layout = layout;
        }
        if let Some(ca) = &over.ca_certificate {
            self.ca_certificate = Some(ca.clone());
        }
        if let Some(proxy) = &over.proxy {
            self.proxy = proxy.clone();
        }
        self
    }

    /// The client these values describe.
    pub(crate) fn client(&self) -> DeskResult<Client> {
        let url = self.url.as_deref().ok_or_else(|| {
            DeskError::new("optimizer.not_configured", "No Optimizer URL is configured")
        })?;
        // The same rules as the settings file (http/https, a host, no credentials).
        let url: crate::settings::OptimizerUrl = url
            .parse()
            .map_err(|reason: String| DeskError::new("config.invalid", reason))?;
        let proxy: ProxySetting = self
            .proxy
            .parse()
            .map_err(|reason: String| DeskError::new("config.invalid", reason))?;
        let mut config = ClientConfig::new(url.url().clone());
        config.layout = match self.layout {
            LayoutPreference::Auto => LayoutMode::Auto,
            LayoutPreference::Current => LayoutMode::Current,
            LayoutPreference::Legacy => LayoutMode::Legacy,
        };
        if let Some(ca) = &self.ca_certificate {
            config.tls.extra_roots = oneshot_client::CaCertificate::from_pem_file(ca)?;
        }
        config.proxy = match proxy {
            ProxySetting::System => ProxyConfig::System,
            ProxySetting::None => ProxyConfig::None,
            ProxySetting::Url(url) => ProxyConfig::Explicit { url, auth: None },
        };
        config.timeouts = Timeouts {
            connect: Duration::from_secs(self.connect_timeout_secs.max(1)),
            read: Duration::from_secs(self.read_timeout_secs.max(1)),
        };
        config.retry = RetryPolicy::default();
        config.user_agent_version = env!("CARGO_PKG_VERSION").to_string();
        Ok(Client::new(config)?)
    }
}

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConnectionReport {
    /// The URL tried.
    pub url: Option<String>,
    /// Something answered over HTTP(S) (even if it is not an Optimizer).
    pub reachable: bool,
    /// `current` or `legacy`, when recognised.
    pub layout: Option<String>,
    /// The Optimizer's version, when it tells (legacy Optimizers only).
    pub version: Option<String>,
    /// Why it failed: `optimizer.unreachable`, `tls.untrusted_certificate`,
    /// `tls.hostname_mismatch`, `proxy.auth_required`, `proxy.unreachable`,
    /// `optimizer.not_recognised`, `optimizer.timeout`, `config.invalid`, ...
    pub error: Option<DeskError>,
}

impl ConnectionReport {
    /// Whether the Optimizer was reached and recognised.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }
}

pub(crate) async fn test(candidate: &ConnectionSettings) -> ConnectionReport {
    let mut report = ConnectionReport {
        url: candidate.url.clone(),
        reachable: false,
        layout: None,
        version: None,
        error: None,
    };
    let client = match candidate.client() {
        Ok(client) => client,
        Err(error) => {
            report.error = Some(error);
            return report;
        }
    };
    let layout = match client.layout().await {
        Ok(layout) => layout,
        Err(error) => {
            report.reachable = !error.code().is_transport()
                && error.code() != oneshot_client::ErrorCode::ConfigInvalid;
            report.error = Some(error.into());
            return report;
        }
    };
    report.reachable = true;
    report.layout = Some(layout.as_str().to_string());
    // A layout forced by the settings is not a probe: check that the Optimizer answers in it.
    if let Err(error) = client.ping().await {
        report.reachable = !error.code().is_transport();
        report.error = Some(error.into());
        return report;
    }
    match client.version().await {
        Ok(version) => {
            report.version = version.and_then(|v| v.version);
        }
        Err(error) => {
            tracing::info!(code = %error.code(), "the Optimizer did not report its version");
        }
    }
    report
}
