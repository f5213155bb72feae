//! External VideoID: the desk uploads an identification provider's evidences and recording;
//! the RAO approves and the flow signs; the recording comes back byte for byte.

use crate::support::{Bench, Setup, assert_externally_valid};
use desk_core::events::{DeskEvent, TransferDirection};
use desk_core::flow::{
    FlowState, NextAction, RaoApproval, RaoAuthInput, SignAuthInput, StatusSource, StepStatus,
    VideoIdKind,
};
use desk_core::journal::FlowKind;
use desk_core::settings::LayoutPreference;

/// A recording of a few megabytes.
const VIDEO_BYTES: usize = 3 * 1024 * 1024 + 123;

async fn uploaded_approved_signed(layout: LayoutPreference) {
    let bench = Bench::start(Setup::polling(layout)).await;
    let mut input = bench.input(VideoIdKind::External, 1);
    input.evidences = Some(bench.evidences(4));
    input.video = Some(bench.video(VIDEO_BYTES));
    let review = bench.desk.start_videoid(input).await.unwrap();
    assert_eq!(review.kind, FlowKind::VideoidExternal);
    assert_eq!(
        review.state,
        FlowState::VideoReview,
        "{:?}",
        review.last_error
    );
    assert_eq!(review.next_action, NextAction::ReviewIdentification);
    let video = review.videoid.clone().unwrap();
    assert_eq!(video.link, None, "an external identification has no link");
    assert_eq!(video.evidences, StepStatus::Done);
    let recording = video.video.clone().unwrap();
    assert_eq!(recording.media_type, "video/mp4");
    assert_eq!(
        recording.size as usize,
        std::fs::metadata(&recording.path).unwrap().len() as usize
    );
    assert_eq!(recording.upload, StepStatus::Done);
    assert_eq!(video.remote_status_source, Some(StatusSource::Answer));
    assert_eq!(review.customer_display_name, "Marta Ruiz Soler");
    let uploads: Vec<u64> = bench
        .events()
        .iter()
        .filter_map(|e| match e {
            DeskEvent::Transfer(p)
                if p.direction == TransferDirection::Upload && p.file.starts_with("VideoID") =>
            {
                Some(p.done)
            }
            _ => None,
        })
        .collect();
    assert!(
        uploads.len() > 2,
        "the recording's upload reported progress"
    );
    assert_eq!(*uploads.last().unwrap(), recording.size);
    let working = bench
        .desk
        .paths()
        .data_dir
        .join("flows")
        .join(review.id.to_string());
    assert!(
        !working.join("evidences.json").exists(),
        "the evidences' identity data left the disk once uploaded"
    );

    // The RAO watches the recording before deciding.
    let copy = bench
        .desk
        .download_videoid_video(review.id, &bench.dir.path().join("review"))
        .await
        .unwrap();
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&recording.path).unwrap(),
        "the recording comes back byte for byte"
    );
    let pk = review.request_pk.unwrap();
    assert_eq!(
        copy.file_name().unwrap().to_string_lossy(),
        format!("VideoID {pk}.mp4")
    );
    let second = bench
        .desk
        .download_videoid_video(review.id, &bench.dir.path().join("review"))
        .await
        .unwrap();
    assert_eq!(second, copy, "an identical file is kept, not duplicated");

    let approval = RaoApproval {
        auth: RaoAuthInput::Credentials {
            username: "9001800".into(),
            password: "practice".to_string().into(),
            pin: "1234".to_string().into(),
        },
        rao_id: None,
    };
    let approved = bench
        .desk
        .approve_videoid(review.id, approval)
        .await
        .unwrap();
    assert_eq!(approved.state, FlowState::ContractFetched);
    bench.desk.confirm_review(approved.id).await.unwrap();
    bench.desk.send_otp(approved.id, None).await.unwrap();
    let code = bench.desk.practice_code(approved.id).await.unwrap();
    let done = bench
        .desk
        .sign(approved.id, SignAuthInput::Otp(code.code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    let ca = bench.sim.ca_certificate_pem();
    for path in done.saved_files() {
        assert_externally_valid(&ca, &path);
    }
    assert_eq!(
        done.documents[0]
            .signature
            .as_ref()
            .unwrap()
            .signer
            .as_deref(),
        Some("Marta Ruiz Soler")
    );
    assert_eq!(bench.status(pk).await, "ISSUED");
    assert_eq!(bench.steps(done.id, "evidences"), 1);
    assert_eq!(bench.steps(done.id, "video"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn external_identification_uploaded_approved_and_signed_in_the_current_layout() {
    uploaded_approved_signed(LayoutPreference::Current).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn external_identification_uploaded_approved_and_signed_in_the_legacy_layout() {
    uploaded_approved_signed(LayoutPreference::Legacy).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn evidences_are_checked_field_by_field_before_anything_is_sent() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let mut evidences = bench.evidences(2);
    evidences.similarity_level = Some(140);
    evidences.acceptance.ip = Some("localhost".into());
    evidences.acceptance.terms_url = Some("terms.html".into());
    evidences.ocr_data.serial_number = String::new();
    let not_an_image = bench.dir.path().join("front.txt");
    std::fs::write(&not_an_image, "a scan, supposedly").unwrap();
    evidences.images.document_front = Some(not_an_image);
    let issues = bench.desk.validate_evidences(&evidences).await;
    let codes: Vec<(String, String)> = issues.into_iter().map(|i| (i.field, i.code)).collect();
    for expected in [
        ("images.document_front", "evidences.image_type"),
        ("ocr_data.serial_number", "evidences.required"),
        ("similarity_level", "evidences.similarity_range"),
        ("acceptance.ip", "evidences.ip"),
        ("acceptance.terms_url", "evidences.url"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} missing from {codes:?}"
        );
    }
    let mut input = bench.input(VideoIdKind::External, 0);
    input.evidences = Some(evidences);
    let error = bench.desk.start_videoid(input).await.unwrap_err();
    assert_eq!(error.code, "evidences.invalid");
    assert!(
        error
            .detail
            .as_deref()
            .unwrap()
            .contains("similarity_level: evidences.similarity_range")
    );

    let mut input = bench.input(VideoIdKind::External, 0);
    let text = bench.dir.path().join("session.mp4");
    std::fs::write(&text, "this is not a recording at all").unwrap();
    input.video = Some(text);
    let error = bench.desk.start_videoid(input).await.unwrap_err();
    assert_eq!(error.code, "video.unsupported_type");

    let mut input = bench.input(VideoIdKind::Eidas, 0);
    input.customer.mobile_phone_number = "612345678".into();
    let error = bench.desk.start_videoid(input).await.unwrap_err();
    assert_eq!(error.code, "customer.invalid");
    assert!(
        error
            .detail
            .unwrap()
            .contains("mobile_phone_number: customer.phone_prefix")
    );
    assert!(
        bench.desk.recent_flows(10).await.unwrap().is_empty(),
        "nothing journaled"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn partial_evidences_leave_it_incomplete_until_completed() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let mut input = bench.input(VideoIdKind::External, 0);
    input.evidences = Some(bench.evidences(2));
    input.video = Some(bench.video(64 * 1024));
    let flow = bench.desk.start_videoid(input).await.unwrap();
    assert_eq!(flow.state, FlowState::VideoIncomplete);
    assert_eq!(flow.next_action, NextAction::UploadEvidences);
    assert_eq!(flow.progress.reached, 1);

    // Documents may be chosen now or after the approval.
    let flow = bench
        .desk
        .provide_evidences(flow.id, Some(bench.evidences(4)), None)
        .await
        .unwrap();
    assert_eq!(flow.state, FlowState::VideoReview);
    assert_eq!(bench.steps(flow.id, "evidences"), 2);
    let approved = bench
        .desk
        .approve_videoid(flow.id, Bench::approval())
        .await
        .unwrap();
    assert_eq!(approved.state, FlowState::Approved);
    assert_eq!(approved.next_action, NextAction::ChooseDocuments);
    let fetched = bench
        .desk
        .set_documents(approved.id, bench.documents(1))
        .await
        .unwrap();
    assert_eq!(fetched.state, FlowState::ContractFetched);
    let error = bench
        .desk
        .set_documents(fetched.id, bench.documents(2))
        .await
        .unwrap_err();
    assert_eq!(
        error.code, "flow.wrong_state",
        "documents are fixed once uploaded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_check_puts_it_in_error_and_new_evidences_fix_it() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Legacy)).await;
    let mut evidences = bench.evidences(4);
    evidences.security_checks.document_notexpired = Some(false);
    let mut input = bench.input(VideoIdKind::External, 1);
    input.evidences = Some(evidences);
    input.video = Some(bench.video(10_000));
    let flow = bench.desk.start_videoid(input).await.unwrap();
    assert_eq!(flow.state, FlowState::VideoError);
    let flow = bench
        .desk
        .provide_evidences(flow.id, Some(bench.evidences(4)), None)
        .await
        .unwrap();
    assert_eq!(flow.state, FlowState::VideoReview);
}
