//! eIDAS VideoID: the customer identifies at the link (the simulator's customer calls), the
//! desk follows the status by reading it back or on a webhook, the RAO decides, and an approved
//! flow signs like the classic one.

use crate::support::{Bench, Setup, Webhooks, assert_externally_valid, webhook_only};
use desk_core::events::DeskEvent;
use desk_core::flow::{FlowState, NextAction, SignAuthInput, StatusSource, VideoIdKind};
use desk_core::journal::FlowKind;
use desk_core::settings::LayoutPreference;
use optimizer_sim::config::WebhookFormat;
use std::time::Duration;

const WAIT: Option<Duration> = Some(Duration::from_secs(60));

async fn identified_by_polling_approved_and_signed(layout: LayoutPreference) {
    let bench = Bench::start(Setup::polling(layout)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 2))
        .await
        .unwrap();
    assert_eq!(started.kind, FlowKind::VideoidEidas);
    assert_eq!(started.state, FlowState::VideoPending);
    assert_eq!(started.next_action, NextAction::WaitForCustomer);
    assert_eq!(started.customer_display_name, "marta.ruiz@example.com");
    let video = started.videoid.clone().unwrap();
    let link = video.link.clone().unwrap();
    assert!(link.contains("/videoid/"), "{link}");
    assert!(video.qr_svg.as_deref().unwrap().contains("<svg"));
    assert_eq!(video.remote_status.as_deref(), Some("VIDEOPENDING"));
    assert_eq!(started.progress.total, 12);
    let pk = started.request_pk.unwrap();

    bench.customer_does(pk, "complete").await;
    let review = bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    assert_eq!(review.state, FlowState::VideoReview);
    assert_eq!(review.next_action, NextAction::ReviewIdentification);
    let video = review.videoid.clone().unwrap();
    assert_eq!(video.remote_status.as_deref(), Some("VIDEOREVIEW"));
    assert_eq!(video.remote_status_source, Some(StatusSource::Polling));
    assert_eq!(
        video.link, None,
        "the link is gone once the customer is done"
    );
    assert_eq!(video.qr_svg, None);
    assert_eq!(review.customer_display_name, "Marta Ruiz Soler");

    let approved = bench
        .desk
        .approve_videoid(review.id, Bench::approval())
        .await
        .unwrap();
    assert_eq!(approved.state, FlowState::ContractFetched);
    assert!(approved.videoid.as_ref().unwrap().approved_at.is_some());
    assert_eq!(bench.remote_documents(pk).await, 2);

    let reviewed = bench.desk.confirm_review(approved.id).await.unwrap();
    let sent = bench.desk.send_otp(reviewed.id, None).await.unwrap();
    let code = bench.desk.practice_code(sent.id).await.unwrap();
    let done = bench
        .desk
        .sign(sent.id, SignAuthInput::Otp(code.code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(done.progress.reached, done.progress.total);
    let saved = done.saved_files();
    assert_eq!(saved.len(), 3);
    for document in &done.documents {
        let summary = document.signature.as_ref().unwrap();
        assert!(summary.passed(), "{summary:?}");
        assert_eq!(summary.signer.as_deref(), Some("Marta Ruiz Soler"));
    }
    let ca = bench.sim.ca_certificate_pem();
    for path in &saved {
        assert_externally_valid(&ca, path);
    }
    assert_eq!(bench.status(pk).await, "ISSUED");
    assert_eq!(bench.remote_documents(pk).await, 0);
    assert_eq!(bench.steps(done.id, "create"), 1);
    assert_eq!(bench.steps(done.id, "approve"), 1);
    assert_eq!(bench.steps(done.id, "sign"), 1);
    let states: Vec<FlowState> = bench
        .events()
        .iter()
        .filter_map(|e| match e {
            DeskEvent::FlowChanged { snapshot } => Some(snapshot.state),
            _ => None,
        })
        .collect();
    for state in [
        FlowState::VideoPending,
        FlowState::VideoReview,
        FlowState::Approved,
        FlowState::Uploaded,
        FlowState::Signed,
        FlowState::Done,
    ] {
        assert!(states.contains(&state), "no event for {state:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn eidas_followed_by_polling_approved_and_signed_in_the_current_layout() {
    identified_by_polling_approved_and_signed(LayoutPreference::Current).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn eidas_followed_by_polling_approved_and_signed_in_the_legacy_layout() {
    identified_by_polling_approved_and_signed(LayoutPreference::Legacy).await;
}

/// With reads scheduled an hour apart, only the webhook can tell the desk in time.
async fn review_announced_by_webhook(layout: LayoutPreference, format: WebhookFormat) {
    let webhooks = match layout {
        LayoutPreference::Legacy => Webhooks::DeskSends,
        _ => Webhooks::RaConfigured,
    };
    let bench = Bench::start(Setup {
        webhooks,
        format,
        following: webhook_only(),
        ..Setup::polling(layout)
    })
    .await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let pk = started.request_pk.unwrap();
    let desk = bench.desk.clone();
    let waiting = tokio::spawn(async move {
        desk.wait_for_identification(started.id, Some(Duration::from_secs(60)))
            .await
    });
    // The customer finishes only after the wait's first read (which shows the flow waiting
    // for the customer), so that only the webhook can tell the desk.
    let first_read = || {
        bench.events().into_iter().any(|e| {
            matches!(e, DeskEvent::FlowChanged { snapshot }
                if snapshot.progress.activity.as_deref() == Some("waiting_for_customer")
                    && snapshot.next_action == NextAction::WaitForCustomer
                    && snapshot.videoid.as_ref().unwrap().remote_status_source
                        == Some(StatusSource::Polling))
        })
    };
    for _ in 0..1000 {
        if first_read() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(first_read(), "the wait started");
    assert_eq!(
        bench.desk.flow(started.id).await.unwrap().next_action,
        NextAction::WaitForCustomer,
        "a flow waiting for its customer shows what it waits for"
    );
    bench.customer_does(pk, "complete").await;
    let review = waiting.await.unwrap().unwrap();
    assert_eq!(
        review.state,
        FlowState::VideoReview,
        "{layout:?} {format:?}"
    );
    assert_eq!(
        review.videoid.unwrap().remote_status_source,
        Some(StatusSource::Webhook)
    );
    let heard = bench.events().into_iter().any(|e| {
        matches!(e, DeskEvent::Webhook(w)
            if w.request_pk == pk && w.status == "VIDEOREVIEW" && w.flows == [started.id]
               && w.format == match format { WebhookFormat::Current => "current", WebhookFormat::Legacy => "legacy" })
    });
    assert!(heard, "the webhook was reported");
    let receiver = bench.receiver.unwrap();
    assert!(
        bench.deliveries().await.iter().any(|d| d["url"]
            .as_str()
            .unwrap()
            .contains(&receiver.to_string())
            && d["state"] == "delivered"),
        "the simulator delivered to the desk"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_current_webhook_from_the_ra_configuration_announces_the_review() {
    review_announced_by_webhook(LayoutPreference::Current, WebhookFormat::Current).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_legacy_webhook_from_the_ra_configuration_announces_the_review() {
    review_announced_by_webhook(LayoutPreference::Current, WebhookFormat::Legacy).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_legacy_webhook_to_the_url_sent_at_create_announces_the_review() {
    review_announced_by_webhook(LayoutPreference::Legacy, WebhookFormat::Legacy).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flow_nobody_waits_on_follows_its_webhooks() {
    let bench = Bench::start(Setup {
        webhooks: Webhooks::RaConfigured,
        following: webhook_only(),
        ..Setup::polling(LayoutPreference::Current)
    })
    .await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    bench
        .customer_does(started.request_pk.unwrap(), "complete")
        .await;
    // The requests list shows the live status: the webhook made the desk read it back.
    let mut seen = None;
    for _ in 0..600 {
        let list = bench.desk.unfinished_flows().await.unwrap();
        let flow = list.into_iter().find(|f| f.id == started.id).unwrap();
        if flow.state == FlowState::VideoReview {
            seen = Some(flow);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let flow = seen.expect("the webhook moved the flow");
    assert_eq!(
        flow.videoid.unwrap().remote_status_source,
        Some(StatusSource::Webhook)
    );
    assert_eq!(flow.customer_display_name, "Marta Ruiz Soler");
}

#[tokio::test(flavor = "multi_thread")]
async fn incomplete_and_failed_identifications_wait_for_another_try() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let pk = started.request_pk.unwrap();

    bench.customer_does(pk, "incomplete").await;
    let flow = bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    assert_eq!(flow.state, FlowState::VideoIncomplete);
    assert_eq!(flow.next_action, NextAction::WaitForCustomer);
    assert!(
        flow.videoid.as_ref().unwrap().qr_svg.is_some(),
        "the link is still shown"
    );

    bench.customer_does(pk, "fail").await;
    let flow = bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    assert_eq!(flow.state, FlowState::VideoError);
    assert_eq!(
        flow.videoid.as_ref().unwrap().remote_status.as_deref(),
        Some("VIDEOERROR")
    );
    let error = bench
        .desk
        .approve_videoid(flow.id, Bench::approval())
        .await
        .unwrap_err();
    assert_eq!(error.code, "flow.wrong_state");

    bench.customer_does(pk, "complete").await;
    let flow = bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    assert_eq!(flow.state, FlowState::VideoReview);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_with_its_reason_ends_the_flow() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Legacy)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let pk = started.request_pk.unwrap();
    bench.customer_does(pk, "complete").await;
    bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();

    let error = bench
        .desk
        .refuse_videoid(started.id, Bench::approval(), "  ".into())
        .await
        .unwrap_err();
    assert_eq!(error.code, "videoid.reason_missing");
    let refused = bench
        .desk
        .refuse_videoid(started.id, Bench::approval(), "Expired document".into())
        .await
        .unwrap();
    assert_eq!(refused.state, FlowState::Refused);
    assert!(refused.finished);
    assert_eq!(refused.next_action, NextAction::None);
    assert_eq!(
        refused.videoid.unwrap().refusal_reason.as_deref(),
        Some("Expired document")
    );
    assert_eq!(bench.status(pk).await, "CANCELLED");
    assert!(bench.desk.unfinished_flows().await.unwrap().is_empty());
    let recent = bench.desk.recent_flows(5).await.unwrap();
    assert_eq!(recent[0].state, FlowState::Refused);
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_rao_credentials_leave_the_review_open() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    bench
        .customer_does(started.request_pk.unwrap(), "complete")
        .await;
    bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    let wrong = desk_core::flow::RaoApproval {
        auth: desk_core::flow::RaoAuthInput::Credentials {
            username: "9001800".into(),
            password: "not-the-password".to_string().into(),
            pin: "0000".to_string().into(),
        },
        rao_id: None,
    };
    let error = bench
        .desk
        .approve_videoid(started.id, wrong)
        .await
        .unwrap_err();
    assert_eq!(error.code, "rao.invalid_credentials");
    let flow = bench.desk.flow(started.id).await.unwrap();
    assert_eq!(flow.state, FlowState::VideoReview);
    assert_eq!(flow.next_action, NextAction::ReviewIdentification);
    assert!(flow.attention.is_none());
    assert!(!format!("{flow:?}").contains("not-the-password"));

    let right = desk_core::flow::RaoApproval {
        auth: desk_core::flow::RaoAuthInput::Credentials {
            username: "9001800".into(),
            password: "practice".to_string().into(),
            pin: "1234".to_string().into(),
        },
        rao_id: Some(crate::support::RAO_ID.into()),
    };
    let approved = bench.desk.approve_videoid(started.id, right).await.unwrap();
    assert_eq!(approved.state, FlowState::ContractFetched);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_identification_is_cancelled() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let desk = bench.desk.clone();
    let id = started.id;
    // A wait in progress gives way to the employee's cancel.
    let waiting = tokio::spawn(async move { desk.wait_for_identification(id, None).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let cancelled = bench.desk.cancel(id).await.unwrap();
    assert_eq!(cancelled.state, FlowState::Cancelled);
    assert!(cancelled.finished);
    let ended = waiting.await.unwrap();
    assert!(ended.is_ok(), "{ended:?}");
    assert_eq!(bench.status(started.request_pk.unwrap()).await, "CANCELLED");
    let working = bench
        .desk
        .paths()
        .data_dir
        .join("flows")
        .join(id.to_string());
    assert!(!working.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flow_left_waiting_is_opened_where_it_stands() {
    let bench = Bench::start(Setup::polling(LayoutPreference::Current)).await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let pk = started.request_pk.unwrap();
    // The customer finished while nobody watched; the desk restarts.
    bench.customer_does(pk, "complete").await;
    let root = bench.dir.path().to_path_buf();
    let url = bench.sim.base_url();
    drop(bench.desk);
    let (desk, _events) =
        crate::support::common::open_desk_with(&root, &url, LayoutPreference::Current, |options| {
            options.following = crate::support::quick()
        });
    let listed = desk.unfinished_flows().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, FlowState::VideoPending, "as last known");
    let live = desk.refresh_flow(started.id).await.unwrap();
    assert_eq!(live.state, FlowState::VideoReview);
    // Resume is the same from there: the RAO approves, the flow goes on.
    let resumed = desk.resume(started.id, Default::default()).await.unwrap();
    assert_eq!(resumed.state, FlowState::VideoReview);
    let approved = desk
        .approve_videoid(
            started.id,
            desk_core::flow::RaoApproval {
                auth: desk_core::flow::RaoAuthInput::Token(desk_core::flow::TokenChoice::Value(
                    crate::support::SANDBOX_TOKEN.to_string().into(),
                )),
                rao_id: Some(crate::support::RAO_ID.into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(approved.state, FlowState::ContractFetched);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_webhook_is_refused_and_changes_nothing() {
    let bench = Bench::start(Setup {
        webhooks: Webhooks::RaConfigured,
        ..Setup::polling(LayoutPreference::Current)
    })
    .await;
    let started = bench
        .desk
        .start_videoid(bench.input(VideoIdKind::Eidas, 1))
        .await
        .unwrap();
    let pk = started.request_pk.unwrap();
    let receiver = bench.receiver.unwrap();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let url = format!("http://{receiver}/oneshot-desk/webhook");
    for body in [
        "{".to_string(),
        "\u{0}\u{1}binary".to_string(),
        format!(r#"{{"request": {{"pk": "{pk}x", "status": "VIDEOREVIEW"}}, "token": "s3cr3t"}}"#),
        "x".repeat(200_000),
    ] {
        let answer = client.post(&url).body(body).send().await.unwrap();
        assert!(
            matches!(answer.status().as_u16(), 400 | 413),
            "{}",
            answer.status()
        );
    }
    // A well-formed but false webhook is only a hint: the desk reads the request back.
    let lie =
        format!(r#"{{"status": "VIDEOREVIEW", "request": {pk}, "date": "2021-07-20T08:08:21"}}"#);
    let answer = client.post(&url).body(lie).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let flow = bench.desk.flow(started.id).await.unwrap();
    assert_eq!(
        flow.state,
        FlowState::VideoPending,
        "the Optimizer says pending"
    );
    // The receiver still works.
    bench.customer_does(pk, "complete").await;
    let review = bench
        .desk
        .wait_for_identification(started.id, WAIT)
        .await
        .unwrap();
    assert_eq!(review.state, FlowState::VideoReview);
}
