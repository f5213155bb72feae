//! The vault against the real OS keyring. On Linux run inside a private D-Bus session with an
//! unlocked gnome-keyring, as `cargo xtask test` does.

use desk_core::error::{CodedError, DeskError};
use desk_core::vault::{NewRaoToken, SecretKey, Vault, VaultError};
use secrecy::{ExposeSecret, SecretString};
use std::path::Path;

/// Each test files its entries under its own service name, so parallel tests never meet.
fn vault(dir: &Path, test: &str) -> Vault {
    let service = format!("oneshot-desk-test-{}-{test}", std::process::id());
    Vault::with_service(service, dir.join("rao-tokens.json"))
}

fn secret(value: &str) -> SecretString {
    SecretString::from(value.to_string())
}

#[test]
fn the_keyring_is_available() {
    let dir = tempfile::tempdir().unwrap();
    vault(dir.path(), "available").available().unwrap();
}

#[test]
fn every_kind_of_secret_round_trips_and_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path(), "round-trip");
    let keys = [
        SecretKey::RaoPassword {
            username: "9001800".into(),
        },
        SecretKey::RaoPin {
            username: "9001800".into(),
        },
        SecretKey::BillingPassword {
            username: "acme-billing".into(),
        },
        SecretKey::RaoToken {
            label: "Front desk".into(),
        },
    ];
    for (i, key) in keys.iter().enumerate() {
        let value = format!("value-{i}-ñ€");
        assert!(vault.get(key).unwrap().is_none(), "{key:?} starts empty");
        vault.store(key, &secret(&value)).unwrap();
        assert_eq!(vault.get(key).unwrap().unwrap().expose_secret(), value);
    }
    // Kinds never alias: same name, different kinds, different values.
    assert_eq!(
        vault.require(&keys[0]).unwrap().expose_secret(),
        "value-0-ñ€"
    );
    assert_eq!(
        vault.require(&keys[1]).unwrap().expose_secret(),
        "value-1-ñ€"
    );

    vault.store(&keys[0], &secret("replaced")).unwrap();
    assert_eq!(vault.require(&keys[0]).unwrap().expose_secret(), "replaced");

    for key in &keys {
        assert!(vault.delete(key).unwrap());
        assert!(!vault.delete(key).unwrap());
        assert!(vault.get(key).unwrap().is_none());
    }
    let missing = vault.require(&keys[2]).unwrap_err();
    assert_eq!(missing.code(), "vault.secret_missing");
    assert_eq!(
        missing.to_string(),
        "No billing password of acme-billing is stored in the keyring"
    );
}

#[test]
fn secrets_never_show_in_debug_output_or_errors() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path(), "debug");
    let key = SecretKey::RaoPin {
        username: "u1".into(),
    };
    vault.store(&key, &secret("PIN-4711-VISIBLE?")).unwrap();
    let value = vault.require(&key).unwrap();
    assert!(!format!("{value:?}").contains("4711"));
    assert!(!format!("{vault:?}").contains("4711"));
    vault.delete(&key).unwrap();
}

#[test]
fn empty_secrets_and_bad_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path(), "refused");
    let key = SecretKey::RaoPassword {
        username: "u".into(),
    };
    assert!(matches!(
        vault.store(&key, &secret("")),
        Err(VaultError::EmptySecret)
    ));
    let bad = SecretKey::RaoPassword {
        username: " ".into(),
    };
    let error = DeskError::from(vault.store(&bad, &secret("x")).unwrap_err());
    assert_eq!(error.code, "vault.invalid_name");
    assert_eq!(
        error.message,
        "The username is not usable because it is empty"
    );
}

#[test]
fn rao_tokens_are_listed_masked_with_one_default() {
    let dir = tempfile::tempdir().unwrap();
    let vault = vault(dir.path(), "tokens");
    assert!(vault.rao_tokens().unwrap().is_empty());
    assert!(vault.default_rao_token().unwrap().is_none());

    let first_value = "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da";
    let first = vault
        .store_rao_token(
            NewRaoToken {
                label: "Madrid".into(),
                username: Some("9001800".into()),
                make_default: false,
            },
            &secret(first_value),
        )
        .unwrap();
    assert_eq!(first.masked_uid, "3bf8…c7da");
    assert!(first.is_default, "the first token is the default");

    let second_value = "fd6a21e6fb7d43b9893a520d67d6ff60";
    vault
        .store_rao_token(
            NewRaoToken {
                label: "Barcelona".into(),
                username: None,
                make_default: false,
            },
            &secret(second_value),
        )
        .unwrap();
    let labels: Vec<_> = vault
        .rao_tokens()
        .unwrap()
        .into_iter()
        .map(|t| t.label)
        .collect();
    assert_eq!(labels, ["Madrid", "Barcelona"]);
    assert_eq!(
        vault.rao_token("Barcelona").unwrap().expose_secret(),
        second_value
    );

    vault.set_default_rao_token("Barcelona").unwrap();
    assert_eq!(
        vault.default_rao_token().unwrap().unwrap().label,
        "Barcelona"
    );
    assert_eq!(
        vault
            .rao_tokens()
            .unwrap()
            .iter()
            .filter(|t| t.is_default)
            .count(),
        1
    );

    // The index holds no token value, only the masked uid.
    let index = std::fs::read_to_string(vault.index_file()).unwrap();
    assert!(
        !index.contains(first_value) && !index.contains(second_value),
        "{index}"
    );
    assert!(index.contains("3bf8…c7da") && index.contains("fd6a…ff60"));

    // Replacing a token through the generic store keeps its username and default flag.
    vault
        .store(
            &SecretKey::RaoToken {
                label: "Madrid".into(),
            },
            &secret("a44765ab8ca04e429a565f02d22179a0"),
        )
        .unwrap();
    let madrid = vault
        .rao_tokens()
        .unwrap()
        .into_iter()
        .find(|t| t.label == "Madrid")
        .unwrap();
    assert_eq!(madrid.username.as_deref(), Some("9001800"));
    assert_eq!(madrid.masked_uid, "a447…79a0");
    assert!(!madrid.is_default);

    assert!(
        vault
            .delete(&SecretKey::RaoToken {
                label: "Barcelona".into()
            })
            .unwrap()
    );
    assert_eq!(
        vault.rao_token("Barcelona").unwrap_err().code(),
        "vault.unknown_token"
    );
    assert!(vault.default_rao_token().unwrap().is_none());
    assert_eq!(
        vault.set_default_rao_token("Nowhere").unwrap_err().code(),
        "vault.unknown_token"
    );
    vault
        .delete(&SecretKey::RaoToken {
            label: "Madrid".into(),
        })
        .unwrap();
    assert!(vault.rao_tokens().unwrap().is_empty());
}

#[test]
fn a_token_whose_keyring_entry_vanished_is_reported_missing() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = vault(dir.path(), "vanished");
    tokens
        .store_rao_token(
            NewRaoToken {
                label: "Lost".into(),
                username: None,
                make_default: true,
            },
            &secret("6d1cae4d55be4cdf9cac50ee36f73406"),
        )
        .unwrap();
    // Another program (a keyring manager) removes the entry behind the desk's back.
    let service = tokens.service().to_string();
    keyring::Entry::new(&service, "rao-token/Lost")
        .unwrap()
        .delete_credential()
        .unwrap();
    let error = tokens.rao_token("Lost").unwrap_err();
    assert_eq!(error.code(), "vault.secret_missing");
    tokens
        .delete(&SecretKey::RaoToken {
            label: "Lost".into(),
        })
        .unwrap();
}

#[test]
fn vaults_share_secrets_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    let vault = std::sync::Arc::new(vault(dir.path(), "threads"));
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let vault = vault.clone();
            std::thread::spawn(move || {
                let label = format!("Desk {i}");
                vault
                    .store_rao_token(
                        NewRaoToken {
                            label: label.clone(),
                            username: None,
                            make_default: false,
                        },
                        &secret(&format!("0123456789abcdef0123456789abcde{i}")),
                    )
                    .unwrap();
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let tokens = vault.rao_tokens().unwrap();
    assert_eq!(tokens.len(), 4, "no index update was lost");
    assert_eq!(tokens.iter().filter(|t| t.is_default).count(), 1);
    for token in tokens {
        vault
            .delete(&SecretKey::RaoToken { label: token.label })
            .unwrap();
    }
}

/// Run in a child process whose session bus address points nowhere: no Secret Service.
#[cfg(target_os = "linux")]
#[test]
fn without_a_secret_service_the_error_says_so() {
    const CHILD: &str = "ONESHOT_DESK_TEST_NO_BUS_CHILD";
    const MARK: &str = "VAULT-CHILD-RESULT:";
    if std::env::var_os(CHILD).is_some() {
        let dir = tempfile::tempdir().unwrap();
        let vault = vault(dir.path(), "no-bus");
        let available = DeskError::from(vault.available().unwrap_err());
        let get = DeskError::from(
            vault
                .get(&SecretKey::RaoPin {
                    username: "u".into(),
                })
                .unwrap_err(),
        );
        println!(
            "{MARK}{}",
            serde_json::to_string(&[available, get]).unwrap()
        );
        return;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "without_a_secret_service_the_error_says_so",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/oneshot-desk-test/bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // libtest prints the test's name on the same line before the test's own output.
    let json = stdout
        .lines()
        .find_map(|line| line.split_once(MARK).map(|(_, json)| json))
        .unwrap_or_else(|| panic!("child did not report: {stdout}"));
    let errors: Vec<DeskError> = serde_json::from_str(json).unwrap();
    for error in errors {
        assert_eq!(error.code, "vault.unavailable");
        assert!(
            error
                .message
                .starts_with("No keyring service (Secret Service) is available: "),
            "{}",
            error.message
        );
    }
}
