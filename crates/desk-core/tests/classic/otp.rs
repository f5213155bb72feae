//! The customer's code: wrong then right, too soon, external authentication.

use crate::support::World;
use desk_core::flow::{FlowState, NextAction, SignAuthInput, SigningMethod};
use desk_core::settings::LayoutPreference;

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_code_keeps_the_flow_waiting_for_the_right_one() {
    let world = World::new(LayoutPreference::Current).await;
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    world.desk.confirm_review(flow.id).await.unwrap();
    world.desk.send_otp(flow.id, None).await.unwrap();
    let code = world.desk.practice_code(flow.id).await.unwrap().code;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let error = world
        .desk
        .sign(flow.id, SignAuthInput::Otp(wrong.to_string().into()))
        .await
        .unwrap_err();
    assert_eq!(error.code, "otp.invalid");
    assert!(!error.message.contains(wrong) && !error.detail.unwrap_or_default().contains(wrong));
    let waiting = world.desk.flow(flow.id).await.unwrap();
    assert_eq!(waiting.state, FlowState::OtpSent);
    assert_eq!(waiting.next_action, NextAction::EnterOtp);
    assert_eq!(waiting.otp.wrong_attempts, 1);
    assert_eq!(waiting.last_error.as_ref().unwrap().code, "otp.invalid");
    assert!(waiting.attention.is_none());

    let done = world
        .desk
        .sign(flow.id, SignAuthInput::Otp(code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert!(done.last_error.is_none());
    assert_eq!(world.status(done.request_pk.unwrap()).await, "ISSUED");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_code_within_the_minute_is_too_soon() {
    let world = World::new(LayoutPreference::Legacy).await;
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    world.desk.confirm_review(flow.id).await.unwrap();
    let sent = world.desk.send_otp(flow.id, None).await.unwrap();
    let error = world.desk.send_otp(flow.id, None).await.unwrap_err();
    assert_eq!(error.code, "otp.too_soon");
    let seconds: i64 = error
        .detail
        .as_deref()
        .and_then(|d| d.strip_prefix("retry_after_secs="))
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&seconds), "{seconds}");
    let after = world.desk.flow(flow.id).await.unwrap();
    assert_eq!(after.state, FlowState::OtpSent);
    assert_eq!(after.otp.sends, 1);
    assert_eq!(after.otp.resend_available_at, sent.otp.resend_available_at);
    // Only one OTP call reached the Optimizer.
    assert_eq!(world.steps(flow.id, "otp"), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_optimizer_refusing_a_code_too_soon_is_reported_with_the_wait() {
    let world = World::new(LayoutPreference::Current).await;
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    world.desk.confirm_review(flow.id).await.unwrap();
    // Another desk (or an answer this one lost) asked for a code already.
    world
        .client()
        .generate_otp(
            oneshot_client::RequestPk(flow.request_pk.unwrap()),
            oneshot_client::DeliveryMethod::Sms,
        )
        .await
        .unwrap();
    let error = world.desk.send_otp(flow.id, None).await.unwrap_err();
    assert_eq!(error.code, "otp.too_soon");
    assert!(error.detail.unwrap().starts_with("retry_after_secs="));
    let after = world.desk.flow(flow.id).await.unwrap();
    assert_eq!(
        after.state,
        FlowState::OtpSent,
        "the code the customer has can be used"
    );
    let code = world.desk.practice_code(flow.id).await.unwrap().code;
    let done = world
        .desk
        .sign(flow.id, SignAuthInput::Otp(code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
}

#[tokio::test(flavor = "multi_thread")]
async fn external_authentication_signs_without_a_code() {
    let world = World::new(LayoutPreference::Current).await;
    let mut input = world.input(1);
    input.signing = Some(SigningMethod::External {
        unlock_type: "biometric".into(),
    });
    let flow = world.desk.start_classic(input).await.unwrap();
    let reviewed = world.desk.confirm_review(flow.id).await.unwrap();
    assert_eq!(reviewed.next_action, NextAction::SignExternal);
    let done = world
        .desk
        .sign(
            flow.id,
            SignAuthInput::External {
                unlock_type: "biometric".into(),
                unlock_value: "12345678-12345678".to_string().into(),
                customer_code: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(world.steps(flow.id, "otp"), 0);
}
