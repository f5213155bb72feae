//! TLS against a local server with a certificate from a throw-away CA made here.

use crate::support::{READ_TIMEOUT, raw};
use oneshot_client::{Client, ErrorCode, LayoutMode, ProxyConfig};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA (PEM) and a TLS acceptor presenting a leaf it issued for `names`.
fn pki(names: &[&str]) -> (String, TlsAcceptor) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "OneShot Desk Test CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let issuer = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();

    let leaf_key = KeyPair::generate().unwrap();
    let mut leaf =
        CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>()).unwrap();
    leaf.distinguished_name.push(DnType::CommonName, names[0]);
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    let cert = leaf.signed_by(&leaf_key, &issuer).unwrap();

    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), issuer.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    (issuer.pem(), TlsAcceptor::from(Arc::new(config)))
}

fn client(url: &str, ca_pem: Option<&str>) -> Client {
    let mut builder = Client::builder(url)
        .layout(LayoutMode::Legacy)
        .proxy(ProxyConfig::None)
        .read_timeout(READ_TIMEOUT);
    if let Some(pem) = ca_pem {
        builder = builder.extra_ca_pem(pem.as_bytes());
    }
    builder.build().unwrap()
}

#[tokio::test]
async fn an_unknown_ca_is_untrusted_until_configured() {
    let (ca_pem, acceptor) = pki(&["localhost"]);
    let port = raw::tls_server(acceptor).await;
    let url = format!("https://localhost:{port}");

    let err = client(&url, None).ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::TlsUntrustedCertificate, "{err}");
    assert!(!err.maybe_processed());

    let trusted = client(&url, Some(&ca_pem));
    assert_eq!(trusted.ping().await.unwrap().as_deref(), Some("Hello"));
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_hostname_mismatch() {
    let (ca_pem, acceptor) = pki(&["optimizer.bank.example"]);
    let port = raw::tls_server(acceptor).await;
    let err = client(&format!("https://localhost:{port}"), Some(&ca_pem))
        .ping()
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TlsHostnameMismatch, "{err}");
}

#[tokio::test]
async fn a_plain_http_server_behind_an_https_url_fails_the_handshake() {
    let url = raw::plain_http_server().await;
    let https = url.replace("http://", "https://");
    let err = client(&https, None).ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::TlsHandshakeFailed, "{err}");
}

#[tokio::test]
async fn bad_ca_material_is_reported() {
    let err = Client::builder("https://localhost")
        .extra_ca_pem(b"not a certificate")
        .build()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfigInvalid);
    let err = Client::builder("https://localhost")
        .extra_ca_pem_file(std::path::Path::new("/nonexistent/ca.pem"))
        .build()
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::IoFile);
    let err = Client::builder("ftp://localhost").build().unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConfigInvalid);
}
