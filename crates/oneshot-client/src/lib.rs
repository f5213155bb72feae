//! Typed async client of the One-Shot Optimizer HTTP API, in both path layouts.
//!
//! ```no_run
//! # async fn run() -> oneshot_client::Result<()> {
//! use oneshot_client::{Client, LayoutMode};
//! let client = Client::builder("https://optimizer.bank.local").layout(LayoutMode::Auto).build()?;
//! let tokens = client.list_tokens().await?;
//! # let _ = tokens; Ok(()) }
//! ```
//!
//! Every operation of the API digest's §A exists in the `current` (`/oneshot/api/v1`) and
//! `legacy` (`/api/v1`) layouts; answers are read tolerantly into precise types, failures
//! become an [`Error`] with a stable [`ErrorCode`]. Uploads and downloads stream, report
//! [`Progress`] and can be cancelled. Secrets never appear in `Debug` output, errors or logs.

mod call;
mod classify;
mod client;
mod config;
mod documents;
mod envelope;
mod error;
mod flex;
mod images;
mod layout;
mod otp_sign;
mod redact;
mod requests;
mod service;
mod status;
mod tls;
mod tokens;
mod transfer;
mod transport;
mod types;
mod videoid;
mod webhook;

pub use client::{Client, ClientBuilder};
pub use config::{
    CaCertificate, ClientConfig, ProxyAuth, ProxyConfig, RetryPolicy, Timeouts, TlsConfig,
};
pub use documents::{DocumentInfo, MAX_DOCUMENTS_PER_CALL, UploadedDocument};
pub use error::{Error, ErrorCode, ErrorPayload, ItemError, Result, UnknownErrorCode};
pub use images::{ImageInfo, ImageSize};
pub use layout::{DocumentKind, Layout, LayoutMode};
pub use otp_sign::{
    DeliveryMethod, SignAuth, SignOutcome, SignRequest, SignatureAppearance, SignatureRect,
};
pub use requests::{CreateRequest, CreatedRequest, IdDocumentType, RequestRecord, UpdateRequest};
pub use service::OptimizerVersion;
pub use status::RequestStatus;
pub use tokens::{CreateToken, TokenInfo, TokenSummary};
pub use transfer::{Downloaded, Progress, TransferControl, cancellable};
pub use types::{
    BillingCredentials, DocumentUid, Environment, FileInput, ImageUid, RaoAuth, RequestPk,
    TokenUid, VideoIdPk,
};
pub use videoid::{
    Acceptance, CreateVideoId, EvidenceImages, OcrData, RaoDecision, SecurityChecks,
    VideoIdCreated, VideoIdData, VideoIdEvidences, VideoIdRef,
};
pub use webhook::{StatusChange, WebhookCertificate, WebhookEvent, WebhookShape, parse_webhook};

/// Re-exported so callers need no direct dependency for secrets and cancellation.
pub use secrecy::{ExposeSecret, SecretString};
pub use tokio_util::sync::CancellationToken;
