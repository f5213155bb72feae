//! Simulator-only endpoints (`/_sim/...`) and the customer's VideoID page (`/videoid/{token}`).
//! They stand in for the customer's phone, the customer's browser and the test operator; faults
//! never apply to them.

use crate::core::Core;
use crate::core::videoid::CustomerOutcome;
use crate::faults::FaultPlan;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use std::sync::Arc;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

async fn ca_pem(State(core): State<Arc<Core>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/x-pem-file")],
        core.signing.ca_pem(),
    )
        .into_response()
}

async fn sms(State(core): State<Arc<Core>>, Path(pk): Path<u64>) -> Response {
    match core.sms_inbox(pk).await {
        Some(m) => {
            Json(json!({"otp": m.otp, "sent_at": m.sent_at, "delivery_method": m.delivery_method}))
                .into_response()
        }
        None => error(
            StatusCode::NOT_FOUND,
            format!("no SMS delivered for request {pk}"),
        ),
    }
}

async fn videoid_action(
    State(core): State<Arc<Core>>,
    Path((pk, action)): Path<(u64, String)>,
    body: Bytes,
) -> Response {
    let outcome = match action.as_str() {
        "complete" => CustomerOutcome::Complete,
        "incomplete" => CustomerOutcome::Incomplete,
        "fail" => CustomerOutcome::Fail,
        other => {
            return error(
                StatusCode::NOT_FOUND,
                format!("unknown VideoID action {other} (complete, incomplete, fail)"),
            );
        }
    };
    let identity: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("body is not JSON: {e}")),
        }
    };
    match core.customer_videoid(pk, outcome, &identity).await {
        Ok(status) => Json(json!({"request_pk": pk, "status": status.as_str()})).into_response(),
        Err(e) => error(e.status, e.text()),
    }
}

fn faults_view(core: &Core) -> Response {
    let plan = core.faults.plan();
    Json(json!({"spec": plan.to_string(), "plan": plan})).into_response()
}

async fn get_faults(State(core): State<Arc<Core>>) -> Response {
    faults_view(&core)
}

/// Accepts `{"spec": "..."}`, the JSON plan itself, or the spec as plain text.
async fn set_faults(State(core): State<Arc<Core>>, headers: HeaderMap, body: Bytes) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let plan = if is_json {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(map)) if map.len() == 1 && map.contains_key("spec") => {
                FaultPlan::parse(map.get("spec").and_then(Value::as_str).unwrap_or_default())
                    .map_err(|e| e.to_string())
            }
            Ok(value) => serde_json::from_value::<FaultPlan>(value).map_err(|e| e.to_string()),
            Err(e) => Err(format!("body is not JSON: {e}")),
        }
    } else {
        FaultPlan::parse(&String::from_utf8_lossy(&body)).map_err(|e| e.to_string())
    };
    match plan {
        Ok(plan) => {
            core.faults.set(plan);
            faults_view(&core)
        }
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

async fn webhooks(State(core): State<Arc<Core>>) -> Response {
    Json(json!({"deliveries": core.webhooks.log()})).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn videoid_page(State(core): State<Arc<Core>>, Path(token): Path<String>) -> Response {
    let Some(request) = core.request_of_link(&token).await else {
        return (StatusCode::NOT_FOUND, Html("<!doctype html><title>Not found</title><p>This identification link is not valid.</p>")).into_response();
    };
    let page = include_str!("videoid_page.html")
        .replace("{{PK}}", &request.pk.to_string())
        .replace("{{STATUS}}", request.status.as_str())
        .replace("{{EMAIL}}", &escape(&request.identity.email))
        .replace("{{PHONE}}", &escape(&request.identity.mobile_phone_number));
    Html(page).into_response()
}

/// The simulator-only routes.
pub fn routes(core: Arc<Core>) -> Router {
    Router::new()
        .route("/_sim/ca.pem", get(ca_pem))
        .route("/_sim/sms/{pk}", get(sms))
        .route("/_sim/videoid/{pk}/{action}", post(videoid_action))
        .route("/_sim/faults", get(get_faults).post(set_faults))
        .route("/_sim/webhooks", get(webhooks))
        .route("/videoid/{token}", get(videoid_page))
        .with_state(core)
}
