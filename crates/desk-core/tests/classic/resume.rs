//! Lost answers: the simulator performs the call, then drops the connection. The flow is
//! reconciled by reading the Optimizer's state back, never by repeating the call.

use crate::support::World;
use desk_core::flow::{AttentionKind, FlowState, NextAction, ResumeOptions, SignAuthInput};
use desk_core::settings::LayoutPreference;
use optimizer_sim::FaultPlan;

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_upload_answer_is_settled_from_the_document_list() {
    for layout in [LayoutPreference::Current, LayoutPreference::Legacy] {
        let world = World::new(layout).await;
        world
            .sim
            .set_faults(FaultPlan::parse("drop_after=document_upload:1x").unwrap());
        let error = world.desk.start_classic(world.input(3)).await.unwrap_err();
        assert_eq!(error.code, "optimizer.unreachable", "{layout:?}");
        let flow = &world.desk.unfinished_flows().await.unwrap()[0];
        assert_eq!(flow.state, FlowState::Created);
        assert_eq!(
            flow.attention.as_ref().unwrap().kind,
            AttentionKind::OutcomeUnknown
        );
        assert_eq!(flow.next_action, NextAction::Resume);
        let pk = flow.request_pk.unwrap();
        assert_eq!(world.remote_documents(pk).await, 3, "the upload did happen");

        let resumed = world
            .desk
            .resume(flow.id, ResumeOptions::default())
            .await
            .unwrap();
        assert_eq!(resumed.state, FlowState::ContractFetched);
        assert!(resumed.attention.is_none());
        assert!(resumed.documents.iter().all(|d| d.remote_uid.is_some()));
        assert_eq!(
            world.remote_documents(pk).await,
            3,
            "nothing uploaded twice"
        );
        assert_eq!(world.steps(flow.id, "upload"), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_sign_answer_is_settled_from_the_request_status() {
    for layout in [LayoutPreference::Current, LayoutPreference::Legacy] {
        let world = World::new(layout).await;
        let flow = world.desk.start_classic(world.input(2)).await.unwrap();
        world.desk.confirm_review(flow.id).await.unwrap();
        world.desk.send_otp(flow.id, None).await.unwrap();
        let code = world.desk.practice_code(flow.id).await.unwrap().code;
        world
            .sim
            .set_faults(FaultPlan::parse("drop_after=sign:1x").unwrap());
        let error = world
            .desk
            .sign(flow.id, SignAuthInput::Otp(code.into()))
            .await
            .unwrap_err();
        assert_eq!(error.code, "optimizer.unreachable");
        let lost = world.desk.flow(flow.id).await.unwrap();
        assert_eq!(lost.state, FlowState::OtpSent);
        assert_eq!(
            lost.attention.as_ref().unwrap().kind,
            AttentionKind::OutcomeUnknown
        );
        let pk = lost.request_pk.unwrap();
        assert_eq!(world.status(pk).await, "ISSUED");

        let done = world
            .desk
            .resume(flow.id, ResumeOptions::default())
            .await
            .unwrap();
        assert_eq!(done.state, FlowState::Done, "{layout:?}");
        assert_eq!(done.saved_files().len(), 3);
        assert!(
            done.documents
                .iter()
                .all(|d| d.signature.as_ref().unwrap().passed())
        );
        assert_eq!(
            world.steps(flow.id, "sign"),
            1,
            "signed once, never repeated"
        );
        assert_eq!(world.remote_documents(pk).await, 0);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_sign_that_did_not_happen_lets_the_customer_sign() {
    let world = World::new(LayoutPreference::Current).await;
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    world.desk.confirm_review(flow.id).await.unwrap();
    world.desk.send_otp(flow.id, None).await.unwrap();
    let code = world.desk.practice_code(flow.id).await.unwrap().code;
    world
        .sim
        .set_faults(FaultPlan::parse("drop=sign:1x").unwrap());
    let error = world
        .desk
        .sign(flow.id, SignAuthInput::Otp(code.clone().into()))
        .await
        .unwrap_err();
    assert_eq!(error.code, "optimizer.unreachable");
    let resumed = world
        .desk
        .resume(flow.id, ResumeOptions::default())
        .await
        .unwrap();
    assert_eq!(resumed.state, FlowState::OtpSent);
    assert_eq!(resumed.next_action, NextAction::EnterOtp);
    let done = world
        .desk
        .sign(flow.id, SignAuthInput::Otp(code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(world.steps(flow.id, "sign"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_create_needs_the_user() {
    let world = World::new(LayoutPreference::Current).await;
    world
        .sim
        .set_faults(FaultPlan::parse("drop_after=create:1x").unwrap());
    let input = world.input(1);
    let error = world.desk.start_classic(input).await.unwrap_err();
    assert_eq!(error.code, "optimizer.unreachable");
    let flow = &world.desk.unfinished_flows().await.unwrap()[0];
    assert_eq!(flow.state, FlowState::Draft);
    assert!(flow.request_pk.is_none());
    let attention = flow.attention.as_ref().unwrap();
    assert_eq!(attention.kind, AttentionKind::CreateOutcomeUnknown);
    assert!(
        attention
            .explanation
            .contains("cannot know whether the request exists")
    );
    assert_eq!(flow.next_action, NextAction::ConfirmRecreate);

    // Never automatic: resuming alone does not create again.
    let error = world
        .desk
        .resume(flow.id, ResumeOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.code, "flow.create_unknown");
    assert_eq!(world.steps(flow.id, "create"), 1);

    let options = ResumeOptions {
        recreate: true,
        token: Some(desk_core::flow::TokenChoice::Value(
            crate::support::SANDBOX_TOKEN.to_string().into(),
        )),
    };
    let recreated = world.desk.resume(flow.id, options).await.unwrap();
    assert_eq!(recreated.state, FlowState::ContractFetched);
    assert_eq!(world.steps(flow.id, "create"), 2);
    // The first create did happen: the stray request is the one before.
    let pk = recreated.request_pk.unwrap();
    assert_eq!(world.status(pk - 1).await, "ENROLLREADY");
    assert_eq!(world.remote_documents(pk).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn interrupting_an_upload_leaves_a_resumable_flow() {
    let world = World::new(LayoutPreference::Current).await;
    world
        .sim
        .set_faults(FaultPlan::parse("latency=document_upload:3s").unwrap());
    let desk = world.desk.clone();
    let input = world.input(1);
    let started = tokio::spawn(async move { desk.start_classic(input).await });
    // Wait until the upload is under way, then interrupt it.
    let id = loop {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let uploading = world.events.lock().unwrap().iter().find_map(|e| match e {
            desk_core::DeskEvent::FlowChanged { snapshot }
                if snapshot.progress.activity.as_deref() == Some("uploading") =>
            {
                Some(snapshot.id)
            }
            _ => None,
        });
        if let Some(id) = uploading {
            break id;
        }
    };
    assert!(world.desk.interrupt(id));
    let error = started.await.unwrap().unwrap_err();
    assert_eq!(error.code, "cancelled");
    let flow = world.desk.flow(id).await.unwrap();
    assert_eq!(
        flow.attention.as_ref().unwrap().kind,
        AttentionKind::Interrupted
    );
    world.sim.set_faults(FaultPlan::default());
    let resumed = world
        .desk
        .resume(id, ResumeOptions::default())
        .await
        .unwrap();
    assert_eq!(resumed.state, FlowState::ContractFetched);
    assert_eq!(world.remote_documents(resumed.request_pk.unwrap()).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_upload_that_did_not_happen_is_sent_on_resume() {
    let world = World::new(LayoutPreference::Legacy).await;
    world
        .sim
        .set_faults(FaultPlan::parse("drop=document_upload:1x").unwrap());
    let error = world.desk.start_classic(world.input(2)).await.unwrap_err();
    assert_eq!(error.code, "optimizer.unreachable");
    let flow = &world.desk.unfinished_flows().await.unwrap()[0];
    let pk = flow.request_pk.unwrap();
    assert_eq!(world.remote_documents(pk).await, 0);
    let resumed = world
        .desk
        .resume(flow.id, ResumeOptions::default())
        .await
        .unwrap();
    assert_eq!(resumed.state, FlowState::ContractFetched);
    assert_eq!(world.remote_documents(pk).await, 2);
    assert_eq!(
        world.steps(flow.id, "upload"),
        2,
        "checked, found nothing, sent once more"
    );
}
