//! Lost answers on VideoID calls: the simulator performs the call, then drops the connection.
//! `resume` reads the request's status back and never repeats what took effect.

use crate::support::{Bench, Setup};
use desk_core::flow::{
    AttentionKind, FlowState, NextAction, ResumeOptions, StepStatus, VideoIdKind,
};
use desk_core::settings::LayoutPreference;
use optimizer_sim::FaultPlan;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_approval_answer_is_settled_from_the_status() {
    for layout in [LayoutPreference::Current, LayoutPreference::Legacy] {
        let bench = Bench::start(Setup::polling(layout)).await;
        let started = bench
            .desk
            .start_videoid(bench.input(VideoIdKind::Eidas, 1))
            .await
            .unwrap();
        let pk = started.request_pk.unwrap();
        bench.customer_does(pk, "complete").await;
        bench
            .desk
            .wait_for_identification(started.id, Some(Duration::from_secs(60)))
            .await
            .unwrap();
        bench
            .sim
            .set_faults(FaultPlan::parse("drop_after=approve:1x").unwrap());
        let error = bench
            .desk
            .approve_videoid(started.id, Bench::approval())
            .await
            .unwrap_err();
        assert_eq!(error.code, "optimizer.unreachable", "{layout:?}");
        let lost = bench.desk.flow(started.id).await.unwrap();
        assert_eq!(lost.state, FlowState::VideoReview);
        assert_eq!(
            lost.attention.as_ref().unwrap().kind,
            AttentionKind::OutcomeUnknown
        );
        assert_eq!(lost.next_action, NextAction::Resume);
        assert_eq!(
            bench.status(pk).await,
            "ENROLLREADY",
            "the approval did happen"
        );

        let resumed = bench
            .desk
            .resume(started.id, ResumeOptions::default())
            .await
            .unwrap();
        assert_eq!(resumed.state, FlowState::ContractFetched, "{layout:?}");
        assert!(resumed.attention.is_none());
        assert_eq!(
            bench.steps(started.id, "approve"),
            1,
            "never approved twice"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_evidences_answer_is_settled_from_the_status() {
    for layout in [LayoutPreference::Current, LayoutPreference::Legacy] {
        let bench = Bench::start(Setup::polling(layout)).await;
        bench
            .sim
            .set_faults(FaultPlan::parse("drop_after=evidences:1x").unwrap());
        let mut input = bench.input(VideoIdKind::External, 1);
        input.evidences = Some(bench.evidences(4));
        input.video = Some(bench.video(200_000));
        let error = bench.desk.start_videoid(input).await.unwrap_err();
        assert_eq!(error.code, "optimizer.unreachable", "{layout:?}");
        let lost = &bench.desk.unfinished_flows().await.unwrap()[0];
        assert_eq!(lost.state, FlowState::VideoPending);
        assert_eq!(
            lost.attention.as_ref().unwrap().kind,
            AttentionKind::OutcomeUnknown
        );
        let pk = lost.request_pk.unwrap();
        assert_eq!(
            bench.status(pk).await,
            "VIDEOINCOMPLETE",
            "the evidences arrived"
        );

        let resumed = bench
            .desk
            .resume(lost.id, ResumeOptions::default())
            .await
            .unwrap();
        assert_eq!(resumed.state, FlowState::VideoReview, "{layout:?}");
        let video = resumed.videoid.unwrap();
        assert_eq!(video.evidences, StepStatus::Done);
        assert_eq!(video.video.unwrap().upload, StepStatus::Done);
        assert_eq!(bench.steps(lost.id, "evidences"), 1, "never sent twice");
        assert_eq!(bench.steps(lost.id, "video"), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_video_answer_is_settled_from_the_status() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    bench
        .sim
        .set_faults(FaultPlan::parse("drop_after=video_upload:1x").unwrap());
    let mut input = bench.input(VideoIdKind::External, 1);
    input.evidences = Some(bench.evidences(4));
    input.video = Some(bench.video(200_000));
    let error = bench.desk.start_videoid(input).await.unwrap_err();
    assert_eq!(error.code, "optimizer.unreachable");
    let lost = &bench.desk.unfinished_flows().await.unwrap()[0];
    let resumed = bench
        .desk
        .resume(lost.id, ResumeOptions::default())
        .await
        .unwrap();
    assert_eq!(resumed.state, FlowState::VideoReview);
    assert_eq!(
        bench.steps(lost.id, "video"),
        1,
        "VIDEOREVIEW said it arrived"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_create_answer_needs_the_user_to_recreate() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    bench
        .sim
        .set_faults(FaultPlan::parse("drop_after=videoid_create:1x").unwrap());
    let error = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap_err();
    assert_eq!(error.code, "optimizer.unreachable");
    let lost = &bench.desk.unfinished_flows().await.unwrap()[0];
    assert_eq!(lost.state, FlowState::Draft);
    assert_eq!(lost.next_action, NextAction::ConfirmRecreate);
    let refused = bench
        .desk
        .resume(lost.id, ResumeOptions::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code, "flow.create_unknown");
    let recreated = bench
        .desk
        .resume(
            lost.id,
            ResumeOptions {
                recreate: true,
                token: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(recreated.state, FlowState::VideoPending);
    assert!(recreated.videoid.unwrap().link.is_some());
    assert_eq!(bench.steps(lost.id, "create"), 2);
}
