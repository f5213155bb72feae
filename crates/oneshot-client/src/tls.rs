//! TLS setup (rustls with the `ring` provider and the platform verifier) and the naming of TLS
//! failures.
//!
//! The platform verifier checks certificates the way the OS does (system roots, and revocation
//! where the platform offers it); extra roots from the configuration are trusted in addition.
//! `ring` is used instead of reqwest's default aws-lc-rs provider because it needs no cmake or
//! large C build (see README).

use crate::config::TlsConfig;
use crate::error::{Error, ErrorCode, Result};
use rustls::{CertificateError, ClientConfig};
use std::sync::Arc;

pub(crate) fn client_config(tls: &TlsConfig) -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = if tls.extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(
            tls.extra_roots.iter().map(|c| c.der()),
            provider.clone(),
        )
    }
    .map_err(|err| {
        Error::new(
            ErrorCode::ConfigInvalid,
            format!("cannot set up certificate checks: {err}"),
        )
    })?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| Error::new(ErrorCode::ConfigInvalid, format!("TLS versions: {err}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // The Optimizer is an HTTP/1.1 service (nginx in front of a Python app).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Finds a rustls error in an error's source chain and names it. `io::Error`s are looked
/// into: TLS failures arrive as an io error wrapping an io error wrapping the rustls error, and
/// `io::Error::source` skips the wrapped error itself.
pub(crate) fn classify(err: &(dyn std::error::Error + 'static)) -> Option<(ErrorCode, String)> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(name(tls));
        }
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
        {
            Some(inner) => Some(inner),
            None => e.source(),
        };
    }
    None
}

fn name(err: &rustls::Error) -> (ErrorCode, String) {
    let code = match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                ErrorCode::TlsHostnameMismatch
            }
            _ => ErrorCode::TlsUntrustedCertificate,
        },
        _ => ErrorCode::TlsHandshakeFailed,
    };
    (code, err.to_string())
}
