//! The typed settings. Every value is checked as it is read, so a bad value is reported with
//! its file and line and never reaches the rest of the desk.

pub use super::choice::{Environment, LayoutPreference, OtpDelivery, Profile, UiLanguage, UiTheme};
use crate::output::FolderPattern;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use url::Url;

/// All settings, as in effect after layering.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsValues {
    /// `[optimizer]`: how to reach the One-Shot Optimizer.
    pub optimizer: OptimizerSettings,
    /// `[request]`: defaults for new signature requests.
    pub request: RequestSettings,
    /// `[billing]`: the billing account (its password lives in the keyring).
    pub billing: BillingSettings,
    /// `[signing]`: how documents are signed.
    pub signing: SigningSettings,
    /// `[output]`: where signed documents go.
    pub output: OutputSettings,
    /// `[ui]`: the window.
    pub ui: UiSettings,
    /// `[videoid]`: VideoID identification.
    pub videoid: VideoIdSettings,
    /// `[rao]`: the RAO the desk acts as.
    pub rao: RaoSettings,
}

/// `[optimizer]`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptimizerSettings {
    /// Base URL of the Optimizer, e.g. `https://optimizer.example.com`. Unset: not configured.
    #[serde(deserialize_with = "optional")]
    pub url: Option<OptimizerUrl>,
    /// Path layout the Optimizer serves.
    pub layout: LayoutPreference,
    /// A PEM file with the CA certificate(s) to trust for the Optimizer, besides the system's.
    #[serde(deserialize_with = "optional")]
    pub ca_certificate: Option<AbsolutePath>,
    /// Proxy for Optimizer connections.
    pub proxy: ProxySetting,
    /// Seconds to wait for a connection.
    #[serde(deserialize_with = "connect_timeout")]
    pub connect_timeout_secs: u64,
    /// Seconds to wait for an answer once connected (signing can take long).
    #[serde(deserialize_with = "read_timeout")]
    pub read_timeout_secs: u64,
}

impl Default for OptimizerSettings {
    fn default() -> Self {
        OptimizerSettings {
            url: None,
            layout: LayoutPreference::Auto,
            ca_certificate: None,
            proxy: ProxySetting::System,
            connect_timeout_secs: 10,
            read_timeout_secs: 120,
        }
    }
}

/// `[request]`: values sent when creating requests. Unset values are left to the Optimizer's
/// own configuration (its `settings.toml`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestSettings {
    /// `sandbox` or `prod`.
    #[serde(deserialize_with = "optional")]
    pub environment: Option<Environment>,
    /// Registration Authority id.
    #[serde(deserialize_with = "optional")]
    pub registration_authority: Option<Text>,
    /// Certificate profile.
    #[serde(deserialize_with = "optional")]
    pub profile: Option<Profile>,
    /// Language of the Trust Service Provider's messages to the customer (two letters: ES, EN, PL).
    #[serde(deserialize_with = "optional")]
    pub communication_language: Option<LanguageCode>,
}

/// `[billing]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BillingSettings {
    /// Billing username; the password is in the keyring, never in a file.
    #[serde(deserialize_with = "optional")]
    pub username: Option<Text>,
}

/// `[signing]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SigningSettings {
    /// How the customer receives the signing code.
    pub otp_delivery: OtpDelivery,
    /// An approved external authentication method (sent as `ext_unlock_type`) instead of the
    /// SMS code. Unset: SMS/WhatsApp code.
    #[serde(deserialize_with = "optional")]
    pub ext_unlock_type: Option<Text>,
    /// The visible signature.
    pub appearance: AppearanceSettings,
}

/// `[signing.appearance]`: the visible signature stamped on documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppearanceSettings {
    /// Text lines; the Optimizer fills in `%(CN)s` (signer's name) and `%(DATE)s`.
    #[serde(deserialize_with = "text_lines")]
    pub text: Vec<String>,
    /// Page, counted from 0.
    #[serde(deserialize_with = "page")]
    pub page: u32,
    /// Rectangle in points from the bottom-left corner: `"x1,y1,x2,y2"`.
    pub position: SignaturePosition,
}

impl Default for AppearanceSettings {
    fn default() -> Self {
        AppearanceSettings {
            text: vec!["%(CN)s".to_string(), "%(DATE)s".to_string()],
            page: 0,
            position: SignaturePosition {
                x1: 300.0,
                y1: 100.0,
                x2: 500.0,
                y2: 150.0,
            },
        }
    }
}

/// `[output]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OutputSettings {
    /// Folder receiving one sub-folder per request. Unset: `<Documents>/OneShot Desk`.
    #[serde(deserialize_with = "optional")]
    pub folder: Option<AbsolutePath>,
    /// Name of each request's folder.
    pub folder_pattern: FolderPattern,
}

/// `[ui]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiSettings {
    /// The window's language.
    pub language: UiLanguage,
    /// The window's colours.
    pub theme: UiTheme,
}

/// `[videoid]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoIdSettings {
    /// Address the desk listens on for the Optimizer's webhook calls, e.g. `0.0.0.0:8787`.
    /// Unset: no webhook receiver.
    #[serde(deserialize_with = "optional_socket_address")]
    pub webhook_listen: Option<SocketAddr>,
    /// Follow VideoID requests by webhook notifications (`true`) rather than by polling
    /// their state (`false`).
    pub async_mode: bool,
}

/// `[rao]`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RaoSettings {
    /// Label of the keyring RAO token to use; unset: the token marked default in the desk.
    #[serde(deserialize_with = "optional")]
    pub default_token_label: Option<Text>,
    /// The RAO's id (sent as `rao` when approving VideoID requests).
    #[serde(deserialize_with = "optional")]
    pub id: Option<Text>,
}

/// Non-empty text without surrounding white space or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Text {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err("it is empty".into())
        } else if trimmed.chars().any(char::is_control) {
            Err("it contains control characters".into())
        } else if trimmed.chars().count() > 256 {
            Err("it is longer than 256 characters".into())
        } else {
            Ok(Text(trimmed.to_string()))
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An `http` or `https` URL with a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct OptimizerUrl(Url);

impl OptimizerUrl {
    /// The URL.
    pub fn url(&self) -> &Url {
        &self.0
    }
}

impl FromStr for OptimizerUrl {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let url = Url::parse(text.trim()).map_err(|e| format!("\"{text}\" is not a URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("\"{text}\" must start with https:// (or http://)"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("\"{text}\" has no host name"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Credentials in a URL would end up in a plain file.
            return Err("the URL must not contain a user name or password".into());
        }
        Ok(OptimizerUrl(url))
    }
}

/// `system` (the operating system's proxy settings), `none` (connect directly) or a proxy URL
/// (`http://`, `https://`, `socks5://`, `socks5h://`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ProxySetting {
    /// Use the operating system's proxy configuration.
    #[default]
    System,
    /// Connect directly.
    None,
    /// Use this proxy.
    Url(Url),
}

impl FromStr for ProxySetting {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "system" => Ok(ProxySetting::System),
            "none" => Ok(ProxySetting::None),
            other => {
                let url = Url::parse(other).map_err(|_| {
                    format!("\"{text}\" is neither \"system\", \"none\" nor a proxy URL")
                })?;
                if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
                    return Err(format!(
                        "the proxy URL \"{text}\" must use http, https, socks5 or socks5h"
                    ));
                }
                if !url.username().is_empty() || url.password().is_some() {
                    return Err("the proxy URL must not contain a user name or password".into());
                }
                Ok(ProxySetting::Url(url))
            }
        }
    }
}

impl fmt::Display for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxySetting::System => f.write_str("system"),
            ProxySetting::None => f.write_str("none"),
            ProxySetting::Url(url) => f.write_str(url.as_str()),
        }
    }
}

/// An absolute file system path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AbsolutePath(PathBuf);

impl AbsolutePath {
    /// The path.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl FromStr for AbsolutePath {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let path = PathBuf::from(text);
        if path.is_absolute() {
            Ok(AbsolutePath(path))
        } else {
            Err(format!("\"{text}\" must be an absolute path"))
        }
    }
}

/// A two-letter language code, kept in capitals (`ES`, `EN`, `PL`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LanguageCode {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.len() == 2 && text.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(LanguageCode(text.to_ascii_uppercase()))
        } else {
            Err(format!(
                "\"{text}\" is not a two-letter language code such as ES or EN"
            ))
        }
    }
}

/// Where the visible signature goes: a rectangle in points, origin bottom-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignaturePosition {
    /// Left.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
    /// Right.
    pub x2: f64,
    /// Top.
    pub y2: f64,
}

impl FromStr for SignaturePosition {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "\"{text}\" is not a rectangle \"x1,y1,x2,y2\" in points with x1 < x2 and y1 < y2"
            )
        };
        let numbers: Vec<f64> = text
            .split(',')
            .map(|n| n.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        match numbers[..] {
            [x1, y1, x2, y2]
                if numbers.iter().all(|n| n.is_finite() && *n >= 0.0) && x1 < x2 && y1 < y2 =>
            {
                Ok(SignaturePosition { x1, y1, x2, y2 })
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for SignaturePosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{},{},{}", self.x1, self.y1, self.x2, self.y2)
    }
}

macro_rules! serde_via_text {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_via_text!(
    Text,
    OptimizerUrl,
    ProxySetting,
    AbsolutePath,
    LanguageCode,
    SignaturePosition
);

impl Serialize for ProxySetting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for SignaturePosition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Optional values: an empty string means "unset", so a user can clear a value set by IT.
/// Whole numbers are taken as text too: IT often writes ids such as
/// `registration_authority = 1234` without quotes.
fn optional<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: fmt::Display,
{
    let text = deserializer.deserialize_any(TextOrNumber)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(serde::de::Error::custom)
}

struct TextOrNumber;

impl<'de> serde::de::Visitor<'de> for TextOrNumber {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<String, E> {
        Ok(text.to_string())
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<String, E> {
        Ok(number.to_string())
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<String, E> {
        Ok(number.to_string())
    }

    // The built-in defaults reach here as "none" when merged.
    fn visit_none<E: serde::de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(TextOrNumber)
    }
}

fn optional_socket_address<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<SocketAddr>, D::Error> {
    let text = deserializer.deserialize_any(TextOrNumber)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.trim().parse().map(Some).map_err(|_| {
        serde::de::Error::custom(format!(
            "\"{text}\" is not an IP address and port such as 127.0.0.1:8787"
        ))
    })
}

/// Whole numbers, with a message IT understands ("a whole number", not "i64").
struct WholeNumber;

impl serde::de::Visitor<'_> for WholeNumber {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number")
    }

    fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<i64, E> {
        Ok(number)
    }

    fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<i64, E> {
        i64::try_from(number).map_err(|_| E::custom(format!("{number} is too large")))
    }
}

fn seconds_between<'de, D: Deserializer<'de>>(
    deserializer: D,
    min: u64,
    max: u64,
) -> Result<u64, D::Error> {
    let seconds = deserializer.deserialize_any(WholeNumber)?;
    u64::try_from(seconds)
        .ok()
        .filter(|s| (min..=max).contains(s))
        .ok_or_else(|| {
            serde::de::Error::custom(format!("{seconds} is not between {min} and {max} seconds"))
        })
}

fn connect_timeout<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    seconds_between(deserializer, 1, 300)
}

fn read_timeout<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    seconds_between(deserializer, 1, 3600)
}

fn page<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let page = deserializer.deserialize_any(WholeNumber)?;
    u32::try_from(page)
        .ok()
        .filter(|p| *p < 100_000)
        .ok_or_else(|| {
            serde::de::Error::custom(format!("{page} is not a page number (0 is the first page)"))
        })
}

fn text_lines<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let lines = Vec::<String>::deserialize(deserializer)?;
    if lines.len() > 10 {
        return Err(serde::de::Error::custom(
            "the signature shows at most 10 lines of text",
        ));
    }
    if let Some(line) = lines
        .iter()
        .find(|l| l.chars().any(char::is_control) || l.chars().count() > 200)
    {
        return Err(serde::de::Error::custom(format!(
            "the line \"{}\" has control characters or is longer than 200 characters",
            line.escape_debug()
        )));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_print() {
        assert_eq!("none".parse::<ProxySetting>().unwrap(), ProxySetting::None);
        assert_eq!(
            "socks5h://proxy:1080"
                .parse::<ProxySetting>()
                .unwrap()
                .to_string(),
            "socks5h://proxy:1080"
        );
        assert!("ftp://proxy".parse::<ProxySetting>().is_err());
        assert!("http://user:pw@proxy".parse::<ProxySetting>().is_err());
        assert!("https://user:pw@optimizer".parse::<OptimizerUrl>().is_err());
        assert!("optimizer.example.com".parse::<OptimizerUrl>().is_err());
        assert!("file:///etc".parse::<OptimizerUrl>().is_err());
        assert_eq!("es".parse::<LanguageCode>().unwrap().as_str(), "ES");
        assert!("esp".parse::<LanguageCode>().is_err());
        let position: SignaturePosition = "300, 100, 500, 150".parse().unwrap();
        assert_eq!(position.to_string(), "300,100,500,150");
        for bad in ["1,2,3", "5,1,4,2", "1,2,3,x", "-1,0,3,4", "1,1,1,1"] {
            assert!(bad.parse::<SignaturePosition>().is_err(), "{bad}");
        }
        assert!("relative/ca.pem".parse::<AbsolutePath>().is_err());
        assert_eq!(" padded ".parse::<Text>().unwrap().as_str(), "padded");
        assert!("  ".parse::<Text>().is_err());
    }

    #[test]
    fn defaults_serialise_to_the_documented_values() {
        let json = serde_json::to_value(SettingsValues::default()).unwrap();
        assert_eq!(json["optimizer"]["layout"], "auto");
        assert_eq!(json["optimizer"]["proxy"], "system");
        assert_eq!(json["optimizer"]["connect_timeout_secs"], 10);
        assert_eq!(json["optimizer"]["read_timeout_secs"], 120);
        assert_eq!(json["signing"]["otp_delivery"], "sms");
        assert_eq!(json["signing"]["appearance"]["position"], "300,100,500,150");
        assert_eq!(
            json["output"]["folder_pattern"],
            "{date} {surname} {request_pk}"
        );
        assert_eq!(json["ui"]["language"], "system");
        assert_eq!(json["videoid"]["async_mode"], false);
        assert_eq!(json["optimizer"]["url"], serde_json::Value::Null);
    }
}
