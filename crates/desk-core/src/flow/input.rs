//! What the caller gives a flow.

use crate::customer::CustomerDraft;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// Photos of the customer's ID document (JPEG or PNG), each optional: the Optimizer decides
/// which it requires.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct IdImages {
    /// Front of the ID document (`document_front`).
    pub front: Option<PathBuf>,
    /// Back of the ID document (`document_rear`).
    pub rear: Option<PathBuf>,
    /// Selfie holding the ID document (`document_owner`).
    pub selfie: Option<PathBuf>,
}

/// Where the signed files go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum OutputChoice {
    /// `output.folder` (or the platform default), one sub-folder per request named by
    /// `output.folder_pattern`.
    #[default]
    Settings,
    /// This folder, one sub-folder per request named by `output.folder_pattern`.
    Under(PathBuf),
    /// Exactly this folder (the CLI's `--out DIR`).
    Exactly(PathBuf),
}

/// How the customer unlocks the signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum SigningMethod {
    /// A code sent by SMS or WhatsApp.
    Otp {
        /// `sms` or `whatsapp`.
        delivery: String,
    },
    /// An approved external authentication (`ext_unlock_type`).
    External {
        /// The method's name, e.g. `biometric`.
        unlock_type: String,
    },
}

/// The visible signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppearanceSpec {
    /// Text lines (`%(CN)s`, `%(DATE)s` filled in by the Optimizer).
    pub text: Vec<String>,
    /// Page, from 0.
    pub page: u32,
    /// `"x1,y1,x2,y2"` in points from the bottom-left corner.
    pub position: String,
}

/// Which RAO token creates the request.
#[derive(Clone, Default)]
pub enum TokenChoice {
    /// `rao.default_token_label`, else the keyring's default token.
    #[default]
    Default,
    /// The keyring token with this label.
    Label(String),
    /// This value (the CLI's `--token` / `ONESHOT_TOKEN`); never stored.
    Value(SecretString),
}

impl fmt::Debug for TokenChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenChoice::Default => f.write_str("TokenChoice::Default"),
            TokenChoice::Label(label) => write!(f, "TokenChoice::Label({label:?})"),
            TokenChoice::Value(_) => f.write_str("TokenChoice::Value([REDACTED])"),
        }
    }
}

/// Everything a classic flow needs.
#[derive(Debug, Clone, Default)]
pub struct ClassicInput {
    /// The customer.
    pub customer: CustomerDraft,
    /// ID photos.
    pub id_images: IdImages,
    /// The PDFs to sign (at least one).
    pub documents: Vec<PathBuf>,
    /// Where signed files go.
    pub output: OutputChoice,
    /// `None`: external authentication when `signing.ext_unlock_type` is set, else a code by
    /// `signing.otp_delivery`.
    pub signing: Option<SigningMethod>,
    /// `None`: the `signing.appearance` settings.
    pub appearance: Option<AppearanceSpec>,
    /// The RAO token.
    pub token: TokenChoice,
    /// Practice mode: the Optimizer is the bundled simulator, whose SMS inbox the desk may read.
    pub practice: bool,
}

/// How the customer authorises the signature.
#[derive(Clone)]
pub enum SignAuthInput {
    /// The code the customer received.
    Otp(SecretString),
    /// External authentication.
    External {
        /// `ext_unlock_type`.
        unlock_type: String,
        /// `ext_unlock_value`: the external transaction's id.
        unlock_value: SecretString,
        /// Sent as `secret` (the legacy API requires one); `None` sends the unlock value.
        customer_code: Option<SecretString>,
    },
}

impl fmt::Debug for SignAuthInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignAuthInput::Otp(_) => f.write_str("SignAuthInput::Otp([REDACTED])"),
            SignAuthInput::External { unlock_type, .. } => f
                .debug_struct("SignAuthInput::External")
                .field("unlock_type", unlock_type)
                .finish_non_exhaustive(),
        }
    }
}

/// Options of [`crate::Desk::resume`].
#[derive(Debug, Clone, Default)]
pub struct ResumeOptions {
    /// Create the request again although the first create call's outcome is unknown: the user
    /// checked (with the Optimizer's operator) that it does not exist, or accepts a stray one.
    pub recreate: bool,
    /// The token for a create that must be (re)done; `None`: the one the flow started with
    /// when it came from the keyring, else the default.
    pub token: Option<TokenChoice>,
}
