//! [`Desk`]: the one object the window and the CLI talk to. It owns the settings, the keyring
//! vault, the request journal and the Optimizer clients, and runs the flows.
//!
//! Every method returns `Result<_, DeskError>`; flow methods return the flow's
//! [`FlowSnapshot`] and report changes and progress as [`DeskEvent`]s through the
//! [`EventSink`] given at open. The desk is cheap to clone and may be used from many tasks.

mod connection;
mod tokens;
mod webhooks;

pub use connection::{ConnectionOverride, ConnectionReport, ConnectionSettings};
pub use tokens::{NewTokenRequest, OptimizerToken, TokenForgotten};
pub use webhooks::StatusFollowing;

use crate::customer::{CustomerDraft, FieldIssue};
use crate::error::{DeskError, DeskResult};
use crate::events::{DeskEvent, EventSink, SharedSink};
use crate::evidences::EvidencesInput;
use crate::flow::{
    ClassicInput, FlowId, FlowRegistry, FlowSnapshot, Flows, RaoApproval, ResumeOptions,
    SignAuthInput, VideoIdInput,
};
use crate::inputs::{CheckedDocument, CheckedImage};
use crate::journal::{ApiLayout, Journal};
use crate::paths::Paths;
use crate::settings::{SettingEntry, SettingKey, Settings, SettingsSources, SettingsValues};
use crate::vault::{SecretKey, Vault};
use crate::webhooks::WebhookHub;
use oneshot_client::{Client, DeliveryMethod};
use secrecy::SecretString;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

/// How to open a [`Desk`].
#[derive(Debug, Clone)]
pub struct DeskOptions {
    /// Where the desk keeps its files.
    pub paths: Paths,
    /// Connection values that override the settings for this process only (the CLI's
    /// `--optimizer`, `--layout`, `--ca-cert`, `--proxy`); never written to a file.
    pub connection_override: ConnectionOverride,
    /// Keyring service name; `None`: `oneshot-desk`.
    pub keyring_service: Option<String>,
    /// How request statuses are followed (VideoID identifications, asynchronous signing).
    pub following: StatusFollowing,
    /// The URL the Optimizer must call to reach this desk's webhook receiver, when the
    /// receiver's own address is not how the Optimizer reaches it (address translation, a
    /// reverse proxy); `None`: derived from `videoid.webhook_listen`.
    pub webhook_url: Option<url::Url>,
}

impl DeskOptions {
    /// The usual options for `paths`.
    pub fn new(paths: Paths) -> Self {
        DeskOptions {
            paths,
            connection_override: ConnectionOverride::default(),
            keyring_service: None,
            following: StatusFollowing::default(),
            webhook_url: None,
        }
    }
}

/// The desk's application layer. Clone it freely: clones share everything.
#[derive(Clone)]
pub struct Desk {
    pub(crate) inner: Arc<DeskInner>,
}

pub(crate) struct DeskInner {
    pub(crate) paths: Paths,
    pub(crate) sink: SharedSink,
    pub(crate) settings: RwLock<Settings>,
    pub(crate) connection_override: ConnectionOverride,
    pub(crate) vault: Arc<Vault>,
    pub(crate) journal: Arc<Journal>,
    clients: Mutex<HashMap<(String, ApiLayoutKey), Client>>,
    pub(crate) flows: FlowRegistry,
    /// Status changes from the webhook receiver, for the flows waiting on them.
    pub(crate) hub: Arc<WebhookHub>,
    /// The running webhook receiver (dropping it, with the desk, stops it).
    pub(crate) receiver: tokio::sync::Mutex<Option<webhooks::RunningReceiver>>,
    pub(crate) following: StatusFollowing,
    pub(crate) webhook_public_url: Option<url::Url>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ApiLayoutKey {
    Auto,
    Current,
    Legacy,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("paths", &self.inner.paths)
            .finish_non_exhaustive()
    }
}

/// Runs blocking work (keyring, journal, file checks) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => value,
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(error) => panic!("a blocking desk task was cancelled: {error}"),
    }
}

impl Desk {
    /// Opens the desk: creates its directories, reads the settings, opens the journal.
    pub fn open(options: DeskOptions, sink: impl EventSink) -> DeskResult<Desk> {
        crate::install_crypto_provider();
        options.paths.create_dirs()?;
        let settings = Settings::load(SettingsSources::from_paths(&options.paths))?;
        let journal = Journal::open(&options.paths.journal_file())?;
        let vault = match &options.keyring_service {
            Some(service) => Vault::with_service(service, options.paths.rao_token_index_file()),
            None => Vault::new(&options.paths),
        };
        Ok(Desk {
            inner: Arc::new(DeskInner {
                paths: options.paths,
                sink: Arc::new(sink),
                settings: RwLock::new(settings),
                connection_override: options.connection_override,
                vault: Arc::new(vault),
                journal: Arc::new(journal),
                clients: Mutex::new(HashMap::new()),
                flows: FlowRegistry::default(),
                hub: WebhookHub::new(),
                receiver: tokio::sync::Mutex::new(None),
                following: options.following,
                webhook_public_url: options.webhook_url,
            }),
        })
    }

    /// The desk's locations.
    pub fn paths(&self) -> &Paths {
        &self.inner.paths
    }

    // ----- settings -------------------------------------------------------------------------

    /// Every setting with its value, origin and lock.
    pub fn settings(&self) -> Vec<SettingEntry> {
        self.inner.read_settings().entries()
    }

    /// The effective values.
    pub fn settings_values(&self) -> SettingsValues {
        self.inner.read_settings().values().clone()
    }

    /// Problems in the settings files that did not stop loading (unknown keys, ...), as text.
    pub fn settings_warnings(&self) -> Vec<String> {
        self.inner
            .read_settings()
            .warnings()
            .iter()
            .map(|w| format!("{}: {}", w.at, w.message))
            .collect()
    }

    /// Changes a setting in the user's file (refused for keys IT locked); connections are
    /// rebuilt from the new values.
    pub async fn set_setting(
        &self,
        key: SettingKey,
        value: serde_json::Value,
    ) -> DeskResult<Vec<SettingEntry>> {
        self.change_settings(move |settings| settings.set(key, value))
            .await
    }

    /// [`Desk::set_setting`] from text as typed on a command line.
    pub async fn set_setting_text(
        &self,
        key: SettingKey,
        text: String,
    ) -> DeskResult<Vec<SettingEntry>> {
        self.change_settings(move |settings| settings.set_text(key, &text))
            .await
    }

    /// Removes the user's value for a setting.
    pub async fn reset_setting(&self, key: SettingKey) -> DeskResult<Vec<SettingEntry>> {
        self.change_settings(move |settings| settings.reset(key))
            .await
    }

    /// Reads the settings files again (after IT changed them).
    pub async fn reload_settings(&self) -> DeskResult<Vec<SettingEntry>> {
        self.change_settings(Settings::reload).await
    }

    async fn change_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<(), crate::settings::SettingsError>
        + Send
        + 'static,
    ) -> DeskResult<Vec<SettingEntry>> {
        let mut settings = self.inner.read_settings().clone();
        let settings = blocking(move || change(&mut settings).map(|()| settings)).await?;
        let entries = settings.entries();
        *self
            .inner
            .settings
            .write()
            .unwrap_or_else(PoisonError::into_inner) = settings;
        self.inner
            .clients
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        Ok(entries)
    }

    // ----- connection -----------------------------------------------------------------------

    /// The connection in effect: settings with this process's overrides.
    pub fn connection(&self) -> ConnectionSettings {
        self.inner.connection()
    }

    /// Tries a connection (typically the values on the settings screen before saving them):
    /// reachable, layout, version, or the failure's code. Never fails itself.
    pub async fn test_connection(&self, candidate: &ConnectionSettings) -> ConnectionReport {
        connection::test(candidate).await
    }

    /// Checks a file meant for `optimizer.ca_certificate` before it is chosen: it must be
    /// readable and hold at least one PEM certificate (`io.file`, `config.invalid` otherwise).
    /// Returns how many certificates it holds.
    pub async fn check_ca_certificate(&self, path: &Path) -> DeskResult<usize> {
        let path = path.to_path_buf();
        Ok(
            blocking(move || oneshot_client::CaCertificate::from_pem_file(&path))
                .await?
                .len(),
        )
    }

    // ----- secrets --------------------------------------------------------------------------

    /// Whether the OS keyring works (stores, reads back and deletes a probe entry).
    pub async fn keyring_available(&self) -> DeskResult<()> {
        let vault = self.inner.vault.clone();
        Ok(blocking(move || vault.available()).await?)
    }

    /// Stores the billing account's password in the keyring, for `billing.username`.
    pub async fn set_billing_password(&self, password: SecretString) -> DeskResult<()> {
        let username = self.billing_username()?;
        let vault = self.inner.vault.clone();
        blocking(move || vault.store(&SecretKey::BillingPassword { username }, &password)).await?;
        Ok(())
    }

    /// Removes the billing password from the keyring. Returns whether one was stored.
    pub async fn forget_billing_password(&self) -> DeskResult<bool> {
        let username = self.billing_username()?;
        let vault = self.inner.vault.clone();
        Ok(blocking(move || vault.delete(&SecretKey::BillingPassword { username })).await?)
    }

    /// Whether a billing password is stored for `billing.username`.
    pub async fn has_billing_password(&self) -> DeskResult<bool> {
        let username = self.billing_username()?;
        let vault = self.inner.vault.clone();
        Ok(
            blocking(move || vault.get(&SecretKey::BillingPassword { username }))
                .await?
                .is_some(),
        )
    }

    fn billing_username(&self) -> DeskResult<String> {
        self.inner
            .read_settings()
            .values()
            .billing
            .username
            .as_ref()
            .map(|u| u.as_str().to_string())
            .ok_or_else(|| {
                DeskError::new(
                    "billing.no_username",
                    "Set billing.username before storing the billing password",
                )
            })
    }

    // ----- checks ---------------------------------------------------------------------------

    /// The customer's problems, field by field (as the employee types).
    pub fn validate_customer(&self, draft: &CustomerDraft) -> Vec<FieldIssue> {
        crate::customer::validate_customer(draft)
    }

    /// Checks an ID photo before it is sent.
    pub async fn check_id_image(&self, path: &Path) -> DeskResult<CheckedImage> {
        let path = path.to_path_buf();
        Ok(blocking(move || crate::inputs::check_id_image(&path)).await?)
    }

    /// Checks a document before it is sent.
    pub async fn check_document(&self, path: &Path) -> DeskResult<CheckedDocument> {
        let path = path.to_path_buf();
        Ok(blocking(move || crate::inputs::check_document(&path)).await?)
    }

    // ----- flows ----------------------------------------------------------------------------

    /// Starts a classic flow: checks everything, journals it, then creates the request,
    /// uploads the documents and downloads the contract (state `contract_fetched`, ready for
    /// the review). Invalid input fails before anything is journaled or sent
    /// (`customer.invalid`, `pdf.encrypted`, ...). A failure after that leaves the flow
    /// journaled with the error (see [`FlowSnapshot::attention`]); the error is returned and
    /// the snapshot is emitted.
    pub async fn start_classic(&self, input: ClassicInput) -> DeskResult<FlowSnapshot> {
        Flows::start_classic(self.inner.clone(), input).await
    }

    /// The employee confirms the customer reviewed the contract and the documents.
    pub async fn confirm_review(&self, id: FlowId) -> DeskResult<FlowSnapshot> {
        Flows::confirm_review(self.inner.clone(), id).await
    }

    /// Sends the customer a signing code (`None`: the flow's delivery). A second code within a
    /// minute fails with `otp.too_soon` (see `otp.resend_available_at`).
    pub async fn send_otp(
        &self,
        id: FlowId,
        delivery: Option<DeliveryMethod>,
    ) -> DeskResult<FlowSnapshot> {
        Flows::send_otp(self.inner.clone(), id, delivery).await
    }

    /// Signs with the customer's code (or external authentication), then retrieves, verifies
    /// and saves every signed file and cleans the Optimizer. A wrong or expired code
    /// (`otp.invalid`) leaves the flow in `otp_sent` for another try.
    pub async fn sign(&self, id: FlowId, auth: SignAuthInput) -> DeskResult<FlowSnapshot> {
        Flows::sign(self.inner.clone(), id, auth).await
    }

    /// Continues a flow after an interruption, a lost answer or a fixed cause: reconciles
    /// every call whose outcome is unknown by reading the Optimizer's state back, then goes on
    /// as far as it can without the user.
    pub async fn resume(&self, id: FlowId, options: ResumeOptions) -> DeskResult<FlowSnapshot> {
        Flows::resume(self.inner.clone(), id, options).await
    }

    /// Ends a flow that is not signed yet: interrupts its running work, removes the request
    /// from the Optimizer (documents included), and marks it cancelled. Refused once signed
    /// (`flow.already_signed`): then only finishing (`resume`) keeps the signed files.
    pub async fn cancel(&self, id: FlowId) -> DeskResult<FlowSnapshot> {
        Flows::cancel(self.inner.clone(), id).await
    }

    /// Interrupts the work running on a flow (an upload, a download), leaving the flow where
    /// it is (resumable). Returns whether work was running.
    pub fn interrupt(&self, id: FlowId) -> bool {
        self.inner.flows.interrupt(id)
    }

    /// The flow's snapshot.
    pub async fn flow(&self, id: FlowId) -> DeskResult<FlowSnapshot> {
        Flows::snapshot(self.inner.clone(), id).await
    }

    /// Flows not finished yet, oldest first: what the desk offers to resume.
    pub async fn unfinished_flows(&self) -> DeskResult<Vec<FlowSnapshot>> {
        Flows::unfinished(self.inner.clone()).await
    }

    /// The latest flows, newest first (finished ones included).
    pub async fn recent_flows(&self, limit: usize) -> DeskResult<Vec<FlowSnapshot>> {
        Flows::recent(self.inner.clone(), limit).await
    }

    /// Practice mode: the code the simulated customer received (the simulator's SMS inbox).
    /// Only for flows started with `practice`, against the bundled simulator.
    pub async fn practice_code(&self, id: FlowId) -> DeskResult<crate::practice::PracticeCode> {
        Flows::practice_code(self.inner.clone(), id).await
    }

    // ----- VideoID ----------------------------------------------------------------------------

    /// The problems of a VideoID customer, field by field: only the mobile number and the
    /// email are required (the identification provides the rest).
    pub fn validate_videoid_customer(&self, draft: &CustomerDraft) -> Vec<FieldIssue> {
        crate::customer::validate_videoid_customer(draft)
    }

    /// The problems of an external identification's evidences, field by field (the images'
    /// files are read).
    pub async fn validate_evidences(&self, evidences: &EvidencesInput) -> Vec<FieldIssue> {
        let evidences = evidences.clone();
        blocking(move || crate::evidences::validate_evidences(&evidences)).await
    }

    /// Starts a VideoID flow: checks everything, journals it, creates the identification
    /// (`video_pending`; for eIDAS the snapshot carries the customer's link and its QR code)
    /// and, for an external one, uploads the evidences and the recording given, after which the
    /// request's status decides the state (`video_review` when all arrived). Invalid input
    /// fails before anything is journaled (`customer.invalid`, `evidences.invalid`,
    /// `video.unsupported_type`, ...).
    pub async fn start_videoid(&self, input: VideoIdInput) -> DeskResult<FlowSnapshot> {
        Flows::start_videoid(self.inner.clone(), input).await
    }

    /// Waits until the identification's status changes (the customer finished, left or
    /// failed; the RAO's review was made elsewhere), at most `timeout` (`None`: until it
    /// changes or the wait is interrupted). The status is read back on a slowing schedule and
    /// at once when the webhook receiver hears of the request. While it waits the flow shows
    /// what it waits for, and the employee's actions (approve, refuse, cancel, new evidences)
    /// end the wait. Returns the snapshot as it is at the end.
    pub async fn wait_for_identification(
        &self,
        id: FlowId,
        timeout: Option<Duration>,
    ) -> DeskResult<FlowSnapshot> {
        Flows::wait_for_identification(self.inner.clone(), id, timeout).await
    }

    /// Reads the request's status once and moves the flow with it: an identification, or an
    /// asynchronous signing the desk waits for ("check now").
    pub async fn refresh_flow(&self, id: FlowId) -> DeskResult<FlowSnapshot> {
        Flows::refresh(self.inner.clone(), id).await
    }

    /// Gives an external identification its evidences and/or recording (the first ones, or
    /// corrections after `video_incomplete` / `video_error`) and uploads them.
    pub async fn provide_evidences(
        &self,
        id: FlowId,
        evidences: Option<EvidencesInput>,
        video: Option<PathBuf>,
    ) -> DeskResult<FlowSnapshot> {
        Flows::provide_evidences(self.inner.clone(), id, evidences, video).await
    }

    /// Chooses (or changes) the documents of a VideoID flow, any time until they are uploaded;
    /// an approved flow then goes on with them.
    pub async fn set_documents(
        &self,
        id: FlowId,
        documents: Vec<PathBuf>,
    ) -> DeskResult<FlowSnapshot> {
        Flows::set_documents(self.inner.clone(), id, documents).await
    }

    /// The RAO approves the identification (`video_review` → `approved`, request
    /// `ENROLLREADY`); the flow then uploads the documents and fetches the contract
    /// (`contract_fetched`, ready for the review) — or waits for documents
    /// (`choose_documents`). Wrong credentials (`rao.invalid_credentials`) leave it in review.
    pub async fn approve_videoid(
        &self,
        id: FlowId,
        approval: RaoApproval,
    ) -> DeskResult<FlowSnapshot> {
        Flows::approve(self.inner.clone(), id, approval).await
    }

    /// The RAO refuses the identification with a reason; the request is cancelled on the
    /// Optimizer and the flow ends (`refused`).
    pub async fn refuse_videoid(
        &self,
        id: FlowId,
        approval: RaoApproval,
        reason: String,
    ) -> DeskResult<FlowSnapshot> {
        Flows::refuse(self.inner.clone(), id, approval, reason).await
    }

    /// Downloads the identification's recording into `folder` for the RAO's review (streamed,
    /// with progress events; written to a temporary file, flushed, then given its name
    /// `VideoID <pk>.mp4` — numbered rather than replacing anything). Returns where it is.
    pub async fn download_videoid_video(&self, id: FlowId, folder: &Path) -> DeskResult<PathBuf> {
        Flows::download_video(self.inner.clone(), id, folder).await
    }

    /// Starts the webhook receiver on `videoid.webhook_listen` (moving or stopping it when the
    /// setting changed) and returns its address; `None` when no address is set. Flows start it
    /// when they need it; the window starts it at launch so that webhooks for flows of an
    /// earlier session arrive too. It stops when the last clone of the desk is dropped.
    pub async fn start_webhook_receiver(&self) -> DeskResult<Option<SocketAddr>> {
        self.inner.ensure_webhooks().await
    }

    /// Emits an event through the desk's sink (front ends may add their own notices).
    pub fn emit(&self, event: DeskEvent) {
        self.inner.sink.emit(event);
    }
}

impl DeskInner {
    pub(crate) fn read_settings(&self) -> std::sync::RwLockReadGuard<'_, Settings> {
        self.settings.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn connection(&self) -> ConnectionSettings {
        let settings = self.read_settings();
        ConnectionSettings::from_settings(&settings.values().optimizer)
            .with_override(&self.connection_override)
    }

    /// A client for `url` and `layout` (`None`: the configured layout preference) with the
    /// connection settings in effect, kept while the settings do not change.
    pub(crate) fn client_for(&self, url: &str, layout: Option<ApiLayout>) -> DeskResult<Client> {
        let mut connection = self.connection();
        connection.url = Some(url.to_string());
        let key_layout = match layout {
            Some(ApiLayout::Current) => ApiLayoutKey::Current,
            Some(ApiLayout::Legacy) => ApiLayoutKey::Legacy,
            None => match connection.layout {
                crate::settings::LayoutPreference::Auto => ApiLayoutKey::Auto,
                crate::settings::LayoutPreference::Current => ApiLayoutKey::Current,
                crate::settings::LayoutPreference::Legacy => ApiLayoutKey::Legacy,
            },
        };
        connection.layout = match key_layout {
            ApiLayoutKey::Auto => crate::settings::LayoutPreference::Auto,
            ApiLayoutKey::Current => crate::settings::LayoutPreference::Current,
            ApiLayoutKey::Legacy => crate::settings::LayoutPreference::Legacy,
        };
        let key = (url.to_string(), key_layout);
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = connection.client()?;
        clients.insert(key, client.clone());
        Ok(client)
    }

    /// The client for the configured Optimizer; `optimizer.not_configured` without a URL.
    pub(crate) fn configured_client(&self) -> DeskResult<(String, Client)> {
        let url = self.connection().url.ok_or_else(|| {
            DeskError::new(
                "optimizer.not_configured",
                "No Optimizer URL is configured (setting optimizer.url)",
            )
        })?;
        let client = self.client_for(&url, None)?;
        Ok((url, client))
    }

    pub(crate) fn emit(&self, event: DeskEvent) {
        self.sink.emit(event);
    }
}
