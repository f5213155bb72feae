//! Turns an Optimizer error answer (HTTP status + body) into a typed [`Error`].
//!
//! The reference documents errors as HTTP code + legacy text (GH2); current Optimizers use the
//! same texts (AGREED-API.md), so classification is by text first, then by status and the
//! operation's area. Unknown texts keep the server's words in `server_message`.

use crate::call::CallCtx;
use crate::envelope::Envelope;
use crate::error::{Error, ErrorCode, ItemError};
use crate::layout::Area;
use serde_json::{Map, Value};

/// What a failed answer looked like.
pub(crate) struct FailedAnswer<'a> {
    pub(crate) status: u16,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) location: Option<&'a str>,
    pub(crate) body: &'a [u8],
    /// The body as JSON, when it was JSON.
    pub(crate) envelope: Option<&'a Envelope>,
}

/// Classifies a failed answer of the call described by `ctx`.
pub(crate) fn classify(ctx: &CallCtx, answer: &FailedAnswer<'_>) -> Error {
    let raw = ctx.keep_raw_body(answer.body);
    let status = effective_status(answer);
    let base = |code: ErrorCode, what: &str| {
        Error::new(
            code,
            format!("{} answered {status}: {what}", ctx.describe()),
        )
        .with_status(status)
        .with_raw_body(raw.clone())
    };

    if status == 407 {
        return base(
            ErrorCode::ProxyAuthRequired,
            "the proxy requires authentication",
        );
    }
    if (300..400).contains(&status) {
        let target = answer.location.unwrap_or("an unnamed location");
        return base(
            ErrorCode::OptimizerRedirectRefused,
            &format!("redirect to {target} not followed (another host, scheme or port)"),
        );
    }

    let Some(envelope) = answer.envelope.filter(|e| e.is_envelope()) else {
        return not_one_shot(ctx, answer, status, base);
    };

    let text = envelope.text().map(|t| ctx.scrub(&t));
    if let Some(error) = classify_payload_map(ctx, envelope, status, &base) {
        return error.with_server_message(text.clone());
    }
    if envelope
        .status()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("invalid json"))
    {
        return base(
            ErrorCode::JsonRejected,
            "the Optimizer could not parse the JSON we sent",
        )
        .with_server_message(text);
    }
    if let Some(text) = &text
        && let Some((code, field)) = match_text(text, ctx.area())
    {
        return base(code, description(code))
            .with_field(field)
            .with_server_message(Some(text.clone()));
    }
    let code = fallback(status, ctx.area());
    let what = match &text {
        Some(t) => format!("{} ({t})", description(code)),
        None => description(code).to_owned(),
    };
    base(code, &what).with_server_message(text)
}

/// The status that counts: a 2xx answer whose envelope says `"404 Not Found"` is a 404.
fn effective_status(answer: &FailedAnswer<'_>) -> u16 {
    if (200..300).contains(&answer.status)
        && let Some(envelope) = answer.envelope
    {
        return envelope
            .status_code_hint()
            .filter(|c| *c >= 400)
            .unwrap_or(400);
    }
    answer.status
}

/// Answers that are not One-Shot envelopes: framework 404s, proxy error pages, FastAPI
/// validation errors.
fn not_one_shot(
    ctx: &CallCtx,
    answer: &FailedAnswer<'_>,
    status: u16,
    base: impl Fn(ErrorCode, &str) -> Error,
) -> Error {
    let kind = answer.content_type.unwrap_or("no content type");
    // A framework-style `{"detail": "<One-Shot text>"}` (no `status`) still names a documented
    // error; only its generic texts ("Not Found", "Method Not Allowed") mean a missing route.
    if let Some(text) = answer
        .envelope
        .and_then(Envelope::text)
        .map(|t| ctx.scrub(&t))
        && !is_generic_route_text(&text)
        && let Some((code, field)) = match_text(&text, ctx.area())
    {
        return base(code, description(code))
            .with_field(field)
            .with_server_message(Some(text));
    }
    if status == 404 || status == 405 {
        return base(
            ErrorCode::OptimizerUnsupportedOperation,
            &format!(
                "the server does not offer this operation (answer is not a One-Shot envelope, {kind})"
            ),
        );
    }
    if status >= 500 {
        return base(
            ErrorCode::OptimizerServerError,
            &format!("server error ({kind})"),
        );
    }
    // FastAPI-style validation error: {"detail": [{"loc": ["body", "field"], "msg": "..."}]}.
    if status == 422
        && let Some(envelope) = answer.envelope
        && let Some(Value::Array(items)) = envelope.payload()
    {
        let field = items.iter().find_map(|i| {
            i.get("loc")?
                .as_array()?
                .last()?
                .as_str()
                .map(str::to_owned)
        });
        return base(
            ErrorCode::RequestMissingField,
            "the Optimizer rejected the request fields",
        )
        .with_field(field)
        .with_server_message(envelope.text().map(|t| ctx.scrub(&t)));
    }
    let code = if (200..300).contains(&answer.status) {
        ErrorCode::OptimizerBadResponse
    } else {
        ErrorCode::OptimizerUnexpectedStatus
    };
    base(code, &format!("unexpected answer ({kind})")).with_server_message(
        answer
            .envelope
            .and_then(Envelope::text)
            .map(|t| ctx.scrub(&t)),
    )
}

fn is_generic_route_text(text: &str) -> bool {
    matches!(
        text.trim()
            .trim_end_matches('.')
            .to_ascii_lowercase()
            .as_str(),
        "not found" | "method not allowed" | "404 not found" | "405 method not allowed"
    )
}

/// Object payloads: Django-REST field errors (`{"email": ["Enter a valid email address"]}`)
/// and the sign call's per-document maps (`{"<uid>": "Missing required parameter 'page' …"}`).
fn classify_payload_map(
    ctx: &CallCtx,
    envelope: &Envelope,
    status: u16,
    base: &impl Fn(ErrorCode, &str) -> Error,
) -> Option<Error> {
    let Some(Value::Object(map)) = envelope.payload() else {
        return None;
    };
    if let Some((field, message)) = field_error(map) {
        let lower = message.to_ascii_lowercase();
        let code = if field == "email" && lower.contains("valid email") {
            ErrorCode::RequestInvalidEmail
        } else if field == "id_document_country" {
            ErrorCode::RequestInvalidCountry
        } else if lower.contains("required") || lower.contains("blank") {
            ErrorCode::RequestMissingField
        } else if field == "mobile_phone_number" {
            ErrorCode::RequestInvalidPhone
        } else {
            ErrorCode::RequestInvalidFields
        };
        let message = ctx.scrub(&message);
        return Some(
            base(code, &format!("{} ({field}: {message})", description(code)))
                .with_field(Some(field))
                .with_server_message(Some(message)),
        );
    }
    if ctx.area() != Area::Sign {
        return None;
    }
    let items: Vec<ItemError> = map
        .iter()
        .filter_map(|(uid, v)| {
            v.as_str().map(|m| ItemError {
                item: uid.clone(),
                message: ctx.scrub(m),
            })
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let any = |needle: &str| {
        items
            .iter()
            .any(|i| i.message.to_ascii_lowercase().contains(needle))
    };
    let code = if any("image") {
        ErrorCode::ImageNotFound
    } else if status == 404 || any("not found") {
        ErrorCode::DocumentNotFound
    } else {
        ErrorCode::SignAppearanceInvalid
    };
    Some(base(code, description(code)).with_items(items))
}

fn field_error(map: &Map<String, Value>) -> Option<(String, String)> {
    map.iter().find_map(|(field, v)| {
        let list = v.as_array()?;
        let first = list.iter().find_map(Value::as_str)?;
        Some((field.clone(), first.to_owned()))
    })
}

/// Recognises a documented error text. Returns the code and, when the text names one, the field.
pub(crate) fn match_text(text: &str, area: Area) -> Option<(ErrorCode, Option<String>)> {
    use ErrorCode::*;
    let t = text.to_ascii_lowercase();
    let has = |needle: &str| t.contains(needle);
    let field = |name: &str| Some(name.to_owned());
    let found = if has("less than a minute") {
        (OtpTooSoon, None)
    } else if has("invalid request status") {
        (OtpInvalidStatus, None)
    } else if has("confirmation code invalid") || has("confirmation code is invalid") {
        (OtpInvalid, None)
    } else if has("already in issued") {
        (RequestAlreadySigned, None)
    } else if has("invalid countersignature credentials") {
        (SignCountersignatureInvalid, None)
    } else if has("missing required parameter") && has("secret") {
        (SignMissingSecret, field("secret"))
    } else if has("could not parse json") || has("invalid json") {
        (JsonRejected, None)
    } else if let Some(pos) = t.find("invalid request fields") {
        let rest = &text[pos + "invalid request fields".len()..];
        let name = rest
            .trim_start_matches([':', ' '])
            .trim()
            .trim_end_matches('.')
            .to_owned();
        (RequestInvalidFields, Some(name).filter(|n| !n.is_empty()))
    } else if has("international prefix") {
        (RequestInvalidPhone, field("mobile_phone_number"))
    } else if has("valid email") {
        (RequestInvalidEmail, field("email"))
    } else if has("id_document_type specified is not valid") {
        (RequestInvalidDocumentType, field("id_document_type"))
    } else if has("not a valid iso 3166") {
        (RequestInvalidCountry, field("id_document_country"))
    } else if has("environment is not available") || (has("environment") && has("does not exist")) {
        (RequestEnvironmentUnavailable, field("env"))
    } else if has("missing env parameter") {
        (RequestMissingField, field("env"))
    } else if has("incomplete rao") || has("missing required parameters: username, password, pin") {
        (RaoIncompleteCredentials, None)
    } else if has("invalid rao credentials") {
        (RaoInvalidCredentials, None)
    } else if has("error getting rao's id") || has("error getting rao id") {
        (RaoNotFound, None)
    } else if has("check your authentication certificates") || has("configuration error") {
        (OptimizerMisconfigured, None)
    } else if has("you do not have permission") {
        (RaoPermissionDenied, None)
    } else if has("remaining credit for the billing") || has("billing credentials") {
        (BillingInvalid, None)
    } else if has("token with these credentials already exist") {
        (TokenAlreadyExists, None)
    } else if has("image file type not supported") {
        (ImageUnsupportedType, None)
    } else if has("unsupported file type") {
        if area == Area::Image {
            (ImageUnsupportedType, None)
        } else {
            (DocumentUnsupportedType, None)
        }
    } else if has("maximum number of document") {
        (DocumentTooMany, None)
    } else if has("videoid not enabled") {
        (VideoidNotEnabled, None)
    } else if has("registration authority not found") {
        (VideoidRegistrationAuthorityNotFound, None)
    } else if has("no reason specified") {
        (VideoidReasonMissing, field("reason"))
    } else if has("token") && has("not found") {
        (TokenNotFound, None)
    } else if has("image") && (has("not found") || has("cannot be found")) {
        (ImageNotFound, None)
    } else if has("documents are not found")
        || has("document not found")
        || has("no documents found")
    {
        (DocumentNotFound, None)
    } else if has("request") && has("not found") {
        (RequestNotFound, None)
    } else if has("error occured during request approval")
        || has("error occurred during request approval")
    {
        (RequestApprovalFailed, None)
    } else if let Some(name) = missing_parameter_name(&t) {
        (RequestMissingField, Some(name))
    } else if has("missing required parameter") || has("missing parameter") {
        (RequestMissingField, None)
    } else {
        return None;
    };
    Some(found)
}

/// `"Missing parameter: mobile_phone_number required"` → `mobile_phone_number`.
fn missing_parameter_name(lower: &str) -> Option<String> {
    let rest = lower.split("missing parameter:").nth(1)?;
    let name = rest
        .split_whitespace()
        .next()?
        .trim_matches(|c| c == '\'' || c == '"');
    if name.is_empty() || name == "request's" {
        None
    } else {
        Some(name.to_owned())
    }
}

/// Code for an unrecognised text, from the status and the operation's area.
fn fallback(status: u16, area: Area) -> ErrorCode {
    match (status, area) {
        (404, Area::Token) => ErrorCode::TokenNotFound,
        (404, Area::Image) => ErrorCode::ImageNotFound,
        (404, Area::Document) => ErrorCode::DocumentNotFound,
        (404, Area::Request | Area::Otp | Area::Sign | Area::VideoId) => ErrorCode::RequestNotFound,
        (404 | 405, Area::Service) => ErrorCode::OptimizerUnsupportedOperation,
        (405, _) => ErrorCode::OptimizerUnsupportedOperation,
        (415, Area::Image) => ErrorCode::ImageUnsupportedType,
        (415, _) => ErrorCode::DocumentUnsupportedType,
        (500.., _) => ErrorCode::OptimizerServerError,
        _ => ErrorCode::OptimizerUnexpectedStatus,
    }
}

/// The English developer-facing sentence of each server-side code.
pub(crate) fn description(code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match code {
        OtpTooSoon => "an OTP was generated less than a minute ago",
        OtpInvalidStatus => {
            "the request is not in a state that allows an OTP (not approved or already issued)"
        }
        OtpInvalid => "the confirmation code is wrong or expired",
        RequestAlreadySigned => "the request is already signed (ISSUED)",
        RequestNotFound => "the request does not exist on the Optimizer",
        RequestMissingField => "a required field is missing",
        RequestInvalidPhone => {
            "the mobile phone number needs an international prefix or is invalid"
        }
        RequestInvalidEmail => "the email address is invalid",
        RequestInvalidDocumentType => "the ID document type is not valid",
        RequestInvalidCountry => "the ID document country is not an ISO 3166-1 alpha-2 code",
        RequestInvalidFields => "the registration authority rejected request fields",
        RequestApprovalFailed => "the request could not be approved",
        RequestEnvironmentUnavailable => "the environment is not available on the Optimizer",
        DocumentNotFound => "the document was not found",
        DocumentUnsupportedType => "the file type is not supported (PDF expected)",
        DocumentTooMany => "the request holds the maximum number of documents",
        ImageUnsupportedType => "the image type is not supported (PNG expected)",
        ImageNotFound => "the image was not found",
        TokenNotFound => "the token was not found",
        TokenAlreadyExists => "a token with these credentials already exists",
        RaoInvalidCredentials => "the RAO credentials are invalid",
        RaoIncompleteCredentials => "the RAO credentials are incomplete",
        RaoNotFound => "no RAO matches these credentials",
        RaoPermissionDenied => "the RAO has no permission for this action",
        BillingInvalid => "the billing credentials are invalid",
        OptimizerMisconfigured => "the Optimizer's configuration (certificates, settings) is wrong",
        SignMissingSecret => "the sign call lacks the secret (OTP)",
        SignAppearanceInvalid => "the signature appearance is invalid for some documents",
        SignCountersignatureInvalid => "the countersignature credentials are invalid",
        VideoidNotEnabled => "VideoID is not enabled for the registration authority",
        VideoidRegistrationAuthorityNotFound => "the registration authority was not found",
        VideoidReasonMissing => "a refusal needs a reason",
        JsonRejected => "the Optimizer could not parse the JSON we sent",
        OptimizerServerError => "the Optimizer failed with an undocumented server error",
        OptimizerUnexpectedStatus => "the Optimizer answered with an undocumented status",
        OptimizerUnsupportedOperation => "the Optimizer does not offer this operation",
        ProxyAuthRequired => "the proxy requires authentication",
        _ => "the call failed",
    }
}
