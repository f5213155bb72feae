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

/// Which VideoID identification a flow uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum VideoIdKind {
    /// The Trust Service Provider's eIDAS video identification: the customer follows a link.
    Eidas,
    /// An external identification provider's evidences and recording, uploaded by the desk.
    External,
}

/// Everything a VideoID flow needs to start.
#[derive(Debug, Clone)]
pub struct VideoIdInput {
    /// eIDAS or external.
    pub kind: VideoIdKind,
    /// The customer: `mobile_phone_number` and `email` are required (the create call sends
    /// them, with `registration_authority` and `profile` when given); the names, when known,
    /// are shown until the identification provides them.
    pub customer: CustomerDraft,
    /// External: the evidences (may also come later with `provide_evidences`).
    pub evidences: Option<crate::evidences::EvidencesInput>,
    /// External: the recording (may also come later).
    pub video: Option<PathBuf>,
    /// The PDFs to sign once the RAO approves (may also be chosen later with `set_documents`).
    pub documents: Vec<PathBuf>,
    /// Where signed files go.
    pub output: OutputChoice,
    /// As in [`ClassicInput::signing`].
    pub signing: Option<SigningMethod>,
    /// As in [`ClassicInput::appearance`].
    pub appearance: Option<AppearanceSpec>,
    /// The RAO token remembered for the approval (a keyring label is remembered, a value is
    /// not). The VideoID create call itself needs no RAO credentials.
    pub token: TokenChoice,
    /// Practice mode (the bundled simulator).
    pub practice: bool,
}

/// The RAO's credentials for a decision on a VideoID identification.
#[derive(Clone)]
pub enum RaoAuthInput {
    /// A token: [`TokenChoice::Default`] means the one the flow started with (when it came
    /// from the keyring), else `rao.default_token_label`, else the keyring's default.
    Token(TokenChoice),
    /// The RAO's own credentials (never stored).
    Credentials {
        /// RAO username.
        username: String,
        /// RAO password.
        password: SecretString,
        /// RAO PIN.
        pin: SecretString,
    },
}

impl Default for RaoAuthInput {
    fn default() -> Self {
        RaoAuthInput::Token(TokenChoice::Default)
    }
}

impl fmt::Debug for RaoAuthInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RaoAuthInput::Token(choice) => {
                f.debug_tuple("RaoAuthInput::Token").field(choice).finish()
            }
            RaoAuthInput::Credentials { username, .. } => f
                .debug_struct("RaoAuthInput::Credentials")
                .field("username", username)
                .finish_non_exhaustive(),
        }
    }
}

/// Who decides on a VideoID identification.
#[derive(Debug, Clone, Default)]
pub struct RaoApproval {
    /// The RAO's token or credentials.
    pub auth: RaoAuthInput,
    /// The RAO's id (`rao`); `None`: the `rao.id` setting.
    pub rao_id: Option<String>,
}
