//! The command line: global options and subcommands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// OneShot Desk without the window: check the set-up, manage RAO tokens, sign documents with a
/// customer (classic flow), resume interrupted flows, inspect PDFs and change settings.
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
    /// Continue an interrupted flow (the only unfinished one when ID is omitted).
    Resume(ResumeArgs),
    /// Unfinished and recent flows, or one flow in full.
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
    /// Practice mode: read the code from the simulator's SMS inbox.
    #[arg(long)]
    pub practice: bool,
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
