//! A recognisable secret must never show up in Debug/Display of inputs, errors, the client, or
//! in tracing output — even when the server echoes it back.

use crate::support::Api;
use oneshot_client::{
    BillingCredentials, Client, ClientConfig, CreateRequest, CreateToken, ErrorCode, Layout,
    ProxyAuth, ProxyConfig, RaoAuth, RaoDecision, RequestPk, SecretString, SignAuth, SignRequest,
    TokenUid, TransferControl,
};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

const CANARY: &str = "Canary-S3cret-4711";
/// base64 of CANARY: the encoded billing password is just as secret.
const CANARY_B64: &str = "Q2FuYXJ5LVMzY3JldC00NzEx";

fn assert_clean(text: &str) {
    assert!(!text.contains(CANARY), "secret leaked: {text}");
    assert!(!text.contains(CANARY_B64), "encoded secret leaked: {text}");
}

fn secret() -> SecretString {
    SecretString::from(CANARY)
}

#[test]
fn inputs_and_configuration_never_show_secrets() {
    let rao = RaoAuth {
        token: Some(TokenUid::new(CANARY)),
        username: Some("9001800".into()),
        password: Some(secret()),
        pin: Some(secret()),
    };
    let request = CreateRequest {
        rao: rao.clone(),
        billing: Some(BillingCredentials::new("bill", secret())),
        ..CreateRequest::default()
    };
    let sign = SignRequest {
        auth: SignAuth::Otp(secret()),
        appearance: None,
        documents: vec![],
    };
    let external = SignAuth::External {
        unlock_type: "biometric".into(),
        unlock_value: secret(),
        customer_code: secret(),
    };
    let token = CreateToken {
        username: "u".into(),
        password: Some(secret()),
        pin: Some(secret()),
        env: None,
    };
    let decision = RaoDecision {
        auth: rao.clone(),
        rao_id: "1".into(),
        reason: None,
    };
    let mut config = ClientConfig::from_url("https://optimizer.example").unwrap();
    config.proxy = ProxyConfig::Explicit {
        url: "http://proxy.example:3128".parse().unwrap(),
        auth: Some(ProxyAuth {
            username: "p".into(),
            password: secret(),
        }),
    };
    let client = Client::new(config.clone()).unwrap();
    for text in [
        format!("{rao:?}"),
        format!("{request:?}"),
        format!("{sign:?}"),
        format!("{external:?}"),
        format!("{token:?}"),
        format!("{decision:?}"),
        format!("{config:?}"),
        format!("{client:?}"),
        format!("{:?}", TokenUid::new(CANARY)),
    ] {
        assert_clean(&text);
    }
}

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn echoed_secrets_are_scrubbed_from_errors_and_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let api = Api::new(Layout::Current).await;
    api.on("POST", "/sign/1")
        .respond_with(api.error(403, &format!("Confirmation Code invalid ({CANARY})")))
        .mount(&api.server)
        .await;
    api.on("GET", &format!("/token/{CANARY}"))
        .respond_with(api.error(404, &format!("Token {CANARY} not found")))
        .mount(&api.server)
        .await;
    api.on("POST", "/create")
        .respond_with(api.error(
            500,
            &format!("Billing credentials not valid: {CANARY_B64} / {CANARY}"),
        ))
        .mount(&api.server)
        .await;
    api.on("GET", "/tokens")
        .respond_with(api.ok(json!([{"username": "x", "password": true}, 42])))
        .mount(&api.server)
        .await;

    let mut errors = Vec::new();
    let sign = SignRequest {
        auth: SignAuth::Otp(secret()),
        appearance: None,
        documents: vec![],
    };
    errors.push(api.client.sign(RequestPk(1), &sign).await.unwrap_err());
    errors.push(
        api.client
            .get_token(&TokenUid::new(CANARY))
            .await
            .unwrap_err(),
    );
    let request = CreateRequest {
        given_name: "A".into(),
        rao: RaoAuth::token(TokenUid::new("tok")),
        billing: Some(BillingCredentials::new("bill", secret())),
        ..CreateRequest::default()
    };
    errors.push(
        api.client
            .create_request(&request, &TransferControl::new())
            .await
            .unwrap_err(),
    );
    errors.push(api.client.list_tokens().await.unwrap_err());

    assert_eq!(errors[0].code(), ErrorCode::OtpInvalid);
    assert_eq!(errors[1].code(), ErrorCode::TokenNotFound);
    assert_eq!(errors[2].code(), ErrorCode::BillingInvalid);
    assert_eq!(errors[3].code(), ErrorCode::OptimizerBadResponse);
    assert_eq!(errors[3].raw_body(), None, "token lists are never kept raw");
    for err in &errors {
        assert_clean(&format!("{err}"));
        assert_clean(&format!("{err:?}"));
        assert_clean(&serde_json::to_string(&err.payload()).unwrap());
        assert_clean(err.server_message().unwrap_or_default());
        assert_clean(err.raw_body().unwrap_or_default());
    }
    assert!(errors[1].server_message().unwrap().contains("[REDACTED]"));

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("/oneshot/api/v1/token/{token_uid}"),
        "spans name path templates: {logs}"
    );
    assert_clean(&logs);
}
