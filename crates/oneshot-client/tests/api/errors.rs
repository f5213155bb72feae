//! The documented create-request errors (GH2 §A.2) in both layouts, and the code catalogue.

use crate::support::Api;
use oneshot_client::{CreateRequest, ErrorCode, ErrorPayload, RaoAuth, TokenUid, TransferControl};
use serde_json::{Value, json};

fn request() -> CreateRequest {
    CreateRequest {
        given_name: "Ada".into(),
        surname_1: "Lovelace".into(),
        serial_number: "A9999999E".into(),
        email: "ada@example.com".into(),
        mobile_phone_number: "+34999999999".into(),
        rao: RaoAuth::token(TokenUid::new("tok")),
        ..CreateRequest::default()
    }
}

#[tokio::test]
async fn documented_create_request_errors() {
    let texts: [(u16, &str, ErrorCode, Option<&str>); 18] = [
        (
            400,
            "Missing parameter: mobile_phone_number required",
            ErrorCode::RequestMissingField,
            Some("mobile_phone_number"),
        ),
        (
            400,
            "Please use the mobile phone number with an international prefix",
            ErrorCode::RequestInvalidPhone,
            Some("mobile_phone_number"),
        ),
        (
            400,
            "Enter a valid email address",
            ErrorCode::RequestInvalidEmail,
            Some("email"),
        ),
        (
            400,
            "The specified environment is not available",
            ErrorCode::RequestEnvironmentUnavailable,
            Some("env"),
        ),
        (
            400,
            "Error occured during request approval: Missing required docs",
            ErrorCode::RequestApprovalFailed,
            None,
        ),
        (
            400,
            "The id_document_type specified is not valid. Valid options are IDC, PAS, PNO, TIN, CI, CE",
            ErrorCode::RequestInvalidDocumentType,
            Some("id_document_type"),
        ),
        (
            400,
            "Missing env parameter. Please set it in settings or specify it as parameter",
            ErrorCode::RequestMissingField,
            Some("env"),
        ),
        (
            400,
            "Environment xxxxx does not exist",
            ErrorCode::RequestEnvironmentUnavailable,
            Some("env"),
        ),
        (
            400,
            "Missing Parameters",
            ErrorCode::RequestMissingField,
            None,
        ),
        (
            403,
            "Invalid RAO Credentials",
            ErrorCode::RaoInvalidCredentials,
            None,
        ),
        (
            403,
            "You do not have permission to perform this action. Check your authentication certificates",
            ErrorCode::OptimizerMisconfigured,
            None,
        ),
        (
            403,
            "You do not have permission to perform this action",
            ErrorCode::RaoPermissionDenied,
            None,
        ),
        (
            404,
            "Error getting RAO's id. Make sure the credentials are correct",
            ErrorCode::RaoNotFound,
            None,
        ),
        (
            412,
            "Error occured during request approval: Invalid request fields: mobile_phone_number",
            ErrorCode::RequestInvalidFields,
            Some("mobile_phone_number"),
        ),
        (
            500,
            "Cannot check the remaining credit for the billing user. Please check the credentials",
            ErrorCode::BillingInvalid,
            None,
        ),
        (
            500,
            "Billing credentials not valid. Please check if they are base64 encoded",
            ErrorCode::BillingInvalid,
            None,
        ),
        (
            500,
            "Configuration error: Please check the certificates path for the environment selected",
            ErrorCode::OptimizerMisconfigured,
            None,
        ),
        (
            500,
            "You do not have permission to perform this action.",
            ErrorCode::RaoPermissionDenied,
            None,
        ),
    ];
    let objects: [(Value, ErrorCode, &str); 4] = [
        (
            json!({"email": ["This field is required"]}),
            ErrorCode::RequestMissingField,
            "email",
        ),
        (
            json!({"email": ["This field may not be blank"]}),
            ErrorCode::RequestMissingField,
            "email",
        ),
        (
            json!({"email": ["Enter a valid email address"]}),
            ErrorCode::RequestInvalidEmail,
            "email",
        ),
        (
            json!({"id_document_country": ["'ESX' is not a valid ISO 3166-1 alpha-2 country code"]}),
            ErrorCode::RequestInvalidCountry,
            "id_document_country",
        ),
    ];
    for api in Api::both().await {
        let create = match api.layout {
            oneshot_client::Layout::Current => "/create",
            oneshot_client::Layout::Legacy => "/request",
        };
        for (status, text, code, field) in texts {
            api.server.reset().await;
            api.on("POST", create)
                .respond_with(api.error(status, text))
                .expect(1)
                .mount(&api.server)
                .await;
            let err = api
                .client
                .create_request(&request(), &TransferControl::new())
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
            assert_eq!(err.field(), field, "{text}");
            assert_eq!(err.http_status(), Some(status));
            assert_eq!(err.server_message(), Some(text));
        }
        for (payload, code, field) in objects.clone() {
            api.server.reset().await;
            api.on("POST", create)
                .respond_with(api.error_object(500, payload.clone()))
                .mount(&api.server)
                .await;
            let err = api
                .client
                .create_request(&request(), &TransferControl::new())
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{payload} in {:?}", api.layout);
            assert_eq!(err.field(), Some(field));
        }
    }
}

#[test]
fn codes_are_unique_stable_strings_that_round_trip() {
    let mut seen = std::collections::HashSet::new();
    for code in ErrorCode::ALL {
        assert!(seen.insert(code.as_str()), "duplicate {code}");
        assert_eq!(code.as_str().parse::<ErrorCode>().unwrap(), *code);
        let json = serde_json::to_string(code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), *code);
    }
    assert!("no.such_code".parse::<ErrorCode>().is_err());
}

#[test]
fn every_code_is_documented_in_the_readme() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for code in ErrorCode::ALL {
        assert!(
            readme.contains(&format!("`{}`", code.as_str())),
            "README lacks {code}"
        );
    }
}

#[tokio::test]
async fn the_ipc_payload_is_code_message_detail() {
    let api = Api::new(oneshot_client::Layout::Legacy).await;
    api.on("POST", "/otp/3")
        .respond_with(api.error(
            412,
            "Error occured during OTP generation: Otp generated less than a minute ago",
        ))
        .mount(&api.server)
        .await;
    let err = api
        .client
        .generate_otp(oneshot_client::RequestPk(3), Default::default())
        .await
        .unwrap_err();
    let payload: ErrorPayload = err.payload();
    let json = serde_json::to_value(&payload).unwrap();
    assert_eq!(json["code"], "otp.too_soon");
    assert_eq!(
        json["detail"],
        "Error occured during OTP generation: Otp generated less than a minute ago"
    );
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains("less than a minute")
    );
}
