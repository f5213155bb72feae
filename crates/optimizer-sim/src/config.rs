//! The simulator's configuration: the stand-in for the real Optimizer's `settings.toml` plus the
//! simulator-only knobs (faults, seed, timings). Every default is documented in the README.

use crate::faults::FaultPlan;
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// The sandbox token the current product documentation tells integrators to use.
pub const SANDBOX_TOKEN: &str = "3bf8d8eb-d96c-41ea-83ad-d78a7016c7da";

/// Username of the practice RAO that exists unless `--rao` replaces it.
pub const PRACTICE_RAO_USERNAME: &str = "9001800";
/// Password of the practice RAO (a well-known practice value, not a secret).
pub const PRACTICE_RAO_PASSWORD: &str = "practice";
/// PIN of the practice RAO.
pub const PRACTICE_RAO_PIN: &str = "1234";
/// RAO id of the practice RAO (the `rao` field of approve / refuse).
pub const PRACTICE_RAO_ID: u64 = 972;

/// A Registration Authority Officer account known to the simulated RA.
#[derive(Clone)]
pub struct RaoAccount {
    /// The RAO's username.
    pub username: String,
    /// The RAO's password.
    pub password: SecretString,
    /// The RAO's PIN.
    pub pin: SecretString,
    /// The RAO id that approve/refuse calls may name in `rao`.
    pub rao_id: u64,
}

impl std::fmt::Debug for RaoAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RaoAccount")
            .field("username", &self.username)
            .field("rao_id", &self.rao_id)
            .finish_non_exhaustive()
    }
}

impl RaoAccount {
    /// The practice RAO: `9001800` / `practice` / `1234`, RAO id 972.
    pub fn practice() -> Self {
        Self {
            username: PRACTICE_RAO_USERNAME.into(),
            password: SecretString::from(PRACTICE_RAO_PASSWORD),
            pin: SecretString::from(PRACTICE_RAO_PIN),
            rao_id: PRACTICE_RAO_ID,
        }
    }

    /// Parses `USER:PASSWORD:PIN[:RAO_ID]`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let parts: Vec<&str> = spec.split(':').collect();
        if !(3..=4).contains(&parts.len()) || parts[..3].iter().any(|p| p.is_empty()) {
            return Err("expected USER:PASSWORD:PIN[:RAO_ID]".into());
        }
        let rao_id = match parts.get(3) {
            Some(id) => id
                .parse()
                .map_err(|_| format!("RAO id `{id}` is not a number"))?,
            None => PRACTICE_RAO_ID,
        };
        Ok(Self {
            username: parts[0].into(),
            password: SecretString::from(parts[1]),
            pin: SecretString::from(parts[2]),
            rao_id,
        })
    }
}

/// Billing credentials configured on the Optimizer (the `[billing]` settings).
#[derive(Clone)]
pub struct BillingCredentials {
    /// Billing username.
    pub username: String,
    /// Billing password, base64 as the real settings file holds it.
    pub password_b64: SecretString,
}

impl std::fmt::Debug for BillingCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BillingCredentials")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl BillingCredentials {
    /// The practice billing account (`practice@oneshot.test`, password "practice").
    pub fn practice() -> Self {
        Self {
            username: "practice@oneshot.test".into(),
            password_b64: "cHJhY3RpY2U=".into(),
        }
    }

    /// Parses `USERNAME:BASE64_PASSWORD`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (user, pw) = spec
            .split_once(':')
            .ok_or("expected USERNAME:BASE64_PASSWORD")?;
        if user.is_empty() || !crate::core::validate::is_base64(pw) {
            return Err("expected USERNAME:BASE64_PASSWORD with a base64 password".into());
        }
        Ok(Self {
            username: user.into(),
            password_b64: SecretString::from(pw),
        })
    }
}

/// The Optimizer environments (`env`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Env {
    /// The sandbox (test) environment.
    Sandbox,
    /// Production.
    Prod,
}

impl Env {
    /// Parses the API spelling (`sandbox` / `prod`).
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "sandbox" => Some(Self::Sandbox),
            "prod" => Some(Self::Prod),
            _ => None,
        }
    }

    /// The API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Prod => "prod",
        }
    }
}

/// How a Registration Authority runs VideoID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VideoIdMode {
    /// Uanataca's eIDAS VideoID: the customer follows a link.
    Eidas,
    /// External mode: the integrator uploads evidences and a video.
    External,
}

/// Which webhook payload format is POSTed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum WebhookFormat {
    /// `{event_type, sent_at, request{...}, certificates[], date?, previous_status?}`.
    #[default]
    Current,
    /// `{status, date, previous_status, request, registration_authority}`.
    Legacy,
}

/// What the sign call does with `ext_unlock_type` / `ext_unlock_value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ExtUnlockPolicy {
    /// Any non-empty pair authorises the signature instead of the OTP.
    #[default]
    AcceptAny,
    /// External authentication is not approved for this Optimizer: the OTP is always checked.
    Reject,
}

/// Everything that shapes a simulator run.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Where documents and state live; `None` = a temporary directory removed at exit.
    pub data_dir: Option<PathBuf>,
    /// Seed for every random choice (OTPs, ids, fault decisions, keys); `None` = OS entropy.
    pub seed: Option<u64>,
    /// Faults active from the start.
    pub faults: FaultPlan,
    /// Webhook payload format.
    pub webhook_format: WebhookFormat,
    /// RAO accounts known to the simulated RA.
    pub raos: Vec<RaoAccount>,
    /// The preconfigured sandbox token bound to the first RAO (`None` = no preconfigured token).
    pub sandbox_token: Option<String>,
    /// Environment set in settings (`None` = clients must send `env`).
    pub env: Option<Env>,
    /// Environments this Optimizer has certificates for.
    pub available_envs: Vec<Env>,
    /// Default Registration Authority (`None` = clients must send it).
    pub default_ra: Option<String>,
    /// Default certificate profile (`None` = clients must send it).
    pub default_profile: Option<String>,
    /// Billing credentials in settings (`None` = clients must send them).
    pub billing: Option<BillingCredentials>,
    /// Registration Authorities with VideoID enabled, and their mode.
    pub videoid_ras: Vec<(String, VideoIdMode)>,
    /// Whether create needs `document_front` and `document_rear` (the legacy `NO_REQUIRED_DOCUMENTS` off).
    pub require_id_documents: bool,
    /// Minimum time between two OTPs of one request.
    pub otp_interval: Duration,
    /// How long an OTP stays valid.
    pub otp_ttl: Duration,
    /// External authentication policy for sign.
    pub ext_unlock: ExtUnlockPolicy,
    /// Documents accepted by one upload call.
    pub max_documents_per_call: usize,
    /// Documents a request may hold.
    pub max_documents_per_request: usize,
    /// Largest accepted request body in bytes.
    pub body_limit: usize,
    /// Webhook URL configured on the RA (used when a request has no callback of its own).
    pub webhook_url: Option<String>,
    /// Delivery attempts per webhook event.
    pub webhook_attempts: usize,
    /// First retry delay of webhook deliveries (doubles each retry).
    pub webhook_backoff: Duration,
    /// Lowest `similarity_level` an external VideoID may report before it moves to VIDEOERROR.
    pub videoid_min_similarity: u8,
    /// Whether PAdES signatures carry a timestamp from the in-process test TSA (B-T).
    pub timestamp: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            data_dir: None,
            seed: None,
            faults: FaultPlan::default(),
            webhook_format: WebhookFormat::Current,
            raos: vec![RaoAccount::practice()],
            sandbox_token: Some(SANDBOX_TOKEN.into()),
            env: Some(Env::Sandbox),
            available_envs: vec![Env::Sandbox],
            default_ra: Some("9999".into()),
            default_profile: Some("PFnubeQAFCiudadano".into()),
            billing: Some(BillingCredentials::practice()),
            videoid_ras: vec![
                ("9999".into(), VideoIdMode::Eidas),
                ("9998".into(), VideoIdMode::External),
            ],
            require_id_documents: true,
            otp_interval: Duration::from_secs(60),
            otp_ttl: Duration::from_secs(300),
            ext_unlock: ExtUnlockPolicy::AcceptAny,
            max_documents_per_call: 10,
            max_documents_per_request: 50,
            body_limit: 1 << 30,
            webhook_url: None,
            webhook_attempts: 5,
            webhook_backoff: Duration::from_millis(200),
            videoid_min_similarity: 50,
            timestamp: true,
        }
    }
}
