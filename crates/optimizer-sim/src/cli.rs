//! Command-line options of the `optimizer-sim` binary, mapped onto [`SimConfig`].

use clap::Parser;
use optimizer_sim::{
    BillingCredentials, Env, ExtUnlockPolicy, FaultPlan, Op, RaoAccount, SimConfig, VideoIdMode,
    WebhookFormat,
};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

const AFTER_HELP: &str = "\
ENDPOINTS
  Current layout   /oneshot/api/v1/...  (token, tokens, create, request, otp, sign, document,
                   documents, contract, image, images, videoid)
  Legacy layout    /api/v1/...          (hello, version, settings, metadata, token, tokens,
                   request, async/status, otp, sign, document, documents, image, images, videoid,
                   request(s)/{pk}/approve)
  Simulator        GET  /_sim/ca.pem                       the CA certificate (PEM)
                   GET  /_sim/sms/{request_pk}             the customer's phone: {otp, sent_at, delivery_method}
                   POST /_sim/videoid/{request_pk}/complete|incomplete|fail   the customer's VideoID
                   GET/POST /_sim/faults                   read / replace the fault plan
                   GET  /_sim/webhooks                     webhook delivery log
                   GET  /videoid/{token}                   the customer's VideoID page (the link)

FAULT GRAMMAR (--faults, POST /_sim/faults)
  SPEC     := RULE { ';' RULE }
  RULE     := latency=[OPS:]DURATION[~DURATION]   wait before answering
            | error_rate=OPS:CHANCE[:STATUS]      answer STATUS (default 503), nothing performed
            | drop=OPS[:CHANCE]                   close the connection, nothing performed
            | drop_after=OPS[:CHANCE]             perform the call, then close without answering
            | hold_after=OPS:DURATION[:CHANCE]    perform the call, then hold the answer DURATION
            | truncate=OPS[:CHANCE]               downloads stop half-way
            | slow_otp=DURATION                   the OTP call takes this long
            | sms_delay=DURATION                  the SMS reaches /_sim/sms this late
  OPS      := '*' | OP{,OP}      CHANCE := 0.5 | 50% | 3x (the next 3 calls) | @2 (the 2nd call only)      DURATION := 250ms | 2s
  Example: latency=200ms;error_rate=sign:0.5:503;drop_after=create;truncate=document:0.5;slow_otp=5s";

/// A faithful local One-Shot Optimizer: both API layouts, real PAdES signatures from a
/// throw-away CA, an SMS inbox, a VideoID customer page, webhooks and fault injection.
#[derive(Parser, Debug)]
#[command(name = "optimizer-sim", version, after_long_help = AFTER_HELP, after_help = "Run with --help for endpoints, fault grammar and operation names.")]
pub struct Cli {
    /// Address to listen on; port 0 picks a free one. Prints `LISTENING http://ADDR` once ready.
    #[arg(long, default_value = "127.0.0.1:8090", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Keep documents and state here so a restart resumes (default: a temporary directory
    /// removed at exit).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Write the CA certificate (PEM) to this file once started.
    #[arg(long, value_name = "FILE")]
    pub ca_out: Option<PathBuf>,

    /// Faults active from the start (grammar below; change at run time with POST /_sim/faults).
    #[arg(long, value_name = "SPEC", value_parser = parse_faults)]
    pub faults: Option<FaultPlan>,

    /// Seed for OTPs, ids, keys and fault decisions (reproducible runs).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Webhook payload format.
    #[arg(long, value_enum, default_value_t = WebhookFormat::Current, value_name = "FORMAT")]
    pub webhook_format: WebhookFormat,

    /// A RAO account `USER:PASSWORD:PIN[:RAO_ID]` (repeatable; replaces the practice RAO
    /// 9001800:practice:1234:972). The first one owns the sandbox token.
    #[arg(long = "rao", value_name = "USER:PASSWORD:PIN[:RAO_ID]", value_parser = RaoAccount::parse)]
    pub raos: Vec<RaoAccount>,

    /// The preconfigured sandbox token (listed by GET tokens, cannot be deleted).
    #[arg(long, default_value = optimizer_sim::config::SANDBOX_TOKEN, value_name = "UID")]
    pub sandbox_token: String,

    /// Do not preconfigure a sandbox token.
    #[arg(long)]
    pub no_sandbox_token: bool,

    /// Environment set in settings: sandbox, prod, or none (clients must send `env`).
    #[arg(long, default_value = "sandbox", value_name = "ENV", value_parser = parse_env_or_none)]
    pub env: EnvSetting,

    /// Environments this Optimizer has certificates for (comma-separated).
    #[arg(long, default_value = "sandbox", value_name = "LIST", value_delimiter = ',', value_parser = parse_env)]
    pub available_envs: Vec<Env>,

    /// Default Registration Authority, or `none` (clients must send registration_authority).
    #[arg(long, default_value = "9999", value_name = "ID")]
    pub default_ra: String,

    /// Default certificate profile, or `none` (clients must send profile).
    #[arg(long, default_value = "PFnubeQAFCiudadano", value_name = "PROFILE")]
    pub default_profile: String,

    /// Billing credentials in settings `USERNAME:BASE64_PASSWORD` (default: the practice billing
    /// account practice@oneshot.test:cHJhY3RpY2U=).
    #[arg(long, value_name = "USER:B64", value_parser = BillingCredentials::parse)]
    pub billing: Option<BillingCredentials>,

    /// No billing credentials in settings: clients must send billing_username/billing_password.
    #[arg(long, conflicts_with = "billing")]
    pub no_billing: bool,

    /// A VideoID-enabled RA `ID:eidas|external` (repeatable; default 9999:eidas and 9998:external).
    #[arg(long = "videoid-ra", value_name = "ID:MODE", value_parser = parse_videoid_ra)]
    pub videoid_ras: Vec<(String, VideoIdMode)>,

    /// Create does not need document_front / document_rear (the legacy NO_REQUIRED_DOCUMENTS).
    #[arg(long)]
    pub no_required_docs: bool,

    /// Minimum seconds between two OTPs of one request (412 otherwise).
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub otp_interval_secs: u64,

    /// Seconds an OTP stays valid (sign answers 403 "Confirmation Code invalid" after).
    #[arg(long, default_value_t = 300, value_name = "SECS")]
    pub otp_ttl_secs: u64,

    /// What sign does with ext_unlock_type / ext_unlock_value.
    #[arg(long, value_enum, default_value_t = ExtUnlockPolicy::AcceptAny, value_name = "POLICY")]
    pub ext_unlock: ExtUnlockPolicy,

    /// Documents accepted by one upload call.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_documents_per_call: usize,

    /// Documents one request may hold.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub max_documents_per_request: usize,

    /// Largest request body in bytes (uploads stream to disk; this only bounds them).
    #[arg(long, default_value_t = 1 << 30, value_name = "BYTES")]
    pub body_limit: usize,

    /// Webhook URL configured on the RA: receives the events of requests without their own
    /// callback / webhook_url.
    #[arg(long, value_name = "URL")]
    pub webhook_url: Option<String>,

    /// Delivery attempts per webhook event.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub webhook_attempts: usize,

    /// First webhook retry delay in milliseconds (doubles on each retry).
    #[arg(long, default_value_t = 200, value_name = "MS")]
    pub webhook_backoff_ms: u64,

    /// Lowest similarity_level of external VideoID evidences before the request goes to VIDEOERROR.
    #[arg(long, default_value_t = 50, value_name = "0-100", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub videoid_min_similarity: u8,

    /// Sign without the in-process TSA timestamp (PAdES B-B instead of B-T).
    #[arg(long)]
    pub no_timestamp: bool,
}

fn parse_faults(spec: &str) -> Result<FaultPlan, String> {
    FaultPlan::parse(spec).map_err(|e| {
        let names: Vec<&str> = Op::ALL.iter().map(|op| op.name()).collect();
        format!("{e}; operations: {}", names.join(", "))
    })
}

fn parse_env(text: &str) -> Result<Env, String> {
    Env::parse(text).ok_or_else(|| format!("unknown environment `{text}` (sandbox, prod)"))
}

/// `--env`: an environment or `none` (a newtype, as clap reads `Option` fields as optional).
#[derive(Clone, Copy, Debug)]
pub struct EnvSetting(Option<Env>);

fn parse_env_or_none(text: &str) -> Result<EnvSetting, String> {
    if text == "none" {
        Ok(EnvSetting(None))
    } else {
        parse_env(text).map(|env| EnvSetting(Some(env)))
    }
}

fn parse_videoid_ra(text: &str) -> Result<(String, VideoIdMode), String> {
    let (id, mode) = text
        .split_once(':')
        .ok_or("expected ID:eidas or ID:external")?;
    let mode = match mode {
        "eidas" => VideoIdMode::Eidas,
        "external" => VideoIdMode::External,
        other => return Err(format!("unknown VideoID mode `{other}` (eidas, external)")),
    };
    Ok((id.to_string(), mode))
}

fn optional(text: String) -> Option<String> {
    (text != "none" && !text.is_empty()).then_some(text)
}

impl Cli {
    /// The configuration these options describe.
    pub fn into_config(self) -> SimConfig {
        let defaults = SimConfig::default();
        SimConfig {
            data_dir: self.data_dir,
            seed: self.seed,
            faults: self.faults.unwrap_or_default(),
            webhook_format: self.webhook_format,
            raos: if self.raos.is_empty() {
                defaults.raos
            } else {
                self.raos
            },
            sandbox_token: (!self.no_sandbox_token).then_some(self.sandbox_token),
            env: self.env.0,
            available_envs: self.available_envs,
            default_ra: optional(self.default_ra),
            default_profile: optional(self.default_profile),
            billing: if self.no_billing {
                None
            } else {
                self.billing.or(defaults.billing)
            },
            videoid_ras: if self.videoid_ras.is_empty() {
                defaults.videoid_ras
            } else {
                self.videoid_ras
            },
            require_id_documents: !self.no_required_docs,
            otp_interval: Duration::from_secs(self.otp_interval_secs),
            otp_ttl: Duration::from_secs(self.otp_ttl_secs),
            ext_unlock: self.ext_unlock,
            max_documents_per_call: self.max_documents_per_call,
            max_documents_per_request: self.max_documents_per_request,
            body_limit: self.body_limit,
            webhook_url: self.webhook_url,
            webhook_attempts: self.webhook_attempts,
            webhook_backoff: Duration::from_millis(self.webhook_backoff_ms),
            videoid_min_similarity: self.videoid_min_similarity,
            timestamp: !self.no_timestamp,
        }
    }
}
