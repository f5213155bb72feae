//! Start to finish with several documents, in both layouts.

use crate::support::{World, assert_externally_valid};
use desk_core::events::DeskEvent;
use desk_core::flow::{FlowState, NextAction, SignAuthInput, StepStatus, TokenChoice};
use desk_core::settings::LayoutPreference;

async fn signs_and_saves_everything(world: &World, count: usize, token: TokenChoice) {
    let mut input = world.input(count);
    input.token = token;
    let snapshot = world.desk.start_classic(input).await.unwrap();
    assert_eq!(snapshot.state, FlowState::ContractFetched);
    assert_eq!(snapshot.next_action, NextAction::Review);
    let pk = snapshot.request_pk.unwrap();
    assert_eq!(world.remote_documents(pk).await, count);
    let review = snapshot.contract.review_path.clone().unwrap();
    assert!(std::fs::read(&review).unwrap().starts_with(b"%PDF-"));
    assert!(
        snapshot
            .documents
            .iter()
            .all(|d| d.upload == StepStatus::Done)
    );

    let snapshot = world.desk.confirm_review(snapshot.id).await.unwrap();
    assert_eq!(snapshot.next_action, NextAction::SendOtp);
    let snapshot = world.desk.send_otp(snapshot.id, None).await.unwrap();
    assert_eq!(snapshot.state, FlowState::OtpSent);
    assert_eq!(snapshot.next_action, NextAction::EnterOtp);
    assert!(snapshot.otp.sent_at.is_some() && snapshot.otp.resend_available_at.is_some());
    let code = world.desk.practice_code(snapshot.id).await.unwrap();
    let done = world
        .desk
        .sign(snapshot.id, SignAuthInput::Otp(code.code.clone().into()))
        .await
        .unwrap();

    assert_eq!(done.state, FlowState::Done);
    assert!(done.finished);
    assert_eq!(done.next_action, NextAction::OpenOutput);
    assert_eq!(
        done.output_folder.as_deref(),
        Some(world.output().as_path())
    );
    let saved = done.saved_files();
    assert_eq!(saved.len(), count + 1, "every document and the contract");
    for document in &done.documents {
        let summary = document.signature.as_ref().unwrap();
        assert!(summary.passed(), "{summary:?}");
        assert_eq!(summary.signer.as_deref(), Some("Ana García López"));
        assert_eq!(document.verify, StepStatus::Done);
        let path = document.saved_path.as_ref().unwrap();
        assert_eq!(path.file_name().unwrap(), document.name.as_str());
        let bytes = std::fs::read(path).unwrap();
        let original = std::fs::read(&document.original_path).unwrap();
        assert!(
            bytes.starts_with(&original),
            "the original is the signed revision"
        );
    }
    assert!(done.contract.signature.as_ref().unwrap().passed());
    let ca = world.sim.ca_certificate_pem();
    for path in &saved {
        let signatures = pdf_signature::read_signatures(path).unwrap();
        let last = signatures.last().unwrap();
        assert!(last.integrity.is_intact() && last.covers_whole_file);
        assert!(pdf_signature::verify_chain(last, &[ca.as_bytes().to_vec()]).is_trusted());
        assert_externally_valid(&ca, path);
    }

    // The Optimizer: signed once, documents deleted after the files were safe.
    assert_eq!(world.status(pk).await, "ISSUED");
    assert_eq!(world.remote_documents(pk).await, 0);
    assert_eq!(world.steps(done.id, "sign"), 1);
    assert_eq!(world.steps(done.id, "create"), 1);
    assert!(world.desk.unfinished_flows().await.unwrap().is_empty());
    let working = world
        .desk
        .paths()
        .data_dir
        .join("flows")
        .join(done.id.to_string());
    assert!(!working.exists(), "working files are removed at the end");

    let events = world.events.lock().unwrap();
    assert!(events.iter().any(|e| matches!(e, DeskEvent::Transfer(_))));
    let states: Vec<FlowState> = events
        .iter()
        .filter_map(|e| match e {
            DeskEvent::FlowChanged { snapshot } => Some(snapshot.state),
            _ => None,
        })
        .collect();
    for state in [
        FlowState::Created,
        FlowState::Uploaded,
        FlowState::ContractFetched,
        FlowState::Reviewed,
        FlowState::OtpSent,
        FlowState::Signed,
        FlowState::Retrieved,
        FlowState::Verified,
        FlowState::Cleaned,
        FlowState::Done,
    ] {
        assert!(states.contains(&state), "no event for {state:?}");
    }
    let json = serde_json::to_string(&*events).unwrap();
    assert!(!json.contains(SANDBOX), "no event holds the token");
    assert!(
        !json.contains(&format!("\"{}\"", code.code)),
        "no event holds the code"
    );
}

const SANDBOX: &str = crate::support::SANDBOX_TOKEN;

#[tokio::test(flavor = "multi_thread")]
async fn current_layout_with_several_documents() {
    let world = World::new(LayoutPreference::Current).await;
    signs_and_saves_everything(&world, 3, TokenChoice::Value(SANDBOX.to_string().into())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn legacy_layout_with_the_default_keyring_token() {
    let world = World::new(LayoutPreference::Legacy).await;
    // A label unique to this run: the session keyring is shared by the suite's processes.
    let label = format!("legacy test {}", std::process::id());
    world
        .desk
        .store_token(&label, SANDBOX.to_string().into(), None, true)
        .await
        .unwrap();
    signs_and_saves_everything(&world, 2, TokenChoice::Default).await;
    world.desk.forget_token(&label, false).await.unwrap();
}
