use crate::support::{client_for, current, legacy};
use oneshot_client::{ErrorCode, Layout, LayoutMode};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn auto_detects_current_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oneshot/api/v1/tokens"))
        .respond_with(current::ok(json!({})))
        .expect(2) // the probe, then the real call
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/hello"))
        .respond_with(legacy::ok(json!("Hello")))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), LayoutMode::Auto);
    assert_eq!(client.layout().await.unwrap(), Layout::Current);
    assert_eq!(client.clone().layout().await.unwrap(), Layout::Current);
    client.list_tokens().await.unwrap();
    assert_eq!(
        client.version().await.unwrap(),
        None,
        "current Optimizers do not report a version"
    );
}

#[tokio::test]
async fn auto_detects_legacy() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oneshot/api/v1/tokens"))
        .respond_with(
            ResponseTemplate::new(404).set_body_string("<html><body>404 Not Found</body></html>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/hello"))
        .respond_with(legacy::ok(json!("Hello")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/version"))
        .respond_with(legacy::ok(
            json!({"info": {"system": "Linux"}, "version": "1.5.0", "name": "OneShot Optimizer"}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), LayoutMode::Auto);
    assert_eq!(client.layout().await.unwrap(), Layout::Legacy);
    let version = client.version().await.unwrap().unwrap();
    assert_eq!(version.version.as_deref(), Some("1.5.0"));
    assert_eq!(version.system.as_deref(), Some("Linux"));
    assert_eq!(client.ping().await.unwrap().as_deref(), Some("Hello"));
}

#[tokio::test]
async fn auto_recognises_neither() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("<html>Welcome to nginx</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), LayoutMode::Auto);
    let err = client.layout().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerNotRecognised);
    let err = client
        .list_documents(oneshot_client::RequestPk(1))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerNotRecognised);
}

#[tokio::test]
async fn auto_reports_an_unreachable_optimizer_as_such() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = client_for(&url, LayoutMode::Auto);
    let err = client.layout().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerUnreachable);
}

#[tokio::test]
async fn a_base_url_with_the_api_prefix_is_accepted() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/hello"))
        .respond_with(legacy::ok(json!("Hello")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&format!("{}/api/v1/", server.uri()), LayoutMode::Legacy);
    assert_eq!(client.ping().await.unwrap().as_deref(), Some("Hello"));
}

#[tokio::test]
async fn current_ping_uses_the_token_list_without_returning_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oneshot/api/v1/tokens"))
        .respond_with(current::ok(json!({"3bf8d8eb": {"username": "1"}})))
        .mount(&server)
        .await;
    let client = client_for(&server.uri(), LayoutMode::Current);
    assert_eq!(client.ping().await.unwrap(), None);
}
