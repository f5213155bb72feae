//! The command line: global options and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// OneShot Desk without the window: check the set-up, manage RAO tokens, sign documents with a
/// customer (classic flow, or after an eIDAS or external VideoID identification approved by the
/// RAO), resume interrupted flows, inspect PDFs and change settings.
///
/// Exit codes: 0 success; 1 failed with a coded error (printed as `error: CODE: message`);
/// 2 usage error; 3 the flow needs attention or can be resumed (`oneshot-desk-cli resume`).
#[derive(Debug, Parser)]
#[command(name = "oneshot-desk-cli", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every command.
#[derive(Debug, Args)]
pub struct Global {
    /// Optimizer base URL for this run (instead of the `optimizer.url` setting).
    #[arg(long, global = true, value_name = "URL")]
    pub optimizer: Option<String>,
    /// API path layout for this run: auto-detect, current (`/oneshot/api/v1`) or legacy (`/api/v1`).
    #[arg(long, global = true, value_enum)]
    pub layout: Option<LayoutArg>,
    /// PEM file with CA certificates to trust for the Optimizer, besides the system's.
    #[arg(long = "ca-cert", global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Proxy for Optimizer connections: a URL (http://, https://, socks5://), `system` or `none`.
    #[arg(long, global = true, value_name = "URL")]
    pub proxy: Option<String>,
    /// Machine-readable output: one JSON object per line on standard output.
    #[arg(long, global = true)]
    pub json: bool,
    /// RAO token value (also from the ONESHOT_TOKEN variable). Prefer --token-label: a value
    /// typed here may land in the shell's history.
    #[arg(
        long,
        global = true,
        env = "ONESHOT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// Use the RAO token stored in the OS keyring under this label.
    #[arg(long = "token-label", global = true, value_name = "LABEL")]
    pub token_label: Option<String>,
    /// First wait, in seconds, between two reads of a request's status on the Optimizer
    /// (VideoID identifications, asynchronous signing); the waits then grow. Default 2.
    #[arg(long = "poll-min", global = true, value_name = "SECS", value_parser = seconds)]
    pub poll_min: Option<Duration>,
    /// Longest wait, in seconds, between two reads of a request's status. Default 30.
    #[arg(long = "poll-max", global = true, value_name = "SECS", value_parser = seconds)]
    pub poll_max: Option<Duration>,
}

/// A number of seconds (decimals allowed, e.g. `0.5`), more than zero and at most a day.
fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(value > 0.0 && value <= 86_400.0) {
        return Err("give more than 0 and at most 86400 seconds".into());
    }
    Ok(Duration::from_secs_f64(value))
}

/// `--layout` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// Detect the layout (current first, then legacy).
    Auto,
    /// `/oneshot/api/v1/...`
    Current,
    /// `/api/v1/...`
    Legacy,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the set-up: Optimizer reachable, layout, TLS, proxy, keyring, PDFium, output
    /// folder, disk space, RAO token. One line per check, OK or FAIL with the reason; exit 1 if any fails.
    Doctor,
    /// RAO tokens: the Optimizer's, and those kept in the OS keyring.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Sign documents with a customer: create the request, upload, fetch the contract, send the
    /// code, sign, save every signed PDF and the contract in DIR, verify them, then delete the
    /// documents from the Optimizer. The code is read from standard input (prompted on a
    /// terminal).
    Classic(ClassicArgs),
    /// Identify the customer by eIDAS video identification: print the link (and its QR code)
    /// for the customer's phone, wait until the identification is ready for the RAO's review,
    /// then approve it (asked, or --approve) and sign the documents as `classic` does.
    Videoid(VideoIdArgs),
    /// Identify the customer with an external provider's evidences (JSON) and recording:
    /// upload them, then approve (asked, or --approve) and sign the documents as `classic` does.
    VideoidExternal(VideoIdExternalArgs),
    /// Give an external identification new evidences and/or a new recording (after it was
    /// reported incomplete or failed).
    Evidences(EvidencesArgs),
    /// Approve a VideoID identification ready for review (as the RAO), then sign the documents.
    Approve(ApproveArgs),
    /// Refuse a VideoID identification (as the RAO), with the reason; the request is cancelled.
    Refuse(RefuseArgs),
    /// Download a VideoID identification's recording for the review.
    Video(VideoArgs),
    /// Continue an interrupted flow (the only unfinished one when ID is omitted); a VideoID
    /// flow is followed as `videoid` does.
    Resume(ResumeArgs),
    /// Unfinished and recent flows, or one flow in full (a VideoID identification's status is
    /// read from the Optimizer first).
    Status(StatusArgs),
    /// Cancel a flow that is not signed yet (the request is removed from the Optimizer).
    Cancel(CancelArgs),
    /// A PDF's pages, metadata, size, SHA-256, whether it can be sent for signing, and its
    /// signatures (signer, time, whole-file coverage, integrity, trust).
    Inspect(InspectArgs),
    /// Render one page of a PDF to an image (offline, with PDFium).
    Render(RenderArgs),
    /// Show or change settings (keys locked by IT cannot be changed).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Write a support bundle (zip) for IT: versions, the doctor's checks, the effective
    /// settings and the most recent logs, scrubbed of secrets and customer data.
    SupportBundle(crate::commands::support_bundle::SupportBundleArgs),
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// The tokens the Optimizer knows and those stored in the keyring (values never shown).
    List,
    /// Create a token from the RAO's credentials (password and PIN prompted without echo, or
    /// read as two lines from standard input) and store it in the OS keyring.
    Create(TokenCreateArgs),
    /// Remove a token from the keyring (and, with --on-optimizer, delete it there first).
    Forget(TokenForgetArgs),
    /// Make a stored token the default.
    Default(TokenLabelArg),
}

#[derive(Debug, Args)]
pub struct TokenCreateArgs {
    /// RAO username.
    #[arg(long)]
    pub username: String,
    /// Label to store the token under.
    #[arg(long)]
    pub label: String,
    /// Environment (`sandbox` or `prod`), unless the Optimizer or the settings set it.
    #[arg(long)]
    pub env: Option<String>,
    /// Make it the default token.
    #[arg(long)]
    pub default: bool,
}

#[derive(Debug, Args)]
pub struct TokenForgetArgs {
    /// The token's label.
    pub label: String,
    /// Also delete the token on the Optimizer.
    #[arg(long = "on-optimizer")]
    pub on_optimizer: bool,
}

#[derive(Debug, Args)]
pub struct TokenLabelArg {
    /// The token's label.
    pub label: String,
}

/// How the customer receives the code.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DeliveryArg {
    /// Text message.
    Sms,
    /// WhatsApp message.
    Whatsapp,
}

#[derive(Debug, Args)]
pub struct ClassicArgs {
    /// The customer's data: JSON with the API's field names (see the README).
    #[arg(long, value_name = "FILE")]
    pub customer: PathBuf,
    /// A PDF to sign (repeat for several).
    #[arg(long = "document", value_name = "FILE", required = true)]
    pub documents: Vec<PathBuf>,
    /// Folder receiving the signed PDFs and the signed contract.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Photo of the front of the customer's ID document (JPEG or PNG).
    #[arg(long = "id-front", value_name = "FILE")]
    pub id_front: Option<PathBuf>,
    /// Photo of the back of the ID document.
    #[arg(long = "id-rear", value_name = "FILE")]
    pub id_rear: Option<PathBuf>,
    /// Selfie of the customer holding the ID document.
    #[arg(long, value_name = "FILE")]
    pub selfie: Option<PathBuf>,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Practice mode against the bundled simulator: the code is read from its SMS inbox.
    #[arg(long)]
    pub practice: bool,
}

#[derive(Debug, Args)]
pub struct SigningArgs {
    /// External authentication method instead of a code (`ext_unlock_type`).
    #[arg(
        long = "ext-unlock-type",
        value_name = "T",
        requires = "ext_unlock_value"
    )]
    pub ext_unlock_type: Option<String>,
    /// The external authentication's transaction id (`ext_unlock_value`).
    #[arg(
        long = "ext-unlock-value",
        value_name = "V",
        requires = "ext_unlock_type"
    )]
    pub ext_unlock_value: Option<String>,
    /// How the customer receives the code (default: the `signing.otp_delivery` setting).
    #[arg(long, value_enum)]
    pub delivery: Option<DeliveryArg>,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// The flow's id (see `status`).
    pub id: Option<i64>,
    /// Create the request again although the first create's outcome is unknown (check with
    /// the Optimizer's operator first: a stray request may exist).
    #[arg(long)]
    pub recreate: bool,
    #[command(flatten)]
    pub signing: SigningArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub rao: RaoArgs,
    /// Practice mode: read the code from the simulator's SMS inbox.
    #[arg(long)]
    pub practice: bool,
}

/// How a VideoID identification is followed.
#[derive(Debug, Args, Clone, Default)]
pub struct FollowArgs {
    /// Do not wait: stop once the identification is created (and, for an external one, its
    /// evidences uploaded), printing the flow's id; continue later with `resume`, `approve`
    /// or `refuse`.
    #[arg(long = "no-wait")]
    pub no_wait: bool,
    /// Stop when the identification is ready for the RAO's review, printing the flow's id and
    /// the request's pk; decide later with `approve` or `refuse`.
    #[arg(long = "stop-at-review")]
    pub stop_at_review: bool,
    /// Approve as soon as the identification is ready for review, without asking.
    #[arg(long, conflicts_with = "stop_at_review")]
    pub approve: bool,
    /// Wait at most this many seconds for the customer's identification, then stop with exit
    /// code 3 (`resume` waits again).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
}

/// The RAO who decides on an identification.
#[derive(Debug, Args, Clone, Default)]
pub struct RaoArgs {
    /// The RAO's id sent with the decision (default: the `rao.id` setting).
    #[arg(long = "rao-id", value_name = "ID")]
    pub rao_id: Option<String>,
    /// Decide with the RAO's username, password and PIN (prompted without echo, or read as two
    /// lines from standard input) instead of the RAO token.
    #[arg(long = "rao-username", value_name = "USER")]
    pub rao_username: Option<String>,
}

#[derive(Debug, Args)]
pub struct VideoIdArgs {
    /// The customer: JSON with the API's field names; `mobile_phone_number` and `email` are
    /// required (see the README).
    #[arg(long, value_name = "FILE")]
    pub customer: PathBuf,
    /// A PDF to sign once the identification is approved (repeat for several).
    #[arg(long = "document", value_name = "FILE")]
    pub documents: Vec<PathBuf>,
    /// Folder receiving the signed PDFs and the signed contract (default: the `output.folder`
    /// setting, one sub-folder per request).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub rao: RaoArgs,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Practice mode against the bundled simulator: the code is read from its SMS inbox.
    #[arg(long)]
    pub practice: bool,
}

#[derive(Debug, Args)]
pub struct VideoIdExternalArgs {
    #[command(flatten)]
    pub common: VideoIdArgs,
    /// The identification provider's evidences: JSON (see the README); image paths are read
    /// relative to its folder.
    #[arg(long, value_name = "FILE")]
    pub evidences: PathBuf,
    /// The identification's recording (MP4, WebM, QuickTime, ... recognised by its content).
    #[arg(long, value_name = "FILE")]
    pub video: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvidencesArgs {
    /// The flow's id.
    pub id: i64,
    /// New evidences (JSON).
    #[arg(long, value_name = "FILE", required_unless_present = "video")]
    pub evidences: Option<PathBuf>,
    /// A new recording.
    #[arg(long, value_name = "FILE")]
    pub video: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The flow's id.
    pub id: i64,
    #[command(flatten)]
    pub rao: RaoArgs,
    /// The PDFs to sign, when none were given when the identification started.
    #[arg(long = "document", value_name = "FILE")]
    pub documents: Vec<PathBuf>,
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Practice mode: read the code from the simulator's SMS inbox.
    #[arg(long)]
    pub practice: bool,
}

#[derive(Debug, Args)]
pub struct RefuseArgs {
    /// The flow's id.
    pub id: i64,
    /// Why the identification is refused (sent to the Optimizer).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    #[command(flatten)]
    pub rao: RaoArgs,
}

#[derive(Debug, Args)]
pub struct VideoArgs {
    /// The flow's id.
    pub id: i64,
    /// Folder to save the recording in.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// A flow's id: show it in full.
    pub id: Option<i64>,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// The flow's id.
    pub id: i64,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The PDF.
    pub file: PathBuf,
    /// CA certificate (PEM or DER) to check the signers' chains against (repeatable).
    #[arg(long, value_name = "FILE")]
    pub trust: Vec<PathBuf>,
    /// Read the PDF's password from standard input (prompted without echo on a terminal).
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The PDF.
    pub file: PathBuf,
    /// Page number, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    /// Pixels per PDF point (1 = 72 dpi, 2.08 ≈ 150 dpi).
    #[arg(long, default_value_t = 1.0, conflicts_with = "dpi")]
    pub scale: f32,
    /// Resolution instead of --scale.
    #[arg(long)]
    pub dpi: Option<f32>,
    /// The image to write; its extension chooses the format: .webp, .png or .jpg.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Read the PDF's password from standard input (prompted without echo on a terminal).
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Every setting with its value, where it comes from, and whether IT locked it.
    Show,
    /// Change a setting in the user's settings file.
    Set(SettingsSetArgs),
    /// Remove the user's value, so IT's value or the default applies.
    Reset(SettingsKeyArg),
}

#[derive(Debug, Args)]
pub struct SettingsSetArgs {
    /// The setting, e.g. `optimizer.url`.
    pub key: String,
    /// Its new value (a JSON list for lists of text).
    pub value: String,
}

#[derive(Debug, Args)]
pub struct SettingsKeyArg {
    /// The setting.
    pub key: String,
}
