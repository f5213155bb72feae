//! Tokens in both layouts: the sandbox token, create / get / delete / list, partial tokens.

use crate::common::{BOTH, L, Sim};
use optimizer_sim::config::SANDBOX_TOKEN;
use serde_json::json;

#[tokio::test]
async fn sandbox_token_is_listed_in_both_layouts_and_cannot_be_deleted() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let res = sim.get(&format!("{}/tokens", layout.prefix())).await;
        assert_eq!(res.status, 200);
        let token = &res.body["details"][SANDBOX_TOKEN];
        assert_eq!(token["username"], "9001800", "{}", res.body);
        assert_eq!(token["password"], true);
        assert_eq!(token["pin"], true);
        if layout == L::Current {
            assert_eq!(res.body["status"], "success");
        } else {
            assert_eq!(res.body["status"], "200 OK");
        }
        let res = sim
            .delete(&format!("{}/token/{SANDBOX_TOKEN}", layout.prefix()))
            .await;
        assert_eq!(res.status, 403, "{}", res.body);
    }
}

#[tokio::test]
async fn create_get_delete_token_in_each_layout() {
    let sim = Sim::start().await;
    // Current: UUID in details.token_uid.
    let res = sim
        .post(
            "/oneshot/api/v1/token",
            json!({"username": "9001800", "pin": "1234"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["message"], "Token created");
    let current = res.body["details"]["token_uid"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(current.len(), 36, "UUID: {current}");
    // Legacy: 32 hex in details.
    let res = sim
        .post("/api/v1/token", json!({"username": "9001800"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(res.body["status"], "200 OK");
    let legacy = res.body["details"].as_str().unwrap().to_string();
    assert!(
        legacy.len() == 32 && legacy.bytes().all(|b| b.is_ascii_hexdigit()),
        "{legacy}"
    );
    // Each is visible from both layouts.
    for layout in BOTH {
        let res = sim
            .get(&format!("{}/token/{current}", layout.prefix()))
            .await;
        assert_eq!(
            res.body["details"],
            json!({"username": "9001800", "password": false, "pin": true})
        );
        let res = sim
            .get(&format!("{}/token/{legacy}", layout.prefix()))
            .await;
        assert_eq!(
            res.body["details"],
            json!({"username": "9001800", "password": false, "pin": false})
        );
    }
    let res = sim
        .delete(&format!("/oneshot/api/v1/token/{current}"))
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["message"], "Token deleted successfully");
    let res = sim.delete(&format!("/api/v1/token/{legacy}")).await;
    assert_eq!(
        res.body,
        json!({"status": "200 OK", "details": "Token deleted successfully"})
    );
    for layout in BOTH {
        let res = sim
            .get(&format!("{}/token/{current}", layout.prefix()))
            .await;
        assert_eq!(res.status, 404);
        assert_eq!(
            layout.error_text(&res.body),
            format!("Token {current} not found")
        );
        let res = sim
            .delete(&format!("{}/token/{legacy}", layout.prefix()))
            .await;
        assert_eq!(res.status, 404);
        assert_eq!(layout.error_text(&res.body), "Token not found");
    }
}

#[tokio::test]
async fn token_create_rules() {
    let sim = Sim::start().await;
    for layout in BOTH {
        let path = format!("{}/token", layout.prefix());
        let res = sim.post(&path, json!({})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                400,
                json!("Missing required parameters: username, password, pin")
            )
        );
        let res = sim.post(&path, json!({"password": "x"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("Missing required parameter: 'username'"))
        );
        let res = sim.post(&path, json!({"username": "nobody"})).await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (
                404,
                json!("Error getting RAO's id. Make sure the credentials are correct.")
            )
        );
        let res = sim
            .post(&path, json!({"username": "9001800", "password": "wrong"}))
            .await;
        assert_eq!(res.status, 404);
        let res = sim
            .post(&path, json!({"username": "9001800", "env": "staging"}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("Environment staging does not exist"))
        );
        let res = sim
            .post(&path, json!({"username": "9001800", "env": "prod"}))
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("The specified environment is not available"))
        );
        // Same credentials as the sandbox token.
        let res = sim
            .post(
                &path,
                json!({"username": "9001800", "password": "practice", "pin": "1234"}),
            )
            .await;
        assert_eq!(
            (res.status, layout.error_text(&res.body)),
            (400, json!("A token with these credentials already exist!"))
        );
    }
    let res = sim.post_raw("/api/v1/token", "{\"username\": ").await;
    assert_eq!(res.status, 400);
    assert_eq!(res.body["status"], "Invalid JSON");
    assert!(
        res.body["details"]
            .as_str()
            .unwrap()
            .starts_with("Could not parse JSON body - ")
    );
    let res = sim
        .post_raw("/oneshot/api/v1/token", "{\"username\": ")
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.body["status"], "error");
}

#[tokio::test]
async fn partial_token_needs_the_missing_parts_on_each_call() {
    let sim = Sim::start().await;
    let res = sim
        .post(
            "/oneshot/api/v1/token",
            json!({"username": "9001800", "password": "practice"}),
        )
        .await;
    let token = res.body["details"]["token_uid"]
        .as_str()
        .unwrap()
        .to_string();
    let form = || Sim::customer_form().text("token", token.clone());
    // Without the PIN: incomplete.
    let res = sim.multipart("/oneshot/api/v1/create", form()).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert_eq!(
        res.body["detail"],
        "Missing required parameters: incomplete RAO's credentials"
    );
    // A wrong PIN: invalid credentials.
    let res = sim
        .multipart("/oneshot/api/v1/create", form().text("pin", "9999"))
        .await;
    assert_eq!(
        (res.status, res.body["detail"].clone()),
        (403, json!("Invalid RAO Credentials"))
    );
    // The right PIN completes the token.
    let pk = sim
        .create_with(L::Current, form().text("pin", "1234"))
        .await;
    assert!(pk > 0);
    // Explicit credentials without any token work too; an unknown token does not.
    let explicit = Sim::customer_form()
        .text("token", "")
        .text("username", "9001800")
        .text("password", "practice")
        .text("pin", "1234");
    sim.create_with(L::Legacy, explicit).await;
    let res = sim
        .multipart(
            "/api/v1/request",
            Sim::customer_form().text("token", "no-such-token"),
        )
        .await;
    assert_eq!(
        (res.status, res.body["details"].clone()),
        (403, json!("Invalid RAO Credentials"))
    );
    let unknown = Sim::customer_form()
        .text("token", "")
        .text("username", "42")
        .text("password", "x")
        .text("pin", "y");
    let res = sim.multipart("/api/v1/request", unknown).await;
    assert_eq!(
        (res.status, res.body["details"].clone()),
        (
            404,
            json!("Error getting RAO's id. Make sure the credentials are correct")
        )
    );
}
