use oneshot_client::{
    ErrorCode, RequestPk, RequestStatus, WebhookEvent, WebhookShape, parse_webhook,
};

#[test]
fn current_payload() {
    let body = br#"{"event_type":"REQUEST_ENROLLED","sent_at":"20250715083633",
        "request":{"status":"ISSUED","profile":"PFnubeNC","registration_authority":7,"scratchcard":"2678100","pk":1012632},
        "certificates":[{"status":"VALID","serial_number":"58edb21a8a653533","valid_from":"2025-07-15","valid_to":"2025-07-16"}],
        "previous_status":"ENROLLREADY"}"#;
    let change = parse_webhook(body).unwrap();
    assert_eq!(change.shape, WebhookShape::Current);
    assert_eq!(change.request_pk, RequestPk(1012632));
    assert_eq!(change.status, RequestStatus::Issued);
    assert_eq!(change.previous_status, Some(RequestStatus::EnrollReady));
    assert_eq!(change.event, Some(WebhookEvent::RequestEnrolled));
    assert_eq!(change.sent_at.unwrap().to_string(), "2025-07-15T08:36:33");
    assert_eq!(change.registration_authority.as_deref(), Some("7"));
    assert_eq!(change.scratchcard.as_deref(), Some("2678100"));
    assert_eq!(
        change.certificates[0].serial_number.as_deref(),
        Some("58edb21a8a653533")
    );
}

#[test]
fn legacy_payload() {
    let body = br#"{"status":"VIDEOINCOMPLETE","date":"2021-07-20T08:08:21.132394","previous_status":"VIDEOPENDING","request":46760,"registration_authority":139}"#;
    let change = parse_webhook(body).unwrap();
    assert_eq!(change.shape, WebhookShape::Legacy);
    assert_eq!(change.request_pk, RequestPk(46760));
    assert_eq!(change.status, RequestStatus::VideoIncomplete);
    assert_eq!(change.previous_status, Some(RequestStatus::VideoPending));
    assert_eq!(
        change.changed_at.unwrap().to_string(),
        "2021-07-20T08:08:21.132394"
    );
    assert_eq!(change.event, None);
}

#[test]
fn unknown_events_and_statuses_are_kept() {
    let body = br#"{"event_type":"SOMETHING_NEW","sent_at":"garbage","request":{"status":"PAUSED","pk":"5"},"certificates":[]}"#;
    let change = parse_webhook(body).unwrap();
    assert_eq!(
        change.event,
        Some(WebhookEvent::Other("SOMETHING_NEW".into()))
    );
    assert_eq!(change.status, RequestStatus::Other("PAUSED".into()));
    assert_eq!(change.sent_at, None);
    assert_eq!(change.request_pk, RequestPk(5));
}

#[test]
fn invalid_payloads_name_the_problem() {
    for (body, path) in [
        (&b"not json"[..], "$"),
        (&b"[1,2]"[..], "$"),
        (&br#"{"status":"ISSUED"}"#[..], "request"),
        (&br#"{"request":{"status":"ISSUED"}}"#[..], "request.pk"),
        (&br#"{"request":{"pk":1}}"#[..], "request.status"),
        (&br#"{"request":"x","status":"ISSUED"}"#[..], "request"),
    ] {
        let err = parse_webhook(body).unwrap_err();
        assert_eq!(err.code(), ErrorCode::WebhookInvalid);
        assert_eq!(
            err.json_path(),
            Some(path),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}
