use crate::support::{Api, legacy};
use oneshot_client::{
    DeliveryMethod, DocumentUid, ErrorCode, ImageUid, Layout, RequestPk, SecretString, SignAuth,
    SignRequest, SignatureAppearance, SignatureRect,
};
use serde_json::json;

fn appearance() -> SignatureAppearance {
    SignatureAppearance {
        text: vec!["%(CN)s".into(), "%(DATE)s".into()],
        date_format: Some("%d/%m/%Y %H:%M:%S".into()),
        timezone: Some("Europe/Madrid".into()),
        position: Some(SignatureRect {
            x1: 300.0,
            y1: 100.0,
            x2: 500.0,
            y2: 150.0,
        }),
        page: Some(0),
        image: Some(ImageUid::from("img-1")),
    }
}

#[tokio::test]
async fn generate_otp_sends_the_delivery_method() {
    for api in Api::both().await {
        api.on("POST", "/otp/7")
            .respond_with(api.done("OTP generated"))
            .expect(2)
            .mount(&api.server)
            .await;
        api.client
            .generate_otp(RequestPk(7), DeliveryMethod::Whatsapp)
            .await
            .unwrap();
        assert_eq!(
            api.last_json().await,
            json!({"delivery_method": "whatsapp"})
        );
        api.client
            .generate_otp(RequestPk(7), DeliveryMethod::Sms)
            .await
            .unwrap();
        assert_eq!(api.last_json().await, json!({"delivery_method": "sms"}));
    }
}

#[tokio::test]
async fn documented_otp_errors() {
    let cases = [
        (
            412,
            "Error occured during OTP generation: Otp generated less than a minute ago",
            ErrorCode::OtpTooSoon,
        ),
        (
            412,
            "Error occured during OTP generation: Invalid request status",
            ErrorCode::OtpInvalidStatus,
        ),
        (
            404,
            "Request 7 not found. Cannot send OTP secret",
            ErrorCode::RequestNotFound,
        ),
        (
            400,
            "Missing parameters: Request's pk not specified",
            ErrorCode::RequestMissingField,
        ),
    ];
    for api in Api::both().await {
        for (status, text, code) in cases {
            api.server.reset().await;
            api.on("POST", "/otp/7")
                .respond_with(api.error(status, text))
                .expect(1)
                .mount(&api.server)
                .await;
            let err = api
                .client
                .generate_otp(RequestPk(7), DeliveryMethod::Sms)
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
            assert_eq!(err.http_status(), Some(status));
            assert_eq!(err.server_message(), Some(text));
        }
    }
}

#[tokio::test]
async fn sign_current_body_carries_the_appearance() {
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/sign/7")
        .respond_with(api.done("Documents correctly signed"))
        .expect(1)
        .mount(&api.server)
        .await;
    let request = SignRequest {
        auth: SignAuth::Otp(SecretString::from("052174")),
        appearance: Some(appearance()),
        documents: Vec::new(),
    };
    let outcome = api.client.sign(RequestPk(7), &request).await.unwrap();
    assert!(!outcome.queued);
    assert_eq!(
        outcome.message.as_deref(),
        Some("Documents correctly signed")
    );
    assert_eq!(
        api.last_json().await,
        json!({"secret": "052174", "signature": {"appearance": {
            "text": ["%(CN)s", "%(DATE)s"], "date": "%d/%m/%Y %H:%M:%S", "timezone": "Europe/Madrid",
            "position": "300,100,500,150", "page": 0, "image": "img-1"
        }}})
    );
}

#[tokio::test]
async fn sign_legacy_body_targets_every_listed_document() {
    let api = Api::new(Layout::Legacy).await;
    api.on("GET", "/documents/7")
        .respond_with(legacy::ok(json!({
            "d1": {"upload_date": "11/11/2019 18:03:07", "ext": ".pdf", "size": 10, "mime": "application/pdf", "filename": "a.pdf"},
            "d2": {"upload_date": "11/11/2019 18:03:12", "ext": ".pdf", "size": 11, "mime": "application/pdf", "filename": "b.pdf"}
        })))
        .expect(1)
        .mount(&api.server)
        .await;
    api.on("POST", "/sign/7")
        .respond_with(api.done("Documents correctly signed"))
        .mount(&api.server)
        .await;
    let request = SignRequest {
        auth: SignAuth::Otp(SecretString::from("052174")),
        appearance: Some(appearance()),
        documents: Vec::new(),
    };
    api.client.sign(RequestPk(7), &request).await.unwrap();
    let option = json!({"position": "300,100,500,150", "page": 0, "image": "img-1"});
    assert_eq!(
        api.last_json().await,
        json!({
            "secret": "052174",
            "options": {"d1": option, "d2": option},
            "signature_format": {"text_format": ["%(CN)s", "%(DATE)s"], "date_format": "%d/%m/%Y %H:%M:%S", "timezone": "Europe/Madrid"},
            "use_signature_text": true
        })
    );
}

#[tokio::test]
async fn sign_legacy_with_explicit_documents_lists_nothing() {
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/sign/7")
        .respond_with(api.done("Documents correctly signed"))
        .mount(&api.server)
        .await;
    let request = SignRequest {
        auth: SignAuth::Otp(SecretString::from("052174")),
        appearance: Some(appearance()),
        documents: vec![DocumentUid::from("only")],
    };
    api.client.sign(RequestPk(7), &request).await.unwrap();
    let body = api.last_json().await;
    assert_eq!(
        body["options"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["only"]
    );
    assert_eq!(api.received().await.len(), 1);
}

#[tokio::test]
async fn sign_with_external_authentication_still_sends_the_secret() {
    for api in Api::both().await {
        api.on("POST", "/sign/7")
            .respond_with(api.done("Documents correctly signed"))
            .mount(&api.server)
            .await;
        let request = SignRequest {
            auth: SignAuth::External {
                unlock_type: "biometric".into(),
                unlock_value: SecretString::from("12345678-12345678"),
                customer_code: SecretString::from("123456"),
            },
            appearance: None,
            documents: Vec::new(),
        };
        api.client.sign(RequestPk(7), &request).await.unwrap();
        assert_eq!(
            api.last_json().await,
            json!({"secret": "123456", "ext_unlock_type": "biometric", "ext_unlock_value": "12345678-12345678"})
        );
    }
}

#[tokio::test]
async fn asynchronous_sign_is_reported_as_queued() {
    for api in Api::both().await {
        api.on("POST", "/sign/7")
            .respond_with(api.done(
                "Your documents are going to be signed. You will receive them in a few seconds",
            ))
            .mount(&api.server)
            .await;
        let request = SignRequest {
            auth: SignAuth::Otp(SecretString::from("052174")),
            appearance: None,
            documents: vec![],
        };
        assert!(
            api.client
                .sign(RequestPk(7), &request)
                .await
                .unwrap()
                .queued
        );
    }
}

#[tokio::test]
async fn documented_sign_errors() {
    let cases = [
        (403, "Confirmation Code invalid", ErrorCode::OtpInvalid),
        (
            412,
            "Request already in ISSUED status",
            ErrorCode::RequestAlreadySigned,
        ),
        (
            400,
            "Missing required parameter: 'secret'",
            ErrorCode::SignMissingSecret,
        ),
        (
            403,
            "Invalid countersignature credentials",
            ErrorCode::SignCountersignatureInvalid,
        ),
        (
            404,
            "Request 7 not found. Cannot sign documents",
            ErrorCode::RequestNotFound,
        ),
        (
            404,
            "The following documents are not found in Request's folders: 8af62bff, f4c69247",
            ErrorCode::DocumentNotFound,
        ),
    ];
    for api in Api::both().await {
        for (status, text, code) in cases {
            api.server.reset().await;
            api.on("POST", "/sign/7")
                .respond_with(api.error(status, text))
                .expect(1)
                .mount(&api.server)
                .await;
            let request = SignRequest {
                auth: SignAuth::Otp(SecretString::from("000000")),
                appearance: None,
                documents: vec![],
            };
            let err = api.client.sign(RequestPk(7), &request).await.unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
            assert!(!err.maybe_processed());
        }
    }
}

#[tokio::test]
async fn per_document_sign_errors_keep_each_document() {
    for api in Api::both().await {
        api.on("POST", "/sign/7")
            .respond_with(api.error_object(
                400,
                json!({
                    "f550f6a9": "Missing required parameter 'position' for file f550f6a9",
                    "8af62bff": "Missing required parameter 'page' for file 8af62bff"
                }),
            ))
            .mount(&api.server)
            .await;
        api.on("POST", "/sign/8")
            .respond_with(api.error_object(
                404,
                json!({
                    "d1f12c55": "The image 13705f52 cannot be found on disk"
                }),
            ))
            .mount(&api.server)
            .await;
        let request = SignRequest {
            auth: SignAuth::Otp(SecretString::from("052174")),
            appearance: None,
            documents: vec![],
        };
        let err = api.client.sign(RequestPk(7), &request).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::SignAppearanceInvalid);
        let mut items: Vec<_> = err.items().iter().map(|i| i.item.as_str()).collect();
        items.sort();
        assert_eq!(items, ["8af62bff", "f550f6a9"]);
        let err = api.client.sign(RequestPk(8), &request).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::ImageNotFound);
        assert_eq!(err.items()[0].item, "d1f12c55");
    }
}
