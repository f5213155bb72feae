//! Layered settings with real files.

#![allow(clippy::unwrap_used)]

use desk_core::error::DeskError;
use desk_core::paths::{Paths, env};
use desk_core::settings::{
    Environment, LayoutPreference, OtpDelivery, Profile, ProxySetting, SettingKey, Settings,
    SettingsError, SettingsSources, ValueOrigin,
};
use serde_json::json;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

struct Files {
    _dir: tempfile::TempDir,
    sources: SettingsSources,
}

impl Files {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let sources = SettingsSources {
            system_file: dir.path().join("etc").join("config.toml"),
            user_file: dir.path().join("home").join("settings.toml"),
            default_output_dir: dir.path().join("Documents").join("OneShot Desk"),
        };
        Files { _dir: dir, sources }
    }

    fn system(self, text: &str) -> Self {
        write(&self.sources.system_file, text);
        self
    }

    fn user(self, text: &str) -> Self {
        write(&self.sources.user_file, text);
        self
    }

    fn load(&self) -> Result<Settings, SettingsError> {
        Settings::load(self.sources.clone())
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const SYSTEM: &str = r#"
locked = ["optimizer.url", "signing.appearance"]

[optimizer]
url = "https://optimizer.example.com"
layout = "current"
proxy = "none"

[request]
environment = "prod"
registration_authority = 1234
profile = "PFnubeNC"

[billing]
username = "acme-billing"

[signing.appearance]
text = ["Signed by %(CN)s"]
page = 1
"#;

#[test]
fn without_files_the_defaults_apply() {
    let files = Files::new();
    let settings = files.load().unwrap();
    let values = settings.values();
    assert_eq!(values.optimizer.url, None);
    assert_eq!(values.optimizer.layout, LayoutPreference::Auto);
    assert_eq!(values.optimizer.proxy, ProxySetting::System);
    assert_eq!(values.optimizer.connect_timeout_secs, 10);
    assert_eq!(values.signing.otp_delivery, OtpDelivery::Sms);
    assert_eq!(
        values.output.folder_pattern.as_str(),
        "{date} {surname} {request_pk}"
    );
    assert_eq!(settings.output_folder(), files.sources.default_output_dir);
    assert!(settings.locked_keys().is_empty());
    assert!(settings.warnings().is_empty());
    for key in SettingKey::ALL {
        assert_eq!(settings.origin(*key), &ValueOrigin::Default, "{key}");
    }
}

#[test]
fn system_values_apply_and_locked_keys_ignore_the_user() {
    let files = Files::new().system(SYSTEM).user(
        r#"
[optimizer]
url = "https://elsewhere.example.com"
connect_timeout_secs = 30

[signing.appearance]
page = 5

[ui]
theme = "dark"
"#,
    );
    let settings = files.load().unwrap();
    let values = settings.values();
    assert_eq!(
        values.optimizer.url.as_ref().unwrap().url().as_str(),
        "https://optimizer.example.com/"
    );
    assert_eq!(values.optimizer.layout, LayoutPreference::Current);
    assert_eq!(values.optimizer.connect_timeout_secs, 30);
    assert_eq!(values.request.environment, Some(Environment::Prod));
    assert_eq!(values.request.profile, Some(Profile::PFnubeNC));
    assert_eq!(
        values
            .request
            .registration_authority
            .as_ref()
            .unwrap()
            .as_str(),
        "1234"
    );
    assert_eq!(
        values.signing.appearance.page, 1,
        "locked: the user's 5 is ignored"
    );
    assert_eq!(values.signing.appearance.text, ["Signed by %(CN)s"]);

    let system = ValueOrigin::System {
        path: files.sources.system_file.clone(),
    };
    let user = ValueOrigin::User {
        path: files.sources.user_file.clone(),
    };
    assert_eq!(settings.origin(SettingKey::OptimizerUrl), &system);
    assert_eq!(
        settings.origin(SettingKey::OptimizerConnectTimeoutSecs),
        &user
    );
    assert_eq!(settings.origin(SettingKey::UiTheme), &user);
    assert_eq!(settings.origin(SettingKey::SigningAppearancePage), &system);
    assert_eq!(
        settings.origin(SettingKey::SigningAppearancePosition),
        &ValueOrigin::Default
    );

    assert_eq!(
        settings.locked_keys(),
        [
            SettingKey::OptimizerUrl,
            SettingKey::SigningAppearanceText,
            SettingKey::SigningAppearancePage,
            SettingKey::SigningAppearancePosition
        ]
    );
    let ignored: Vec<_> = settings
        .warnings()
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        ignored,
        [
            "the user's value for optimizer.url is ignored because IT locked it",
            "the user's value for signing.appearance.page is ignored because IT locked it"
        ]
    );
}

#[test]
fn locked_keys_cannot_be_changed_or_reset() {
    let files = Files::new().system(SYSTEM);
    let mut settings = files.load().unwrap();
    let error = settings
        .set(SettingKey::OptimizerUrl, json!("https://evil.example"))
        .unwrap_err();
    assert!(matches!(
        error,
        SettingsError::Locked {
            key: SettingKey::OptimizerUrl,
            ..
        }
    ));
    let error = DeskError::from(
        settings
            .reset(SettingKey::SigningAppearancePage)
            .unwrap_err(),
    );
    assert_eq!(error.code, "settings.locked");
    assert!(
        error
            .message
            .contains("signing.appearance.page is locked by IT"),
        "{}",
        error.message
    );
    assert!(!files.sources.user_file.exists(), "nothing was written");
}

#[test]
fn set_writes_the_user_file_and_reset_restores_the_lower_layer() {
    let files = Files::new().system(SYSTEM);
    let mut settings = files.load().unwrap();
    settings
        .set(SettingKey::OptimizerLayout, json!("legacy"))
        .unwrap();
    settings
        .set(SettingKey::VideoidAsyncMode, json!(true))
        .unwrap();
    settings
        .set_text(SettingKey::OptimizerReadTimeoutSecs, "300")
        .unwrap();
    settings
        .set_text(SettingKey::VideoidWebhookListen, "127.0.0.1:8787")
        .unwrap();
    settings
        .set_text(SettingKey::RequestEnvironment, "sandbox")
        .unwrap();

    let values = settings.values();
    assert_eq!(values.optimizer.layout, LayoutPreference::Legacy);
    assert!(values.videoid.async_mode);
    assert_eq!(values.optimizer.read_timeout_secs, 300);
    assert_eq!(
        values.videoid.webhook_listen,
        Some("127.0.0.1:8787".parse().unwrap())
    );
    let user = ValueOrigin::User {
        path: files.sources.user_file.clone(),
    };
    assert_eq!(settings.origin(SettingKey::OptimizerLayout), &user);

    // Another instance reading the files sees the same.
    let fresh = files.load().unwrap();
    assert_eq!(fresh.values(), settings.values());
    let text = std::fs::read_to_string(&files.sources.user_file).unwrap();
    assert!(text.contains("layout = \"legacy\""), "{text}");

    settings.reset(SettingKey::OptimizerLayout).unwrap();
    assert_eq!(
        settings.values().optimizer.layout,
        LayoutPreference::Current,
        "IT's value again"
    );
    assert_eq!(
        settings.origin(SettingKey::OptimizerLayout),
        &ValueOrigin::System {
            path: files.sources.system_file.clone()
        }
    );
    settings
        .set(SettingKey::RequestEnvironment, serde_json::Value::Null)
        .unwrap();
    assert_eq!(
        settings.values().request.environment,
        Some(Environment::Prod)
    );
}

#[test]
fn an_empty_string_clears_an_optional_value_from_it() {
    let files = Files::new().system(SYSTEM);
    let mut settings = files.load().unwrap();
    assert!(settings.values().billing.username.is_some());
    settings
        .set(SettingKey::BillingUsername, json!(""))
        .unwrap();
    assert_eq!(settings.values().billing.username, None);
    assert_eq!(
        settings.origin(SettingKey::BillingUsername),
        &ValueOrigin::User {
            path: files.sources.user_file.clone()
        }
    );
}

#[test]
fn invalid_values_are_refused_and_nothing_is_written() {
    let files = Files::new();
    let mut settings = files.load().unwrap();
    for (key, value, reason) in [
        (SettingKey::OptimizerUrl, json!("not a url"), "is not a URL"),
        (
            SettingKey::OptimizerConnectTimeoutSecs,
            json!(0),
            "0 is not between 1 and 300 seconds",
        ),
        (
            SettingKey::OptimizerConnectTimeoutSecs,
            json!("10"),
            "expected a whole number",
        ),
        (SettingKey::UiLanguage, json!("fr"), "\"fr\" is not one of"),
        (
            SettingKey::SigningAppearancePosition,
            json!("1,2,3"),
            "is not a rectangle",
        ),
        (
            SettingKey::OutputFolder,
            json!("relative/folder"),
            "must be an absolute path",
        ),
        (
            SettingKey::OutputFolderPattern,
            json!("{nope}"),
            "is not a placeholder",
        ),
        (
            SettingKey::SigningAppearanceText,
            json!({"a": 1}),
            "not an object",
        ),
        (
            SettingKey::VideoidWebhookListen,
            json!("localhost"),
            "is not an IP address and port",
        ),
    ] {
        let error = settings.set(key, value).unwrap_err();
        let SettingsError::InvalidValue {
            key: got,
            reason: message,
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(*got, key);
        assert!(message.contains(reason), "{key}: {message}");
        assert_eq!(DeskError::from(error).code, "settings.invalid_value");
    }
    assert!(
        settings
            .set_text(SettingKey::VideoidAsyncMode, "yes")
            .is_err()
    );
    assert!(!files.sources.user_file.exists());
}

#[test]
fn set_keeps_keys_it_does_not_know() {
    let files = Files::new().user("[future]\nflag = true\n\n[ui]\ntheme = \"light\"\n");
    let mut settings = files.load().unwrap();
    assert_eq!(settings.warnings().len(), 1);
    settings
        .set_text(
            SettingKey::SigningAppearanceText,
            r#"["Firmado por %(CN)s", "%(DATE)s"]"#,
        )
        .unwrap();
    assert_eq!(
        settings.values().signing.appearance.text,
        ["Firmado por %(CN)s", "%(DATE)s"]
    );
    let text = std::fs::read_to_string(&files.sources.user_file).unwrap();
    assert!(
        text.contains("[future]") && text.contains("flag = true"),
        "{text}"
    );
    assert!(text.contains("theme = \"light\""), "{text}");
}

#[test]
fn a_malformed_file_is_reported_with_its_path_and_line() {
    let files = Files::new()
        .system("[optimizer]\nurl = \"https://o.example\"\nconnect_timeout_secs = \"ten\"\n");
    let error = DeskError::from(files.load().unwrap_err());
    assert_eq!(error.code, "settings.malformed_file");
    let expected = format!(
        "The settings file {}, line 3, column 24 is not valid:",
        files.sources.system_file.display()
    );
    assert!(error.message.starts_with(&expected), "{}", error.message);

    let files = Files::new().user("[ui\ntheme = \"dark\"\n");
    let error = DeskError::from(files.load().unwrap_err());
    assert!(
        error
            .message
            .contains(&format!("{}, line 1", files.sources.user_file.display())),
        "{}",
        error.message
    );
}

#[test]
fn a_secret_in_a_settings_file_is_never_loaded() {
    let files = Files::new().system("[billing]\nusername = \"acme\"\npassword = \"Gy6F89xK\"\n");
    let error = DeskError::from(files.load().unwrap_err());
    assert_eq!(error.code, "settings.secret_in_file");
    assert!(error.message.contains("line 3"), "{}", error.message);
    assert!(
        error.message.contains("\"billing.password\""),
        "{}",
        error.message
    );
    assert!(error.message.contains("keyring"), "{}", error.message);
    assert!(
        !error.message.contains("Gy6F89xK"),
        "the value itself is never repeated"
    );
}

#[test]
fn entries_show_values_origins_and_locks_for_the_settings_screen() {
    let files = Files::new().system(SYSTEM);
    let settings = files.load().unwrap();
    let entries = settings.entries();
    assert_eq!(entries.len(), SettingKey::ALL.len());
    let url = entries
        .iter()
        .find(|e| e.key == SettingKey::OptimizerUrl)
        .unwrap();
    assert_eq!(url.value, json!("https://optimizer.example.com/"));
    assert!(url.locked);
    let json = serde_json::to_value(url).unwrap();
    assert_eq!(
        json["origin"],
        json!({"layer": "system", "path": files.sources.system_file})
    );
    assert_eq!(json["key"], "optimizer.url");
    let folder = entries
        .iter()
        .find(|e| e.key == SettingKey::OutputFolder)
        .unwrap();
    assert_eq!(folder.value, json!(files.sources.default_output_dir));
    assert!(!folder.locked);
    let rao = entries.iter().find(|e| e.key == SettingKey::RaoId).unwrap();
    assert_eq!(rao.value, serde_json::Value::Null);
}

#[test]
fn the_system_file_location_can_come_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let system_file = dir.path().join("it.toml");
    write(&system_file, "[ui]\nlanguage = \"it\"\n");
    let vars: Vec<(&str, PathBuf)> = vec![
        (env::SYSTEM_CONFIG, system_file.clone()),
        (env::CONFIG_DIR, dir.path().join("config")),
        (env::DATA_DIR, dir.path().join("data")),
        (env::LOG_DIR, dir.path().join("logs")),
        (env::CACHE_DIR, dir.path().join("cache")),
        (env::OUTPUT_DIR, dir.path().join("out")),
    ];
    let paths = Paths::from_lookup(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| OsString::from(p))
    })
    .unwrap();
    let settings = Settings::load(SettingsSources::from_paths(&paths)).unwrap();
    assert_eq!(settings.values().ui.language.as_str(), "it");
    assert_eq!(
        settings.origin(SettingKey::UiLanguage),
        &ValueOrigin::System { path: system_file }
    );
    assert_eq!(settings.output_folder(), dir.path().join("out"));
}

#[test]
fn everything_locked_with_a_star() {
    let files = Files::new().system("locked = [\"*\"]\n");
    let mut settings = files.load().unwrap();
    assert_eq!(settings.locked_keys().len(), SettingKey::ALL.len());
    assert!(settings.set(SettingKey::UiTheme, json!("dark")).is_err());
}

/// The README's settings reference is copied into the project README for IT: it must list
/// exactly the settings, with their real defaults, and its example must load.
#[test]
fn the_readme_reference_matches_the_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Settings reference")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let files = Files::new();
    let defaults = files.load().unwrap().entries();
    let mut listed = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split(" | ").collect();
        let key: SettingKey = cells[0]
            .trim_start_matches("| ")
            .trim_matches('`')
            .parse()
            .unwrap();
        listed.push(key);
        let default = cells[2].trim();
        let entry = defaults.iter().find(|e| e.key == key).unwrap();
        if default == "unset" {
            assert_eq!(entry.value, serde_json::Value::Null, "{key}");
        } else if let Some(text) = default.strip_prefix('`').and_then(|d| d.strip_suffix('`')) {
            let documents = files
                .sources
                .default_output_dir
                .parent()
                .unwrap()
                .display()
                .to_string();
            let text = text.replace("<Documents>", &documents);
            let expected = serde_json::from_str(&text).unwrap_or_else(|_| json!(text));
            assert_eq!(entry.value, expected, "{key}");
        }
    }
    assert_eq!(listed, SettingKey::ALL);

    let example = section
        .split("```toml")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let files = Files::new().system(example);
    let settings = files.load().unwrap();
    assert!(settings.warnings().is_empty(), "{:?}", settings.warnings());
    assert!(settings.is_locked(SettingKey::OptimizerCaCertificate));
    assert_eq!(
        settings.values().request.environment,
        Some(Environment::Prod)
    );
}

#[test]
fn a_user_list_replaces_the_system_list() {
    let files = Files::new()
        .system("[signing.appearance]\ntext = [\"A\"]\n")
        .user("[signing.appearance]\ntext = [\"B\", \"C\"]\n");
    let settings = files.load().unwrap();
    assert_eq!(settings.values().signing.appearance.text, ["B", "C"]);
}
