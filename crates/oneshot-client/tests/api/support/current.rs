//! Current-layout envelopes: `{"status":"success","message":…,"details"|"detail":…}`; errors
//! `{"status":"error","message":<legacy text>,"detail":<legacy text>}` (AGREED-API.md).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

pub fn ok(details: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": "success", "details": details}))
}

/// The `detail` spelling (document upload, VideoID create).
pub fn ok_detail(detail: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": "success", "detail": detail}))
}

pub fn message(message: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": "success", "message": message}))
}

pub fn error(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"status": "error", "message": text, "detail": text}))
}

pub fn error_object(status: u16, detail: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"status": "error", "message": "Error", "detail": detail}))
}
