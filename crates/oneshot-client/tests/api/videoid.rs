use crate::support::multipart::parts;
use crate::support::{Api, legacy};
use oneshot_client::{
    BillingCredentials, CreateVideoId, Environment, ErrorCode, EvidenceImages, FileInput, Layout,
    OcrData, RaoAuth, RaoDecision, RequestPk, SecretString, TokenUid, TransferControl, VideoIdData,
    VideoIdEvidences, VideoIdPk, VideoIdRef,
};
use serde_json::json;
use wiremock::ResponseTemplate;

fn ids() -> VideoIdRef {
    VideoIdRef {
        videoid_pk: VideoIdPk(137),
        request_pk: RequestPk(45836),
    }
}

/// Path segment naming the process in each layout.
fn key(api: &Api) -> &'static str {
    match api.layout {
        Layout::Current => "137",
        Layout::Legacy => "45836",
    }
}

fn decision(reason: Option<&str>) -> RaoDecision {
    RaoDecision {
        auth: RaoAuth::token(TokenUid::new("3bf8d8eb-d96c-41ea-83ad-d78a7016c7da")),
        rao_id: "1182".into(),
        reason: reason.map(str::to_owned),
    }
}

#[tokio::test]
async fn create_videoid_in_both_layouts() {
    for api in Api::both().await {
        let answer = match api.layout {
            Layout::Current => ResponseTemplate::new(200).set_body_json(json!({
                "status": "success", "messsage": "VideoID created with pk 137",
                "detail": {"videoid_pk": 137, "request_pk": "45836", "videoid_link": "https://cms.sandbox.example/lcmpl/videoid/tok"}
            })),
            Layout::Legacy => legacy::ok(json!({"videoid_pk": 137, "videoid_link": "", "request_pk": 45836})),
        };
        api.on("POST", "/videoid")
            .respond_with(answer)
            .expect(1)
            .mount(&api.server)
            .await;
        let created = api
            .client
            .create_videoid(&CreateVideoId {
                mobile_phone_number: "+34999999999".into(),
                email: "ada@example.com".into(),
                registration_authority: Some("139".into()),
                profile: Some("PFnubeNC".into()),
                billing: Some(BillingCredentials::new(
                    "bill",
                    SecretString::from("Perolito1."),
                )),
                env: Some(Environment::Sandbox),
                webhook_url: None,
                videoid_mode: Some(1),
            })
            .await
            .unwrap();
        assert_eq!(created.ids, ids());
        match api.layout {
            Layout::Current => assert_eq!(
                created.link.as_deref(),
                Some("https://cms.sandbox.example/lcmpl/videoid/tok")
            ),
            Layout::Legacy => assert_eq!(created.link, None),
        }
        assert_eq!(
            api.last_json().await,
            json!({"mobile_phone_number": "+34999999999", "email": "ada@example.com", "registration_authority": "139",
                   "profile": "PFnubeNC", "billing_username": "bill", "billing_password": "UGVyb2xpdG8xLg==",
                   "env": "sandbox", "videoid_mode": 1})
        );
    }
}

#[tokio::test]
async fn documented_videoid_create_errors() {
    let cases = [
        (
            400,
            "Videoid not enabled for Registration Authority 1234",
            ErrorCode::VideoidNotEnabled,
        ),
        (
            400,
            "Missing required parameters",
            ErrorCode::RequestMissingField,
        ),
        (
            403,
            r#"Error creating new videoid request: {"detail":"You do not have permission to perform this action."}"#,
            ErrorCode::RaoPermissionDenied,
        ),
        (
            404,
            "Registration Authority not found",
            ErrorCode::VideoidRegistrationAuthorityNotFound,
        ),
    ];
    for api in Api::both().await {
        for (status, text, code) in cases {
            api.server.reset().await;
            api.on("POST", "/videoid")
                .respond_with(api.error(status, text))
                .mount(&api.server)
                .await;
            let err = api
                .client
                .create_videoid(&CreateVideoId::default())
                .await
                .unwrap_err();
            assert_eq!(err.code(), code, "{text} in {:?}", api.layout);
        }
    }
}

#[tokio::test]
async fn upload_evidences_and_video() {
    for api in Api::both().await {
        let video_path = match api.layout {
            Layout::Current => format!("/videoid/{}/video", key(&api)),
            Layout::Legacy => format!("/videoid/{}/evidences/video", key(&api)),
        };
        api.on("POST", &format!("/videoid/{}/evidences", key(&api)))
            .respond_with(api.done("Videoid evidences uploaded"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("POST", &video_path)
            .respond_with(api.done("Videoid video upload completed"))
            .expect(1)
            .mount(&api.server)
            .await;
        let evidences = VideoIdEvidences {
            videoid_data: VideoIdData {
                images: EvidenceImages {
                    document_front: Some(EvidenceImages::encode(b"front")),
                    ..EvidenceImages::default()
                },
                ocr_data: OcrData {
                    given_name: "Name".into(),
                    surname_1: "Surname 1".into(),
                    serial_number: "A9999999E".into(),
                    ..OcrData::default()
                },
                similarity_level: Some(87),
                ..VideoIdData::default()
            },
            ..VideoIdEvidences::default()
        };
        api.client
            .upload_videoid_evidences(&ids(), &evidences)
            .await
            .unwrap();
        let body = api.last_json().await;
        assert_eq!(
            body["videoid_data"]["images"]["document_front"],
            json!("ZnJvbnQ=")
        );
        assert_eq!(
            body["videoid_data"]["ocr_data"]["serial_number"],
            json!("A9999999E")
        );
        assert_eq!(body["videoid_data"]["similarity_level"], json!(87));

        let video = FileInput::bytes("session.mp4", vec![7u8; 4096]);
        api.client
            .upload_videoid_video(&ids(), &video, &TransferControl::new())
            .await
            .unwrap();
        let sent = parts(api.received().await.last().unwrap());
        assert_eq!(sent[0].name, "video");
        assert_eq!(sent[0].content_type.as_deref(), Some("video/mp4"));
        assert_eq!(sent[0].body.len(), 4096);
    }
}

#[tokio::test]
async fn approve_and_refuse() {
    for api in Api::both().await {
        let approve = match api.layout {
            Layout::Current => "/videoid/137/approve".to_owned(),
            Layout::Legacy => "/request/45836/approve".to_owned(),
        };
        api.on("POST", &approve)
            .respond_with(api.done("Request approved successfully"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("POST", &format!("/videoid/{}/refuse", key(&api)))
            .respond_with(api.done("Videoid refuse completed"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.client
            .approve_videoid(&ids(), &decision(None))
            .await
            .unwrap();
        assert_eq!(
            api.last_json().await,
            json!({"token": "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da", "rao": "1182"})
        );
        api.client
            .refuse_videoid(&ids(), &decision(Some("Expired document")))
            .await
            .unwrap();
        assert_eq!(
            api.last_json().await,
            json!({"token": "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da", "rao": "1182", "reason": "Expired document"})
        );
    }
}

#[tokio::test]
async fn legacy_approve_falls_back_to_the_spec_path() {
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/request/45836/approve")
        .respond_with(ResponseTemplate::new(404).set_body_string("<html>Not Found</html>"))
        .expect(1)
        .mount(&api.server)
        .await;
    api.on("POST", "/requests/45836/approve")
        .respond_with(api.done("Request approved successfully"))
        .expect(1)
        .mount(&api.server)
        .await;
    let credentials = RaoDecision {
        auth: RaoAuth::credentials(
            "9001800",
            SecretString::from("Gy6F89xK"),
            SecretString::from("p1n9"),
        ),
        rao_id: "1182".into(),
        reason: None,
    };
    api.client
        .approve_videoid(&ids(), &credentials)
        .await
        .unwrap();
    assert_eq!(
        api.last_json().await,
        json!({"username": "9001800", "password": "Gy6F89xK", "pin": "p1n9", "rao": "1182"})
    );
}

#[tokio::test]
async fn documented_approve_and_refuse_errors() {
    for api in Api::both().await {
        let approve = match api.layout {
            Layout::Current => "/videoid/137/approve",
            Layout::Legacy => "/request/45836/approve",
        };
        api.on("POST", approve)
            .respond_with(api.error(403, "Invalid RAO credentials"))
            .mount(&api.server)
            .await;
        api.on("POST", &format!("/videoid/{}/refuse", key(&api)))
            .respond_with(api.error(
                400,
                "Missing required parameters: incomplete RAO's credentials",
            ))
            .mount(&api.server)
            .await;
        let err = api
            .client
            .approve_videoid(&ids(), &decision(None))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RaoInvalidCredentials);
        let err = api
            .client
            .refuse_videoid(&ids(), &decision(Some("blurred")))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::RaoIncompleteCredentials);
    }
}

#[tokio::test]
async fn refusal_needs_a_reason() {
    let api = Api::new(Layout::Legacy).await;
    api.on("POST", "/videoid/45836/refuse")
        .respond_with(api.error(400, "No reason specified"))
        .mount(&api.server)
        .await;
    let err = api
        .client
        .refuse_videoid(&ids(), &decision(None))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::VideoidReasonMissing);
    assert!(api.received().await.is_empty(), "checked before sending");
    let err = api
        .client
        .refuse_videoid(&ids(), &decision(Some(" x ")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::VideoidReasonMissing);
    assert_eq!(err.http_status(), Some(400));
}

#[tokio::test]
async fn download_the_video() {
    for api in Api::both().await {
        let path = match api.layout {
            Layout::Current => "/videoid/137/video",
            Layout::Legacy => "/videoid/45836/download/video",
        };
        api.on("GET", path)
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![1u8; 10_000], "video/mp4"))
            .mount(&api.server)
            .await;
        let mut out = Vec::new();
        let got = api
            .client
            .download_videoid_video(&ids(), &mut out, &TransferControl::new())
            .await
            .unwrap();
        assert_eq!(got.bytes, 10_000);
        assert_eq!(got.content_type.as_deref(), Some("video/mp4"));
    }
}
