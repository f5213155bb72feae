use crate::support::{Api, current, legacy};
use oneshot_client::{CreateToken, Environment, ErrorCode, Layout, SecretString, TokenUid};
use serde_json::json;
use wiremock::ResponseTemplate;

#[tokio::test]
async fn create_token_in_both_layouts() {
    for api in Api::both().await {
        let answer = match api.layout {
            Layout::Current => ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "message": "Token created",
                "details": {"token_uid": "14185cd9-c6ec-30f4-9f59-a844a77bc234"}
            })),
            Layout::Legacy => legacy::ok(json!("14185cd9c6ec30f49f59a844a77bc234")),
        };
        api.on("POST", "/token")
            .respond_with(answer)
            .expect(1)
            .mount(&api.server)
            .await;
        let token = api
            .client
            .create_token(&CreateToken {
                username: "9001800".into(),
                password: Some(SecretString::from("Gy6F89xK")),
                pin: Some(SecretString::from("p1n9")),
                env: Some(Environment::Sandbox),
            })
            .await
            .unwrap();
        let expected = match api.layout {
            Layout::Current => "14185cd9-c6ec-30f4-9f59-a844a77bc234",
            Layout::Legacy => "14185cd9c6ec30f49f59a844a77bc234",
        };
        assert_eq!(token.expose_secret(), expected);
        assert_eq!(
            api.last_json().await,
            json!({"username": "9001800", "password": "Gy6F89xK", "pin": "p1n9", "env": "sandbox"})
        );
    }
}

#[tokio::test]
async fn partial_token_sends_only_the_given_credentials() {
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/token")
        .respond_with(current::ok(json!({"token_uid": "u-1"})))
        .mount(&api.server)
        .await;
    let request = CreateToken {
        username: "1125824".into(),
        password: None,
        pin: None,
        env: None,
    };
    api.client.create_token(&request).await.unwrap();
    assert_eq!(api.last_json().await, json!({"username": "1125824"}));
}

#[tokio::test]
async fn get_token_accepts_booleans_and_strings() {
    for api in Api::both().await {
        api.on("GET", "/token/tok-1")
            .respond_with(api.ok(
                json!({"username": "9001800", "password": true, "pin": "false", "rao_id": 1182}),
            ))
            .mount(&api.server)
            .await;
        let info = api.client.get_token(&TokenUid::new("tok-1")).await.unwrap();
        assert_eq!(info.username.as_deref(), Some("9001800"));
        assert!(info.has_password);
        assert!(!info.has_pin);
        assert_eq!(info.rao_id.as_deref(), Some("1182"));
    }
}

#[tokio::test]
async fn list_tokens_reads_the_documented_map_and_skips_notes() {
    for api in Api::both().await {
        api.on("GET", "/tokens")
            .respond_with(api.ok(json!({
                "6d1cae4d55be4cdf9cac50ee36f73406": {"username": "9001800", "password": true, "pin": true},
                "2edfa0ff321b6cf09174e1326c40e174": {"username": "9001800", "password": "true", "pin": "false"},
                "NOTE": "On this demo optimizer, this method will only return the demo token"
            })))
            .mount(&api.server)
            .await;
        let mut tokens = api.client.list_tokens().await.unwrap();
        tokens.sort_by(|a, b| a.token.expose_secret().cmp(b.token.expose_secret()));
        assert_eq!(tokens.len(), 2);
        assert_eq!(
            tokens[0].token.expose_secret(),
            "2edfa0ff321b6cf09174e1326c40e174"
        );
        assert!(tokens[0].info.has_password && !tokens[0].info.has_pin);
        assert!(tokens[1].info.has_pin);
    }
}

#[tokio::test]
async fn list_tokens_accepts_arrays() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/tokens")
        .respond_with(current::ok(json!([
            {"token_uid": "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da", "username": "1", "password": true, "pin": true},
            "a44765ab8ca04e429a565f02d22179a0"
        ])))
        .mount(&api.server)
        .await;
    let tokens = api.client.list_tokens().await.unwrap();
    assert_eq!(
        tokens[0].token.expose_secret(),
        "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da"
    );
    assert!(tokens[0].info.has_pin);
    assert_eq!(
        tokens[1].token.expose_secret(),
        "a44765ab8ca04e429a565f02d22179a0"
    );
}

#[tokio::test]
async fn delete_token_and_its_errors() {
    for api in Api::both().await {
        api.on("DELETE", "/token/tok-1")
            .respond_with(api.done("Token deleted successfully"))
            .mount(&api.server)
            .await;
        api.on("DELETE", "/token/tok-2")
            .respond_with(api.error(404, "Token not found"))
            .mount(&api.server)
            .await;
        api.client
            .delete_token(&TokenUid::new("tok-1"))
            .await
            .unwrap();
        let err = api
            .client
            .delete_token(&TokenUid::new("tok-2"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::TokenNotFound);
        assert_eq!(err.http_status(), Some(404));
    }
}

#[tokio::test]
async fn documented_token_create_errors() {
    let cases = [
        (
            400,
            "A token with these credentials already exist!",
            ErrorCode::TokenAlreadyExists,
        ),
        (
            400,
            "Missing required parameters: username, password, pin",
            ErrorCode::RaoIncompleteCredentials,
        ),
        (
            400,
            "Missing required parameter: ''",
            ErrorCode::RequestMissingField,
        ),
        (
            400,
            "Could not parse JSON body - Expecting value",
            ErrorCode::JsonRejected,
        ),
        (
            404,
            "Error getting RAO's id. Make sure the credentials are correct.",
            ErrorCode::RaoNotFound,
        ),
    ];
    for api in Api::both().await {
        for (status, text, code) in cases {
            api.server.reset().await;
            api.on("POST", "/token")
                .respond_with(api.error(status, text))
                .mount(&api.server)
                .await;
            let request = CreateToken {
                username: "1".into(),
                password: None,
                pin: None,
                env: None,
            };
            let err = api.client.create_token(&request).await.unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
            assert_eq!(err.server_message(), Some(text));
        }
    }
}

#[tokio::test]
async fn legacy_invalid_json_status_is_json_rejected() {
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/token")
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": "Invalid JSON", "details": "Could not parse JSON body - Invalid control character"
        })))
        .mount(&api.server)
        .await;
    let request = CreateToken {
        username: "1".into(),
        password: None,
        pin: None,
        env: None,
    };
    let err = api.client.create_token(&request).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::JsonRejected);
}
