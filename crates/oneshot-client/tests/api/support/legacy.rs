//! Legacy envelopes: `{"status": "<code> <reason>", "details": …}` (GH1/GH2).

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

pub fn status_line(status: u16) -> &'static str {
    match status {
        200 => "200 OK",
        201 => "201 Created",
        400 => "400 Bad Request",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        412 => "412 Precondition Failed",
        415 => "415 Unsupported Media Type",
        500 => "500 Internal Server Error",
        _ => "000 Unknown",
    }
}

pub fn ok(details: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"status": "200 OK", "details": details}))
}

pub fn created(pk: u64) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({"status": "201 Created", "details": pk}))
}

pub fn error(status: u16, details: Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"status": status_line(status), "details": details}))
}
