//! The layout-neutral Optimizer: requests and their state machine, documents, tokens, images,
//! VideoID, the OTP inbox and the events that feed webhooks. The HTTP layouts are thin shells
//! over these operations.

pub mod credentials;
pub mod documents;
pub mod error;
pub mod form;
pub mod hashfile;
pub mod images;
pub mod legacy_misc;
pub mod model;
pub mod otp;
pub mod pdf_sniff;
pub mod record;
pub mod requests;
pub mod rng;
pub mod sign;
pub mod store;
pub mod time;
pub mod tokens;
pub mod validate;
pub mod videoid;

use crate::config::{Env, SimConfig};
use crate::faults::Faults;
use crate::signing::Signing;
use crate::webhooks::{Event, Webhooks};
use error::{ApiError, ApiResult};
use model::{State, Status, StatusChange};
use rng::{SimRng, Stream};
use secrecy::SecretString;
use std::sync::Mutex;
use store::Store;

/// Settings the legacy settings API can change at run time (start from the configuration).
#[derive(Clone)]
pub struct RuntimeSettings {
    /// Environment in settings.
    pub env: Option<Env>,
    /// Default RA.
    pub default_ra: Option<String>,
    /// Default profile.
    pub default_profile: Option<String>,
    /// Billing username.
    pub billing_username: Option<String>,
    /// Billing password (base64).
    pub billing_password: Option<SecretString>,
    /// TSA URL the settings API reports.
    pub tsa_url: String,
}

/// The simulated Optimizer.
pub struct Core {
    /// Configuration of this run.
    pub config: SimConfig,
    /// Data directory.
    pub store: Store,
    state: tokio::sync::Mutex<State>,
    ids: Mutex<SimRng>,
    otp_rng: Mutex<SimRng>,
    /// Active faults.
    pub faults: Faults,
    /// How often each operation was performed.
    pub calls: crate::calls::CallLog,
    /// CA, signer certificates, PAdES/CMS.
    pub signing: Signing,
    /// Webhook delivery.
    pub webhooks: Webhooks,
    settings: Mutex<RuntimeSettings>,
}

/// A change being made to the state: applied to a copy, saved, then swapped in, so a failed
/// operation or a failed save changes nothing. Status changes collect webhook events.
pub struct Tx<'a> {
    /// The draft state.
    pub state: &'a mut State,
    events: Vec<(u64, Option<Status>, Status, Option<&'static str>)>,
}

impl Tx<'_> {
    /// Moves request `pk` to `to`, recording history and queueing the webhook event
    /// (`event_type` overrides the one derived from the transition).
    pub fn set_status(&mut self, pk: u64, to: Status, event_type: Option<&'static str>) {
        if let Some(request) = self.state.requests.get_mut(&pk) {
            let from = request.status;
            request.status = to;
            request.history.push(StatusChange {
                from: Some(from),
                to,
                at: time::rfc3339(time::now()),
            });
            self.events.push((pk, Some(from), to, event_type));
        }
    }

    /// Records the creation of request `pk` in status `status`.
    pub fn created(&mut self, pk: u64, status: Status) {
        self.events.push((pk, None, status, None));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Every critical section is a single read or assignment, so a poisoned lock holds a
    // consistent value.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Core {
    /// Assembles the core; `state` is the loaded or fresh state.
    pub fn new(
        config: SimConfig,
        store: Store,
        state: State,
        signing: Signing,
        webhooks: Webhooks,
    ) -> Self {
        let settings = RuntimeSettings {
            env: config.env,
            default_ra: config.default_ra.clone(),
            default_profile: config.default_profile.clone(),
            billing_username: config.billing.as_ref().map(|b| b.username.clone()),
            billing_password: config.billing.as_ref().map(|b| b.password_b64.clone()),
            tsa_url: "in-process test TSA".into(),
        };
        let faults = Faults::new(
            config.faults.clone(),
            SimRng::stream(config.seed, Stream::Faults),
        );
        Self {
            ids: Mutex::new(SimRng::stream(config.seed, Stream::Ids)),
            otp_rng: Mutex::new(SimRng::stream(config.seed, Stream::Otp)),
            faults,
            calls: crate::calls::CallLog::default(),
            config,
            store,
            state: tokio::sync::Mutex::new(state),
            signing,
            webhooks,
            settings: Mutex::new(settings),
        }
    }

    /// Prepares loaded state for this run: a background sign cut short by a stop never
    /// finished (the request can be signed again), and the sandbox token exists. Saves.
    pub fn initialize(&self) -> std::io::Result<()> {
        let mut state = self.state.blocking_lock();
        for request in state.requests.values_mut().filter(|r| r.signing) {
            request.signing = false;
            request.sign_error = Some("signing interrupted by a restart of the Optimizer".into());
        }
        if self
            .config
            .sandbox_token
            .as_ref()
            .is_some_and(|t| !state.tokens.contains_key(t))
        {
            self.seed_sandbox_token(&mut state);
        }
        self.store.save_state(&state)
    }

    /// A copy of the runtime settings.
    pub fn settings(&self) -> RuntimeSettings {
        lock(&self.settings).clone()
    }

    /// Replaces the runtime settings.
    pub fn set_settings(&self, settings: RuntimeSettings) {
        *lock(&self.settings) = settings;
    }

    /// A fresh UUID.
    pub fn new_uuid(&self) -> String {
        lock(&self.ids).uuid()
    }

    /// A fresh 32-hex id.
    pub fn new_hex_id(&self) -> String {
        lock(&self.ids).hex32()
    }

    /// `n` random digits from the id stream.
    pub fn new_digits(&self, n: usize) -> String {
        lock(&self.ids).digits(n)
    }

    /// A fresh OTP.
    pub fn new_otp(&self) -> String {
        lock(&self.otp_rng).digits(6)
    }

    /// Reads the state.
    pub async fn read<T>(&self, f: impl FnOnce(&State) -> ApiResult<T>) -> ApiResult<T> {
        let state = self.state.lock().await;
        f(&state)
    }

    /// Changes the state atomically and persists it; webhooks for status changes follow.
    pub async fn write<T>(&self, f: impl FnOnce(&mut Tx<'_>) -> ApiResult<T>) -> ApiResult<T> {
        let mut guard = self.state.lock().await;
        let mut draft = guard.clone();
        let mut tx = Tx {
            state: &mut draft,
            events: Vec::new(),
        };
        let value = f(&mut tx)?;
        let events = std::mem::take(&mut tx.events);
        self.store.save_state(&draft).map_err(ApiError::storage)?;
        for (pk, from, to, event_type) in events {
            if let Some(request) = draft.requests.get(&pk)
                && let Some(url) = self.webhook_target(request)
            {
                self.webhooks
                    .send(Event::new(url, request, from, to, event_type));
            }
        }
        *guard = draft;
        Ok(value)
    }

    /// Where events of `request` go: its own callback, else the RA-configured URL.
    fn webhook_target(&self, request: &model::Request) -> Option<String> {
        request
            .callback
            .clone()
            .or_else(|| self.config.webhook_url.clone())
    }
}
