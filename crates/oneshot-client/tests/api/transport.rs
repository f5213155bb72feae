//! Transport failures, retries, redirects, proxies, content types and cancellation.

use crate::support::{Api, READ_TIMEOUT, client_for, fast_retry, raw};
use oneshot_client::{
    CancellationToken, Client, DeliveryMethod, DocumentKind, DocumentUid, ErrorCode, Layout,
    LayoutMode, ProxyAuth, ProxyConfig, RequestPk, SecretString, TransferControl, cancellable,
};
use serde_json::json;
use std::sync::atomic::Ordering;
use std::time::Duration;
use wiremock::ResponseTemplate;
use wiremock::matchers::header;

#[tokio::test]
async fn malformed_json_is_a_bad_response_with_the_raw_body() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/request/1")
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"status":"success","details":{"pk":1,"#,
            "application/json",
        ))
        .mount(&api.server)
        .await;
    let err = api.client.get_request(RequestPk(1)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerBadResponse);
    assert_eq!(err.json_path(), Some("$"));
    assert!(err.raw_body().unwrap().contains(r#""pk":1,"#));
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_a_bad_response() {
    let api = Api::new(Layout::Legacy).await;
    api.on("GET", "/images")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>Login to continue</body></html>", "text/html"),
        )
        .mount(&api.server)
        .await;
    let err = api.client.list_images().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerBadResponse);
    assert!(err.message().contains("text/html"), "{}", err.message());
}

#[tokio::test]
async fn an_html_error_page_from_a_proxy_is_a_server_error_retried_only_for_get() {
    let api = Api::new(Layout::Current).await;
    let page = "<html><head><title>502 Bad Gateway</title></head></html>";
    api.on("GET", "/images")
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .expect(3)
        .mount(&api.server)
        .await;
    api.on("POST", "/otp/1")
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .expect(1)
        .mount(&api.server)
        .await;
    let err = api.client.list_images().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerServerError);
    assert_eq!(err.http_status(), Some(502));
    assert!(err.raw_body().unwrap().contains("Bad Gateway"));
    let err = api
        .client
        .generate_otp(RequestPk(1), DeliveryMethod::Sms)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerServerError);
}

#[tokio::test]
async fn a_503_then_success_is_retried_for_get() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/images")
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&api.server)
        .await;
    api.on("GET", "/images")
        .respond_with(api.ok(json!({})))
        .expect(1)
        .mount(&api.server)
        .await;
    assert!(api.client.list_images().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_slow_server_times_out_and_only_get_is_retried() {
    let api = Api::new(Layout::Current).await;
    let slow = |body| {
        ResponseTemplate::new(200)
            .set_body_json(body)
            .set_delay(READ_TIMEOUT * 3)
    };
    api.on("GET", "/images")
        .respond_with(slow(json!({"status": "success", "details": {}})))
        .expect(3)
        .mount(&api.server)
        .await;
    api.on("POST", "/otp/1")
        .respond_with(slow(json!({"status": "success"})))
        .expect(1)
        .mount(&api.server)
        .await;
    let err = api.client.list_images().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerTimeout);
    let err = api
        .client
        .generate_otp(RequestPk(1), DeliveryMethod::Sms)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerTimeout);
    assert!(
        err.maybe_processed(),
        "the OTP may have been sent although no answer came"
    );
}

#[tokio::test]
async fn an_upload_without_an_answer_times_out_once() {
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/image")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "success"}))
                .set_delay(READ_TIMEOUT * 3),
        )
        .expect(1)
        .mount(&api.server)
        .await;
    let image = oneshot_client::FileInput::bytes("a.png", &b"\x89PNG"[..]);
    let err = api
        .client
        .upload_image(&image, &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerTimeout);
    assert!(err.maybe_processed());
}

#[tokio::test]
async fn a_long_upload_that_keeps_moving_is_not_cut_by_the_read_timeout() {
    // 32 MiB read in 512 KiB steps with 20 ms pauses takes well over the 800 ms read timeout,
    // but is never silent for that long. (The idle clock only sees bytes handed to the OS: what
    // the socket buffer still holds after the last one, up to 4 MiB here, drains in silence.)
    let answer = r#"{"status":"success","detail":{"name":"file","uid":"big"}}"#.to_owned();
    let url = raw::slow_reading_server(512 * 1024, Duration::from_millis(20), answer).await;
    let read_timeout = Duration::from_millis(800);
    let client = Client::builder(&url)
        .proxy(ProxyConfig::None)
        .read_timeout(read_timeout)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.pdf");
    std::fs::write(&path, crate::support::pdf_bytes(32 * 1024 * 1024)).unwrap();
    let started = std::time::Instant::now();
    let docs = client
        .upload_documents(
            RequestPk(1),
            &[oneshot_client::FileInput::path(&path)],
            &TransferControl::new(),
        )
        .await
        .unwrap();
    assert_eq!(docs[0].uid.as_str(), "big");
    assert!(
        started.elapsed() > read_timeout,
        "the fixture must outlast the read timeout to prove anything"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_unreachable_and_retried_only_for_get() {
    let (url, accepted) = raw::dropping_server().await;
    let client = client_for(&url, LayoutMode::Current);
    let err = client.list_images().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnreachable, "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
    let before = accepted.load(Ordering::SeqCst);
    let err = client
        .generate_otp(RequestPk(1), DeliveryMethod::Sms)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnreachable);
    assert!(err.maybe_processed());
    assert_eq!(accepted.load(Ordering::SeqCst) - before, 1);
}

#[tokio::test]
async fn a_refused_connection_is_unreachable_and_surely_not_processed() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client_for(&url, LayoutMode::Legacy);
    let err = client
        .generate_otp(RequestPk(1), DeliveryMethod::Sms)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnreachable);
    assert!(!err.maybe_processed());
}

#[tokio::test]
async fn framework_404_and_405_mean_unsupported_operation() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/request/1")
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found"})))
        .mount(&api.server)
        .await;
    api.on("PUT", "/request/1")
        .respond_with(
            ResponseTemplate::new(405).set_body_json(json!({"detail": "Method Not Allowed"})),
        )
        .mount(&api.server)
        .await;
    let err = api.client.get_request(RequestPk(1)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnsupportedOperation);
    let err = api
        .client
        .update_request(RequestPk(1), &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnsupportedOperation);
}

#[tokio::test]
async fn framework_style_errors_with_one_shot_texts_are_classified() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/request/5")
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"detail": "Request 5 not found"})),
        )
        .mount(&api.server)
        .await;
    api.on("POST", "/otp/5")
        .respond_with(ResponseTemplate::new(412).set_body_json(json!({
            "detail": "Error occured during OTP generation: Otp generated less than a minute ago"
        })))
        .mount(&api.server)
        .await;
    let err = api.client.get_request(RequestPk(5)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequestNotFound);
    let err = api
        .client
        .generate_otp(RequestPk(5), DeliveryMethod::Sms)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OtpTooSoon);
    assert_eq!(err.http_status(), Some(412));
}

#[tokio::test]
async fn undocumented_statuses() {
    for api in Api::both().await {
        api.on("GET", "/images")
            .respond_with(api.error(500, "Traceback: KeyError 'x'"))
            .mount(&api.server)
            .await;
        api.on("DELETE", "/images")
            .respond_with(api.error(418, "I'm a teapot"))
            .mount(&api.server)
            .await;
        let err = api.client.list_images().await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::OptimizerServerError);
        assert_eq!(err.server_message(), Some("Traceback: KeyError 'x'"));
        let err = api.client.delete_all_images().await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::OptimizerUnexpectedStatus);
        assert_eq!(err.http_status(), Some(418));
    }
}

#[tokio::test]
async fn a_failure_declared_inside_a_200_envelope_is_an_error() {
    let api = Api::new(Layout::Legacy).await;
    api.on("GET", "/request/9")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "404 Not Found", "details": "Request not found. Make sure the upload directory is correct."
        })))
        .mount(&api.server)
        .await;
    let err = api.client.get_request(RequestPk(9)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::RequestNotFound);
    assert_eq!(err.http_status(), Some(404));
}

#[tokio::test]
async fn redirects_are_followed_only_on_the_same_origin() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/contract/1/")
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/files/contract-1.pdf", api.server.uri()),
        ))
        .mount(&api.server)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/files/contract-1.pdf"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(&b"%PDF-1.7 contract"[..], "application/pdf"),
        )
        .mount(&api.server)
        .await;
    api.on("GET", "/contract/2/")
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", "http://elsewhere.invalid/contract.pdf"),
        )
        .mount(&api.server)
        .await;
    let mut out = Vec::new();
    api.client
        .download_contract(RequestPk(1), &mut out, &TransferControl::new())
        .await
        .unwrap();
    assert_eq!(out, b"%PDF-1.7 contract");
    let err = api
        .client
        .download_contract(RequestPk(2), &mut Vec::new(), &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerRedirectRefused);
    assert!(err.message().contains("elsewhere.invalid"));
}

#[tokio::test]
async fn the_user_agent_names_the_desk() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/images")
        .and(header(
            "user-agent",
            format!("oneshot-desk/{}", env!("CARGO_PKG_VERSION")).as_str(),
        ))
        .respond_with(api.ok(json!({})))
        .expect(1)
        .mount(&api.server)
        .await;
    api.client.list_images().await.unwrap();
}

fn proxied_client(target: &str, proxy: &str, auth: Option<ProxyAuth>) -> Client {
    Client::builder(target)
        .layout(LayoutMode::Legacy)
        .proxy(ProxyConfig::Explicit {
            url: proxy.parse().unwrap(),
            auth,
        })
        .read_timeout(READ_TIMEOUT)
        .retry(fast_retry())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_explicit_proxy_with_basic_auth() {
    // base64("desk:pr0xy-pass")
    let (proxy, seen) = raw::proxy_server("Basic ZGVzazpwcjB4eS1wYXNz".into()).await;
    let auth = ProxyAuth {
        username: "desk".into(),
        password: SecretString::from("pr0xy-pass"),
    };
    let client = proxied_client("http://optimizer.internal.example", &proxy, Some(auth));
    assert_eq!(client.ping().await.unwrap().as_deref(), Some("Hello"));
    let head = seen.lock().unwrap()[0].clone();
    assert!(
        head.starts_with("GET http://optimizer.internal.example/api/v1/hello"),
        "{head}"
    );
}

#[tokio::test]
async fn a_proxy_demanding_credentials_is_proxy_auth_required() {
    let (proxy, _) = raw::proxy_server("Basic something".into()).await;
    let client = proxied_client("http://optimizer.internal.example", &proxy, None);
    let err = client.ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProxyAuthRequired);
    assert_eq!(err.http_status(), Some(407));
    // HTTPS goes through CONNECT, whose 407 surfaces as a tunnel error.
    let client = proxied_client("https://optimizer.internal.example", &proxy, None);
    let err = client.ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProxyAuthRequired, "{err}");
}

#[tokio::test]
async fn an_unreachable_proxy_is_named() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = proxied_client("http://optimizer.internal.example", &proxy, None);
    let err = client.ping().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::ProxyUnreachable, "{err}");
}

#[tokio::test]
async fn a_cancelled_transfer_ends_with_cancelled() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/document/1/d1")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(vec![0u8; 10], "application/pdf")
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&api.server)
        .await;
    let token = CancellationToken::new();
    let control = TransferControl::new().cancel_token(token.clone());
    let canceller = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        canceller.cancel();
    });
    let client = Client::builder(&api.server.uri())
        .proxy(ProxyConfig::None)
        .read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let mut out = Vec::new();
    let err = client
        .download_document(
            RequestPk(1),
            &DocumentUid::from("d1"),
            DocumentKind::Original,
            &mut out,
            &control,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled);
    // Any call can be wrapped; an already-cancelled token sends nothing.
    let before = api.received().await.len();
    let err = cancellable(&token, client.list_images()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert_eq!(api.received().await.len(), before);
}

#[tokio::test]
async fn an_unreadable_upload_file_is_an_io_error() {
    let api = Api::new(Layout::Current).await;
    let dir = tempfile::tempdir().unwrap();
    let err = api
        .client
        .upload_documents(
            RequestPk(1),
            &[oneshot_client::FileInput::path(dir.path())],
            &TransferControl::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::IoFile);
}
