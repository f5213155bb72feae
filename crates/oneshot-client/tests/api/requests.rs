use crate::support::multipart::{field, parts};
use crate::support::{Api, current, legacy};
use oneshot_client::{
    BillingCredentials, CreateRequest, Environment, ErrorCode, FileInput, IdDocumentType, Layout,
    RaoAuth, RequestPk, RequestStatus, SecretString, TokenUid, TransferControl, UpdateRequest,
};
use serde_json::json;
use std::sync::{Arc, Mutex};
use wiremock::ResponseTemplate;

fn sample_request(dir: &std::path::Path) -> CreateRequest {
    let front = dir.join("front.jpg");
    std::fs::write(&front, b"\xFF\xD8\xFF\xE0front-image").unwrap();
    CreateRequest {
        given_name: "Ada".into(),
        surname_1: "Lovelace".into(),
        surname_2: Some("Byron".into()),
        id_document_type: Some(IdDocumentType::Pas),
        id_document_country: Some("ES".into()),
        serial_number: "A9999999E".into(),
        email: "ada@example.com".into(),
        mobile_phone_number: "+34999999999".into(),
        registration_authority: Some("139".into()),
        profile: Some("PFnubeQAFCiudadano".into()),
        rao: RaoAuth::token(TokenUid::new("3bf8d8eb-d96c-41ea-83ad-d78a7016c7da")),
        document_front: Some(FileInput::path(&front)),
        document_rear: Some(FileInput::bytes("rear.png", &b"\x89PNG\r\n\x1a\nrear"[..])),
        env: Some(Environment::Sandbox),
        ..CreateRequest::default()
    }
}

#[tokio::test]
async fn create_request_sends_multipart_and_reads_the_pk() {
    let dir = tempfile::tempdir().unwrap();
    for api in Api::both().await {
        let (suffix, answer) = match api.layout {
            Layout::Current => (
                "/create",
                ResponseTemplate::new(200).set_body_json(json!({
                    "status": "success", "message": "Request created with pk 388141",
                    "details": {"pk": 388141, "asyncmode": false}
                })),
            ),
            Layout::Legacy => ("/request", legacy::created(388141)),
        };
        api.on("POST", suffix)
            .respond_with(answer)
            .expect(1)
            .mount(&api.server)
            .await;
        let progress = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&progress);
        let control = TransferControl::new().on_progress(move |p| seen.lock().unwrap().push(p));
        let created = api
            .client
            .create_request(&sample_request(dir.path()), &control)
            .await
            .unwrap();
        assert_eq!(created.pk, RequestPk(388141));
        if api.layout == Layout::Current {
            assert_eq!(created.asynchronous, Some(false));
        }
        let request = api.received().await.pop().unwrap();
        let form = parts(&request);
        assert_eq!(field(&form, "given_name").as_deref(), Some("Ada"));
        assert_eq!(field(&form, "surname_2").as_deref(), Some("Byron"));
        assert_eq!(field(&form, "id_document_type").as_deref(), Some("PAS"));
        assert_eq!(
            field(&form, "mobile_phone_number").as_deref(),
            Some("+34999999999")
        );
        assert_eq!(
            field(&form, "token").as_deref(),
            Some("3bf8d8eb-d96c-41ea-83ad-d78a7016c7da")
        );
        assert_eq!(field(&form, "env").as_deref(), Some("sandbox"));
        assert!(field(&form, "useasync").is_none());
        let front = form.iter().find(|p| p.name == "document_front").unwrap();
        assert_eq!(front.file_name.as_deref(), Some("front.jpg"));
        assert_eq!(front.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(front.body, b"\xFF\xD8\xFF\xE0front-image");
        let rear = form.iter().find(|p| p.name == "document_rear").unwrap();
        assert_eq!(rear.content_type.as_deref(), Some("image/png"));
        let last = *progress.lock().unwrap().last().unwrap();
        assert_eq!(last.done, last.total.unwrap());
        assert_eq!(
            last.done,
            (b"\xFF\xD8\xFF\xE0front-image".len() + b"\x89PNG\r\n\x1a\nrear".len()) as u64
        );
    }
}

#[tokio::test]
async fn create_request_with_credentials_billing_and_async_mode() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/create")
        .respond_with(current::ok(json!({"pk": "77", "asyncmode": true})))
        .mount(&api.server)
        .await;
    let mut request = sample_request(dir.path());
    request.rao = RaoAuth::credentials(
        "9001800",
        SecretString::from("Gy6F89xK"),
        SecretString::from("p1n9"),
    );
    request.billing = Some(BillingCredentials::new(
        "bill@example.com",
        SecretString::from("Perolito1."),
    ));
    request.asynchronous = Some(Some("https://desk.example/hook".parse().unwrap()));
    let created = api
        .client
        .create_request(&request, &TransferControl::new())
        .await
        .unwrap();
    assert_eq!(created.pk, RequestPk(77));
    assert_eq!(created.asynchronous, Some(true));
    let form = parts(&api.received().await.pop().unwrap());
    assert_eq!(field(&form, "username").as_deref(), Some("9001800"));
    assert_eq!(field(&form, "password").as_deref(), Some("Gy6F89xK"));
    assert_eq!(field(&form, "pin").as_deref(), Some("p1n9"));
    assert!(field(&form, "token").is_none());
    // The API wants the billing password base64-encoded; callers pass it plain.
    assert_eq!(
        field(&form, "billing_password").as_deref(),
        Some("UGVyb2xpdG8xLg==")
    );
    assert_eq!(
        field(&form, "billing_username").as_deref(),
        Some("bill@example.com")
    );
    assert_eq!(field(&form, "useasync").as_deref(), Some("true"));
    assert_eq!(
        field(&form, "callback").as_deref(),
        Some("https://desk.example/hook")
    );
}

#[tokio::test]
async fn create_request_reads_a_pk_named_only_in_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/create")
        .respond_with(current::message("Request created with pk 12"))
        .mount(&api.server)
        .await;
    let created = api
        .client
        .create_request(&sample_request(dir.path()), &TransferControl::new())
        .await
        .unwrap();
    assert_eq!(created.pk, RequestPk(12));
}

#[tokio::test]
async fn create_request_without_pk_is_a_bad_response_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Current).await;
    api.on("POST", "/create")
        .respond_with(current::ok(json!({"asyncmode": false})))
        .mount(&api.server)
        .await;
    let err = api
        .client
        .create_request(&sample_request(dir.path()), &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerBadResponse);
    assert_eq!(err.json_path(), Some("details.pk"));
    assert!(err.raw_body().unwrap().contains("asyncmode"));
}

#[tokio::test]
async fn create_request_needs_rao_auth_and_readable_files() {
    let dir = tempfile::tempdir().unwrap();
    let api = Api::new(Layout::Current).await;
    let mut request = sample_request(dir.path());
    request.rao = RaoAuth::default();
    let err = api
        .client
        .create_request(&request, &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InputInvalid);
    let mut request = sample_request(dir.path());
    request.document_owner = Some(FileInput::path(dir.path().join("missing.jpg")));
    let err = api
        .client
        .create_request(&request, &TransferControl::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::IoFile);
    assert!(api.received().await.is_empty());
}

fn legacy_record() -> serde_json::Value {
    json!({
        "paperless_mode": true, "mobile_phone_number": 34600123123u64, "country_name": "ES",
        "approving_user": {"pk": 232, "request": 4721, "permission_profile": 1, "registration_authority": 139},
        "secure_element": 2, "communication_language": "", "profile": "PFnubeQAFCiudadano",
        "email": "name@domain.com", "surname_2": "Surname2", "surname_1": "Surname1",
        "validity_time": "1", "videoid_mode": false, "serial_number": "12345678A",
        "scratchcard": "5039078", "registration_authority": 139, "id_document_type": "IDC",
        "pk": 45836, "given_name": "Name", "status": "ENROLLREADY", "certificate_set": [],
        "id_document_country": "ES"
    })
}

#[tokio::test]
async fn get_request_reads_the_record() {
    for api in Api::both().await {
        api.on("GET", "/request/45836")
            .respond_with(api.ok(legacy_record()))
            .mount(&api.server)
            .await;
        let record = api.client.get_request(RequestPk(45836)).await.unwrap();
        assert_eq!(record.pk, RequestPk(45836));
        assert_eq!(record.status, RequestStatus::EnrollReady);
        assert_eq!(record.mobile_phone_number.as_deref(), Some("34600123123"));
        assert_eq!(record.registration_authority.as_deref(), Some("139"));
        assert_eq!(record.scratchcard.as_deref(), Some("5039078"));
        assert_eq!(record.communication_language, None);
        assert_eq!(record.videoid_mode, Some(false));
    }
}

#[tokio::test]
async fn get_request_keeps_unknown_statuses() {
    let api = Api::new(Layout::Current).await;
    api.on("GET", "/request/5")
        .respond_with(current::ok(json!({"pk": 5, "status": "ARCHIVED"})))
        .mount(&api.server)
        .await;
    let record = api.client.get_request(RequestPk(5)).await.unwrap();
    assert_eq!(record.status, RequestStatus::Other("ARCHIVED".into()));
}

#[tokio::test]
async fn get_request_with_wrong_shape_names_the_json_path() {
    let api = Api::new(Layout::Legacy).await;
    api.on("GET", "/request/5")
        .respond_with(legacy::ok(json!({"pk": 5, "status": 12})))
        .mount(&api.server)
        .await;
    let err = api.client.get_request(RequestPk(5)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptimizerBadResponse);
    assert_eq!(err.json_path(), Some("details.status"));
}

#[tokio::test]
async fn update_and_cancel_request() {
    for api in Api::both().await {
        api.on("PUT", "/request/9")
            .respond_with(api.done("Request updated"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("DELETE", "/request/9")
            .respond_with(api.done("Request directory removed successfully"))
            .expect(1)
            .mount(&api.server)
            .await;
        api.on("DELETE", "/request/10")
            .respond_with(api.error(404, "Request 10 not found"))
            .mount(&api.server)
            .await;
        let update = UpdateRequest {
            scratchcard: "5039078".into(),
            country_name: "ES".into(),
            email: "a@b.c".into(),
            profile: "PFnubeNC".into(),
            registration_authority: "139".into(),
            birth_date: Some("01/01/2000".into()),
            ..UpdateRequest::default()
        };
        api.client
            .update_request(RequestPk(9), &update)
            .await
            .unwrap();
        assert_eq!(
            api.last_json().await,
            json!({"scratchcard": "5039078", "country_name": "ES", "email": "a@b.c",
                   "profile": "PFnubeNC", "registration_authority": "139", "birth_date": "01/01/2000"})
        );
        api.client.cancel_request(RequestPk(9)).await.unwrap();
        let err = api.client.cancel_request(RequestPk(10)).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::RequestNotFound);
    }
}
