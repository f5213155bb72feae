//! Practice mode: against the bundled simulator, the desk can read the code the simulated
//! customer "received" (`GET {optimizer}/_sim/sms/{pk}`) and show it in a practice banner, so
//! staff can rehearse the whole flow alone. Never used unless a flow runs in practice mode.

use crate::error::{DeskError, DeskResult};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// The code the simulated customer received.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PracticeCode {
    /// The six digits (only a practice code: the simulator is no real Trust Service Provider).
    pub code: String,
    /// When the simulator sent it.
    pub sent_at: Option<String>,
    /// `sms` or `whatsapp`.
    pub delivery_method: Option<String>,
}

impl fmt::Debug for PracticeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PracticeCode")
            .field("code", &"[REDACTED]")
            .field("sent_at", &self.sent_at)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct SmsInbox {
    otp: String,
    #[serde(default)]
    sent_at: Option<String>,
    #[serde(default)]
    delivery_method: Option<String>,
}

/// Reads the simulator's SMS inbox for request `pk`. `extra_ca` is the PEM file trusted for
/// the Optimizer, if any.
pub async fn fetch_practice_code(
    optimizer: &str,
    pk: u64,
    extra_ca: Option<&std::path::Path>,
) -> DeskResult<PracticeCode> {
    let base = Url::parse(optimizer)
        .map_err(|e| DeskError::new("config.invalid", format!("invalid Optimizer URL: {e}")))?;
    let url = base
        .join(&format!("/_sim/sms/{pk}"))
        .map_err(|e| DeskError::new("config.invalid", e.to_string()))?;
    let client = http_client(extra_ca)?;
    let answer = client.get(url).send().await.map_err(|e| {
        DeskError::new(
            "optimizer.unreachable",
            "The practice Optimizer cannot be reached",
        )
        .with_detail(e.without_url().to_string())
    })?;
    match answer.status().as_u16() {
        200 => {}
        404 => {
            return Err(DeskError::new(
                "practice.no_code",
                "No code has reached the practice customer yet (or this Optimizer is not the \
                 simulator)",
            ));
        }
        status => {
            return Err(DeskError::new(
                "practice.unavailable",
                format!("The practice SMS inbox answered HTTP {status}"),
            ));
        }
    }
    let inbox: SmsInbox = answer.json().await.map_err(|e| {
        DeskError::new(
            "practice.unavailable",
            "The practice SMS inbox gave an unreadable answer",
        )
        .with_detail(e.without_url().to_string())
    })?;
    Ok(PracticeCode {
        code: inbox.otp,
        sent_at: inbox.sent_at,
        delivery_method: inbox.delivery_method,
    })
}

fn http_client(extra_ca: Option<&std::path::Path>) -> DeskResult<reqwest::Client> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    use rustls::pki_types::pem::PemObject;
    let verifier = match extra_ca {
        None => rustls_platform_verifier::Verifier::new(provider.clone()),
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| {
                DeskError::new("config.invalid", format!("cannot read {}", path.display()))
                    .with_detail(e.to_string())
            })?;
            let certificates = rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| DeskError::new("config.invalid", e.to_string()))?;
            rustls_platform_verifier::Verifier::new_with_extra_roots(certificates, provider.clone())
        }
    }
    .map_err(|e| DeskError::new("config.invalid", e.to_string()))?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| DeskError::new("config.invalid", e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| DeskError::new("config.invalid", e.to_string()))
}
