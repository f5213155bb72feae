//! Asynchronous mode (`videoid.async_mode`): classic requests are created with `useasync` and
//! the receiver's URL as `callback`; the signing's end arrives by webhook, or is read back when
//! no webhook comes.

use crate::support::{Bench, Setup, Webhooks, assert_externally_valid, quick, webhook_only};
use desk_core::events::DeskEvent;
use desk_core::flow::{FlowState, SignAuthInput};
use desk_core::settings::LayoutPreference;

async fn classic_signed_asynchronously(bench: &Bench) -> desk_core::flow::FlowSnapshot {
    let mut input = crate::support::common::World::customer();
    input.communication_language = None;
    let docs = bench.documents(1);
    let front = bench.dir.path().join("front.png");
    std::fs::write(&front, crate::support::common::png()).unwrap();
    let flow = bench
        .desk
        .start_classic(desk_core::flow::ClassicInput {
            customer: input,
            id_images: desk_core::flow::IdImages {
                front: Some(front.clone()),
                rear: Some(front),
                selfie: None,
            },
            documents: docs,
            output: desk_core::flow::OutputChoice::Exactly(bench.output()),
            signing: None,
            appearance: None,
            token: desk_core::flow::TokenChoice::Value(
                crate::support::SANDBOX_TOKEN.to_string().into(),
            ),
            practice: true,
        })
        .await
        .unwrap();
    bench.desk.confirm_review(flow.id).await.unwrap();
    bench.desk.send_otp(flow.id, None).await.unwrap();
    let code = bench.desk.practice_code(flow.id).await.unwrap();
    let done = bench
        .desk
        .sign(flow.id, SignAuthInput::Otp(code.code.into()))
        .await
        .unwrap();
    assert_eq!(done.state, FlowState::Done);
    assert_eq!(done.signing_queued_at, None);
    let ca = bench.sim.ca_certificate_pem();
    for path in done.saved_files() {
        assert_externally_valid(&ca, &path);
    }
    assert_eq!(bench.status(done.request_pk.unwrap()).await, "ISSUED");
    let queued = bench
        .events()
        .iter()
        .any(|e| matches!(e, DeskEvent::Notice(n) if n.code == "sign.queued"));
    assert!(queued, "the Optimizer signed asynchronously");
    done
}

#[tokio::test(flavor = "multi_thread")]
async fn the_end_of_an_asynchronous_signing_arrives_by_webhook() {
    for layout in [LayoutPreference::Current, LayoutPreference::Legacy] {
        let bench = Bench::start(Setup {
            webhooks: Webhooks::DeskSends,
            following: webhook_only(),
            async_mode: true,
            ..Setup::polling(layout)
        })
        .await;
        let done = classic_signed_asynchronously(&bench).await;
        let pk = done.request_pk.unwrap();
        let heard = bench.events().iter().any(
            |e| matches!(e, DeskEvent::Webhook(w) if w.request_pk == pk && w.status == "ISSUED"),
        );
        assert!(heard, "{layout:?}: the webhook announced the signature");
        let receiver = bench.receiver.unwrap().to_string();
        let deliveries = bench.deliveries().await;
        assert!(
            deliveries
                .iter()
                .any(|d| d["url"].as_str().unwrap().contains(&receiver) && d["status"] == "ISSUED"),
            "the callback sent at create was used: {deliveries:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_webhook_that_never_arrives_is_replaced_by_reading_the_status() {
    let bench = Bench::start(Setup {
        webhooks: Webhooks::DeskSends,
        // The Optimizer is told to call an address where nothing listens.
        advertised: Some("http://127.0.0.1:9/oneshot-desk/webhook".parse().unwrap()),
        following: quick(),
        async_mode: true,
        ..Setup::polling(LayoutPreference::Current)
    })
    .await;
    let done = classic_signed_asynchronously(&bench).await;
    let fallback = bench
        .events()
        .iter()
        .any(|e| matches!(e, DeskEvent::Notice(n) if n.code == "sign.no_webhook"));
    assert!(fallback, "the desk fell back to reading the status");
    let heard = bench
        .events()
        .iter()
        .any(|e| matches!(e, DeskEvent::Webhook(_)));
    assert!(!heard, "no webhook reached the desk");
    assert_eq!(bench.steps(done.id, "sign"), 1);
}
