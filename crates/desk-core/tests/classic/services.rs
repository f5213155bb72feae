//! Connection test, RAO tokens against the simulator and the session keyring, billing.

use crate::support::World;
use desk_core::NewTokenRequest;
use desk_core::settings::{LayoutPreference, SettingKey};
use optimizer_sim::{RaoAccount, SimConfig};

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_test_names_layout_and_version() {
    let world = World::new(LayoutPreference::Auto).await;
    let report = world.desk.test_connection(&world.desk.connection()).await;
    assert!(report.ok(), "{report:?}");
    assert_eq!(report.layout.as_deref(), Some("current"));
    assert_eq!(report.version, None);
    let mut legacy = world.desk.connection();
    legacy.layout = LayoutPreference::Legacy;
    let report = world.desk.test_connection(&legacy).await;
    assert_eq!(report.layout.as_deref(), Some("legacy"));
    assert_eq!(report.version.as_deref(), Some("1.5.0"));
    let mut wrong = world.desk.connection();
    wrong.url = Some(format!("{}/not-here/", world.sim.base_url()));
    wrong.layout = LayoutPreference::Auto;
    let report = world.desk.test_connection(&wrong).await;
    assert!(report.reachable);
    assert_eq!(report.error.unwrap().code, "optimizer.not_recognised");
    let mut bad = world.desk.connection();
    bad.url = Some("ftp://optimizer".into());
    assert_eq!(
        world.desk.test_connection(&bad).await.error.unwrap().code,
        "config.invalid"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ca_certificate_file_is_checked_before_it_is_chosen() {
    let world = World::new(LayoutPreference::Current).await;
    let dir = world.dir.path();
    let bundle = dir.join("ca.pem");
    let pem = world.sim.ca_certificate_pem();
    std::fs::write(&bundle, format!("{pem}\n{pem}")).unwrap();
    assert_eq!(world.desk.check_ca_certificate(&bundle).await.unwrap(), 2);

    let not_pem = dir.join("notes.txt");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let error = world.desk.check_ca_certificate(&not_pem).await.unwrap_err();
    assert_eq!(error.code, "config.invalid");
    let missing = world
        .desk
        .check_ca_certificate(&dir.join("missing.pem"))
        .await
        .unwrap_err();
    assert_eq!(missing.code, "io.file");
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_created_listed_and_forgotten() {
    let rao = RaoAccount::parse("5057249:Gy6F89xK:t8tr6vkg:973").unwrap();
    let world = World::with_config(
        LayoutPreference::Current,
        SimConfig {
            seed: Some(3),
            raos: vec![RaoAccount::practice(), rao],
            ..SimConfig::default()
        },
    )
    .await;
    let label = format!("desk test {}", std::process::id());
    let created = world
        .desk
        .create_token(NewTokenRequest {
            username: "5057249".into(),
            password: "Gy6F89xK".to_string().into(),
            pin: "t8tr6vkg".to_string().into(),
            environment: None,
            label: label.clone(),
            make_default: true,
        })
        .await
        .unwrap();
    assert!(created.is_default);
    assert_eq!(created.username.as_deref(), Some("5057249"));
    assert!(created.masked_uid.contains('…'));

    let listed = world.desk.optimizer_tokens().await.unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let ours = listed
        .iter()
        .find(|t| t.stored_as.as_deref() == Some(&label))
        .unwrap();
    assert_eq!(ours.masked_uid, created.masked_uid);
    assert!(ours.has_password && ours.has_pin);
    let index = std::fs::read_to_string(world.desk.paths().rao_token_index_file()).unwrap();
    assert!(
        !index.contains(&ours.masked_uid.replace('…', "")),
        "no value in the index"
    );

    // Wrong credentials are the Optimizer's error, with its code, and no secret in it.
    let error = world
        .desk
        .create_token(NewTokenRequest {
            username: "5057249".into(),
            password: "wrong-password".to_string().into(),
            pin: "t8tr6vkg".to_string().into(),
            environment: None,
            label: format!("{label} 2"),
            make_default: false,
        })
        .await
        .unwrap_err();
    assert_eq!(error.code, "rao.not_found");
    assert!(!format!("{error:?}").contains("wrong-password"));

    let forgotten = world.desk.forget_token(&label, true).await.unwrap();
    assert!(forgotten.removed_from_keyring);
    assert_eq!(forgotten.deleted_on_optimizer, Some(true));
    assert_eq!(world.desk.optimizer_tokens().await.unwrap().len(), 1);
    assert!(world.desk.stored_tokens().await.unwrap().is_empty());
    assert_eq!(
        world
            .desk
            .forget_token(&label, false)
            .await
            .unwrap_err()
            .code,
        "vault.unknown_token"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_token_the_flow_says_so_before_sending() {
    let world = World::new(LayoutPreference::Current).await;
    let mut input = world.input(1);
    input.token = desk_core::flow::TokenChoice::Default;
    let error = world.desk.start_classic(input.clone()).await.unwrap_err();
    assert_eq!(error.code, "rao.no_token");
    input.token = desk_core::flow::TokenChoice::Label("nobody".into());
    let error = world.desk.start_classic(input).await.unwrap_err();
    assert_eq!(error.code, "vault.unknown_token");
    assert!(world.desk.recent_flows(5).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_billing_password_lives_in_the_keyring() {
    let world = World::new(LayoutPreference::Current).await;
    assert_eq!(
        world.desk.has_billing_password().await.unwrap_err().code,
        "billing.no_username"
    );
    let user = format!("billing-{}", std::process::id());
    world
        .desk
        .set_setting(SettingKey::BillingUsername, serde_json::json!(user))
        .await
        .unwrap();
    world
        .desk
        .set_billing_password("practice".to_string().into())
        .await
        .unwrap();
    assert!(world.desk.has_billing_password().await.unwrap());
    let settings = std::fs::read_to_string(world.desk.paths().user_settings_file()).unwrap();
    assert!(!settings.contains("practice"));
    // The flow sends it (base64) with billing.username; the simulator accepts them.
    let flow = world.desk.start_classic(world.input(1)).await.unwrap();
    assert!(flow.request_pk.is_some());
    assert!(world.desk.forget_billing_password().await.unwrap());
    assert!(!world.desk.has_billing_password().await.unwrap());
}
