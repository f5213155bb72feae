//! What is refused before anything is sent, an Optimizer that is down, and cancelling.

use crate::support::{World, open_desk};
use desk_core::flow::{AttentionKind, FlowState, NextAction};
use desk_core::settings::LayoutPreference;

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_customer_is_refused_before_anything_is_journaled() {
    let world = World::new(LayoutPreference::Current).await;
    let mut input = world.input(1);
    input.customer.mobile_phone_number = "612345678".into();
    input.customer.serial_number = "12345678A".into();
    let error = world.desk.start_classic(input).await.unwrap_err();
    assert_eq!(error.code, "customer.invalid");
    let detail = error.detail.unwrap();
    assert!(
        detail.contains("mobile_phone_number: customer.phone_prefix"),
        "{detail}"
    );
    assert!(
        detail.contains("serial_number: customer.id_number_letter"),
        "{detail}"
    );
    assert!(world.desk.recent_flows(10).await.unwrap().is_empty());
    assert!(
        world
            .client()
            .get_request(oneshot_client::RequestPk(1001))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_pdf_is_refused_before_sending() {
    let world = World::new(LayoutPreference::Current).await;
    let mut input = world.input(2);
    let mut bytes = crate::support::pdf("secret");
    let at = bytes.windows(7).rposition(|w| w == b"/Root 1").unwrap();
    bytes.splice(at..at, b"/Encrypt 9 0 R ".iter().copied());
    std::fs::write(&input.documents[1], bytes).unwrap();
    let error = world.desk.start_classic(input.clone()).await.unwrap_err();
    assert_eq!(error.code, "pdf.encrypted");
    assert!(world.desk.recent_flows(10).await.unwrap().is_empty());
    assert!(
        world
            .client()
            .get_request(oneshot_client::RequestPk(1001))
            .await
            .is_err()
    );

    input.documents[1] = world.dir.path().join("photo.pdf");
    std::fs::write(&input.documents[1], crate::support::png()).unwrap();
    assert_eq!(
        world
            .desk
            .start_classic(input.clone())
            .await
            .unwrap_err()
            .code,
        "pdf.not_a_pdf"
    );
    input.documents = vec![];
    assert_eq!(
        world
            .desk
            .start_classic(input.clone())
            .await
            .unwrap_err()
            .code,
        "flow.no_documents"
    );
    let mut input = world.input(1);
    input.id_images.front = Some(world.dir.path().join("docs/document 1.pdf"));
    assert_eq!(
        world.desk.start_classic(input).await.unwrap_err().code,
        "image.unsupported_type"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_optimizer_that_is_down_is_unreachable() {
    let world = World::new(LayoutPreference::Current).await;
    let input = world.input(1);
    // A port nobody listens on any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    for layout in [LayoutPreference::Auto, LayoutPreference::Current] {
        let dir = tempfile::tempdir().unwrap();
        let (desk, _) = open_desk(dir.path(), &url, layout);
        let error = desk.start_classic(input.clone()).await.unwrap_err();
        assert_eq!(error.code, "optimizer.unreachable", "{layout:?}");
        let report = desk.test_connection(&desk.connection()).await;
        assert!(!report.reachable);
        assert_eq!(report.error.unwrap().code, "optimizer.unreachable");
        if layout == LayoutPreference::Current {
            // Journaled, nothing created: resume retries the create once the Optimizer is back.
            let flow = &desk.unfinished_flows().await.unwrap()[0];
            assert_eq!(flow.state, FlowState::Draft);
            let attention = flow.attention.as_ref().unwrap();
            assert_eq!(attention.kind, AttentionKind::StepFailed);
            assert_eq!(flow.next_action, NextAction::Resume);
            let cancelled = desk.cancel(flow.id).await.unwrap();
            assert_eq!(cancelled.state, FlowState::Cancelled);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelling_removes_the_request_from_the_optimizer() {
    let world = World::new(LayoutPreference::Legacy).await;
    let flow = world.desk.start_classic(world.input(2)).await.unwrap();
    let pk = flow.request_pk.unwrap();
    assert_eq!(world.remote_documents(pk).await, 2);
    let cancelled = world.desk.cancel(flow.id).await.unwrap();
    assert_eq!(cancelled.state, FlowState::Cancelled);
    assert!(cancelled.finished);
    assert_eq!(cancelled.next_action, NextAction::None);
    assert_eq!(world.status(pk).await, "CANCELLED");
    assert!(world.desk.unfinished_flows().await.unwrap().is_empty());
    assert!(!world.output().join("document 1.pdf").exists());
    // Cancelled twice is still cancelled; a cancelled flow takes no more steps.
    assert_eq!(
        world.desk.cancel(flow.id).await.unwrap().state,
        FlowState::Cancelled
    );
    assert_eq!(
        world.desk.send_otp(flow.id, None).await.unwrap_err().code,
        "flow.wrong_state"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_flow_cannot_be_cancelled() {
    let world = World::new(LayoutPreference::Current).await;
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    world.desk.confirm_review(flow.id).await.unwrap();
    world.desk.send_otp(flow.id, None).await.unwrap();
    let code = world.desk.practice_code(flow.id).await.unwrap().code;
    world
        .sim
        .set_faults(optimizer_sim::FaultPlan::parse("error_rate=document:3x:503").unwrap());
    let error = world
        .desk
        .sign(flow.id, desk_core::flow::SignAuthInput::Otp(code.into()))
        .await
        .unwrap_err();
    assert!(error.code.as_str().starts_with("optimizer."), "{error:?}");
    let signed = world.desk.flow(flow.id).await.unwrap();
    assert_eq!(signed.state, FlowState::Signed);
    assert_eq!(signed.next_action, NextAction::Resume);
    assert_eq!(
        world.desk.cancel(flow.id).await.unwrap_err().code,
        "flow.already_signed"
    );
    assert_eq!(world.remote_documents(signed.request_pk.unwrap()).await, 1);
    let done = world
        .desk
        .resume(flow.id, Default::default())
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(world.remote_documents(signed.request_pk.unwrap()).await, 0);
}
