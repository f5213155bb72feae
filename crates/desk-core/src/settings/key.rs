//! The names of the settings, as IT writes them in files (`optimizer.url`) and as the UI and
//! the CLI name them.

use std::fmt;
use std::str::FromStr;

/// What kind of value a setting holds, for front ends that read values as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// Text (including URLs, paths and choices from a list).
    Text,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A list of text lines.
    TextList,
}

macro_rules! setting_keys {
    ($($variant:ident => $name:literal, $kind:ident;)*) => {
        /// A setting's name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SettingKey {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
        }

        impl SettingKey {
            /// Every setting, in the order of the settings reference.
            pub const ALL: &'static [SettingKey] = &[$(SettingKey::$variant),*];

            /// The dotted name, e.g. `optimizer.url`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(SettingKey::$variant => $name,)*
                }
            }

            /// The kind of value it holds.
            pub const fn value_kind(self) -> ValueKind {
                match self {
                    $(SettingKey::$variant => ValueKind::$kind,)*
                }
            }
        }
    };
}

setting_keys! {
    OptimizerUrl => "optimizer.url", Text;
    OptimizerLayout => "optimizer.layout", Text;
    OptimizerCaCertificate => "optimizer.ca_certificate", Text;
    OptimizerProxy => "optimizer.proxy", Text;
    OptimizerConnectTimeoutSecs => "optimizer.connect_timeout_secs", Integer;
    OptimizerReadTimeoutSecs => "optimizer.read_timeout_secs", Integer;
    RequestEnvironment => "request.environment", Text;
    RequestRegistrationAuthority => "request.registration_authority", Text;
    RequestProfile => "request.profile", Text;
    RequestCommunicationLanguage => "request.communication_language", Text;
    BillingUsername => "billing.username", Text;
    SigningOtpDelivery => "signing.otp_delivery", Text;
    SigningExtUnlockType => "signing.ext_unlock_type", Text;
    SigningAppearanceText => "signing.appearance.text", TextList;
    SigningAppearancePage => "signing.appearance.page", Integer;
    SigningAppearancePosition => "signing.appearance.position", Text;
    OutputFolder => "output.folder", Text;
    OutputFolderPattern => "output.folder_pattern", Text;
    UiLanguage => "ui.language", Text;
    UiTheme => "ui.theme", Text;
    VideoidWebhookListen => "videoid.webhook_listen", Text;
    VideoidAsyncMode => "videoid.async_mode", Boolean;
    RaoDefaultTokenLabel => "rao.default_token_label", Text;
    RaoId => "rao.id", Text;
}

impl SettingKey {
    /// The path of table names and the final key: `["signing", "appearance", "text"]`.
    pub fn segments(self) -> impl Iterator<Item = &'static str> {
        self.as_str().split('.')
    }

    /// Whether `pattern` (an entry of the system file's `locked` list) covers this key: the
    /// key itself, a section containing it (`optimizer`, `signing.appearance`) or `*`.
    pub fn is_covered_by(self, pattern: &str) -> bool {
        let name = self.as_str();
        pattern == "*"
            || pattern == name
            || (name.starts_with(pattern) && name.as_bytes().get(pattern.len()) == Some(&b'.'))
    }

    /// Whether `pattern` covers at least one setting.
    pub fn is_valid_lock_pattern(pattern: &str) -> bool {
        SettingKey::ALL.iter().any(|key| key.is_covered_by(pattern))
    }
}

impl fmt::Display for SettingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text names no setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("There is no setting called \"{0}\"")]
pub struct UnknownSettingKey(pub String);

impl FromStr for SettingKey {
    type Err = UnknownSettingKey;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        SettingKey::ALL
            .iter()
            .copied()
            .find(|key| key.as_str() == name)
            .ok_or_else(|| UnknownSettingKey(name.to_string()))
    }
}

impl serde::Serialize for SettingKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for SettingKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for key in SettingKey::ALL {
            assert_eq!(key.as_str().parse::<SettingKey>().unwrap(), *key);
            assert!(seen.insert(key.as_str()));
        }
        assert_eq!(SettingKey::ALL.len(), 24);
        assert!("optimizer.password".parse::<SettingKey>().is_err());
    }

    #[test]
    fn lock_patterns_cover_keys_and_sections() {
        let text = SettingKey::SigningAppearanceText;
        assert!(text.is_covered_by("signing.appearance.text"));
        assert!(text.is_covered_by("signing.appearance"));
        assert!(text.is_covered_by("signing"));
        assert!(text.is_covered_by("*"));
        assert!(!text.is_covered_by("signing.app"));
        assert!(!text.is_covered_by("sign"));
        assert!(SettingKey::is_valid_lock_pattern("optimizer"));
        assert!(!SettingKey::is_valid_lock_pattern("optimizer.ulr"));
    }
}
