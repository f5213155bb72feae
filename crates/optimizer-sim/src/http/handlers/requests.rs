//! Requests: create, get, update, cancel, async status, OTP, sign.

use super::reply;
use crate::core::error::{ApiError, ApiResult};
use crate::core::record::record;
use crate::core::sign::{AppearancePlan, AppearanceSpec, SignInput, SignOutcome, TextFormat};
use crate::http::envelope::{self, Layout};
use crate::http::{Ctx, input};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State, multipart::MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use serde_json::{Value, json};

fn not_found() -> ApiError {
    ApiError::not_found("Request not found. Make sure the upload directory is correct.")
}

/// `POST create` / `POST request`.
pub async fn create(
    State(ctx): State<Ctx>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let result = match input::read_form(&ctx.core, multipart).await {
        Ok(form) => ctx.core.create_request(form).await,
        Err(e) => Err(e),
    };
    reply(&ctx, result, |created| match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::CREATED, Value::from(created.pk)),
        Layout::Current => envelope::current(
            StatusCode::CREATED,
            json!({
                "status": "success",
                "message": format!("Request created with pk {}", created.pk),
                "details": {"pk": created.pk, "asyncmode": created.async_mode},
            }),
        ),
    })
}

/// `GET request/{pk}`.
pub async fn get(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = match input::pk(&pk, not_found) {
        Ok(pk) => ctx.core.get_request(pk).await,
        Err(e) => Err(e),
    };
    reply(&ctx, result, |request| match ctx.layout {
        Layout::Legacy => envelope::legacy(StatusCode::OK, record(&request)),
        Layout::Current => envelope::current(
            StatusCode::OK,
            json!({"status": "success", "details": record(&request)}),
        ),
    })
}

/// `PUT request/{pk}`.
pub async fn update(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!("Request {pk} not found"))
        })?;
        ctx.core.update_request(pk, &input::json_body(&body)?).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout.message(StatusCode::OK, "Request updated")
    })
}

/// `DELETE request/{pk}`.
pub async fn cancel(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!("Request {pk} not found"))
        })?;
        ctx.core.cancel_request(pk).await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout
            .message(StatusCode::OK, "Request directory removed successfully")
    })
}

/// `GET async/status/{pk}` (legacy).
pub async fn async_status(State(ctx): State<Ctx>, Path(pk): Path<String>) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!(
                "Request {pk} not found. Make sure the upload directory is correct"
            ))
        })?;
        ctx.core.async_status(pk).await
    }
    .await;
    reply(&ctx, result, |word| {
        envelope::legacy(StatusCode::OK, Value::from(word))
    })
}

/// `POST otp/{pk}`.
pub async fn otp(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!("Request {pk} not found. Cannot send OTP secret"))
        })?;
        let body = input::json_body(&body)?;
        ctx.core
            .generate_otp(pk, body.get("delivery_method").and_then(Value::as_str))
            .await
    }
    .await;
    reply(&ctx, result, |()| {
        ctx.layout.message(StatusCode::OK, "OTP generated")
    })
}

fn string_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn spec_of(value: &Value) -> AppearanceSpec {
    AppearanceSpec {
        position: string_of(value.get("position")),
        page: value.get("page").filter(|p| !p.is_null()).cloned(),
        image: string_of(value.get("image")).or_else(|| string_of(value.get("b64_image"))),
    }
}

fn lines(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        ),
        Value::String(s) => Some(vec![s.clone()]),
        _ => None,
    }
}

/// Reads a sign body: the current `signature.appearance` and/or the legacy `options`,
/// `signature_format`, `use_signature_text` (both layouts accept both forms).
pub fn sign_input(body: &Value) -> ApiResult<SignInput> {
    if !body.is_object() {
        return Err(ApiError::invalid_json("expected a JSON object"));
    }
    let mut input = SignInput {
        secret: string_of(body.get("secret")).map(SecretString::from),
        ext_unlock_type: string_of(body.get("ext_unlock_type")),
        ext_unlock_value: string_of(body.get("ext_unlock_value")),
        ..SignInput::default()
    };
    let appearance = body
        .get("signature")
        .and_then(|s| s.get("appearance"))
        .filter(|a| a.is_object());
    if let Some(options) = body
        .get("options")
        .and_then(Value::as_object)
        .filter(|o| !o.is_empty())
    {
        input.appearance = AppearancePlan::PerDocument(
            options
                .iter()
                .map(|(uid, spec)| (uid.clone(), spec_of(spec)))
                .collect(),
        );
        let format = body.get("signature_format");
        let use_text = body
            .get("use_signature_text")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut text = TextFormat::default();
        if let Some(l) = lines(format.and_then(|f| f.get("text_format"))) {
            text.lines = l;
        }
        text.date_format = string_of(format.and_then(|f| f.get("date_format")));
        text.timezone = string_of(format.and_then(|f| f.get("timezone")));
        input.text = use_text.then_some(text);
    } else if let Some(appearance) = appearance {
        input.appearance = AppearancePlan::Every(spec_of(appearance));
        input.reason = string_of(appearance.get("reason"));
        input.location = string_of(appearance.get("location"));
        let mut text = TextFormat::default();
        if let Some(l) = lines(appearance.get("text")) {
            text.lines = l;
        }
        text.date_format = string_of(appearance.get("date"));
        text.timezone = string_of(appearance.get("timezone"));
        input.text = Some(text);
    }
    Ok(input)
}

/// `POST sign/{pk}`.
pub async fn sign(State(ctx): State<Ctx>, Path(pk): Path<String>, body: Bytes) -> Response {
    let result = async {
        let pk = input::pk(&pk, || {
            ApiError::not_found(format!("Request {pk} not found. Cannot sign documents"))
        })?;
        let input = sign_input(&input::json_body(&body)?)?;
        ctx.core.sign(pk, input).await
    }
    .await;
    reply(&ctx, result, |outcome| match outcome {
        SignOutcome::Signed => ctx
            .layout
            .message(StatusCode::OK, "Documents correctly signed"),
        SignOutcome::Started => ctx.layout.message(
            StatusCode::OK,
            "Your documents are going to be signed. You will receive them in a few seconds",
        ),
    })
}
