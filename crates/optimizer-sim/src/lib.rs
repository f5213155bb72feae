//! A faithful local One-Shot Optimizer for development, practice mode and tests.
//!
//! Both API layouts are served at once (`/oneshot/api/v1/...` and `/api/v1/...`) over one
//! layout-neutral core, with real PAdES/CMS signatures from a throw-away CA (crate
//! `sim-signer`), an SMS inbox, a VideoID customer page, webhooks and fault injection.
//!
//! ```no_run
//! # async fn demo() -> Result<(), optimizer_sim::StartError> {
//! let sim = optimizer_sim::Simulator::start(optimizer_sim::SimConfig::default()).await?;
//! println!("{} (CA: {} bytes)", sim.base_url(), sim.ca_certificate_pem().len());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

pub mod calls;
pub mod config;
mod core;
pub mod faults;
mod http;
mod signing;
mod webhooks;

pub use calls::CallCount;
pub use config::{
    BillingCredentials, Env, ExtUnlockPolicy, PRACTICE_RAO_ID, PRACTICE_RAO_PASSWORD,
    PRACTICE_RAO_PIN, PRACTICE_RAO_USERNAME, RaoAccount, SANDBOX_TOKEN, SimConfig, VideoIdMode,
    WebhookFormat,
};
pub use faults::{FaultCounts, FaultPlan, FaultSpecError, Op};

use crate::core::Core;
use crate::core::store::Store;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Why the simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The data directory or its state file could not be used.
    #[error("data directory: {0}")]
    Storage(#[from] std::io::Error),
    /// The trust service (CA) could not be created or loaded.
    #[error("trust service: {0}")]
    Trust(#[from] sim_signer::SignerError),
    /// A background task failed.
    #[error("start-up task failed: {0}")]
    Task(String),
}

impl StartError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            StartError::Storage(_) => "sim.storage",
            StartError::Trust(_) => "sim.trust",
            StartError::Task(_) => "sim.task",
        }
    }
}

/// A simulator ready to serve.
pub struct Simulator {
    core: Arc<Core>,
}

impl Simulator {
    /// Opens the data directory (loading saved state), creates or loads the CA.
    pub async fn new(config: SimConfig) -> Result<Self, StartError> {
        tokio::task::spawn_blocking(move || Self::new_blocking(config))
            .await
            .map_err(|e| StartError::Task(e.to_string()))?
    }

    fn new_blocking(config: SimConfig) -> Result<Self, StartError> {
        // The workspace builds reqwest with `rustls-no-provider` (the desk picks ring), and cargo
        // unifies that feature into this crate too: without a process-wide provider, building
        // the webhook client would panic. Installing one twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = Store::open(config.data_dir.as_deref())?;
        let trust_dir = config.data_dir.as_ref().map(|_| store.trust_dir());
        let signing = signing::Signing::new(trust_dir.as_deref(), config.seed, config.timestamp)?;
        let state = store.load_state()?.unwrap_or_default();
        let hooks = webhooks::Webhooks::new(
            config.webhook_format,
            config.webhook_attempts,
            config.webhook_backoff,
        );
        let core = Core::new(config, store, state, signing, hooks);
        core.initialize()?;
        Ok(Self {
            core: Arc::new(core),
        })
    }

    /// Binds `127.0.0.1:0` and serves.
    pub async fn start(config: SimConfig) -> Result<SimHandle, StartError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Self::new(config).await?.serve(listener).await
    }

    /// Serves on `listener` in a background task until the handle is shut down or dropped.
    pub async fn serve(self, listener: TcpListener) -> Result<SimHandle, StartError> {
        let addr = listener.local_addr()?;
        let (tx, rx) = watch::channel(false);
        let router = http::router(self.core.clone());
        let task = tokio::spawn(http::conn::serve(listener, router, rx));
        Ok(SimHandle {
            addr,
            core: self.core,
            shutdown: tx,
            task: Some(task),
        })
    }
}

/// A running simulator. Dropping it stops the server (a temporary data directory is removed
/// once the last request in flight is done).
pub struct SimHandle {
    addr: SocketAddr,
    core: Arc<Core>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The CA certificate (PEM), the trust root of every signature it makes.
    pub fn ca_certificate_pem(&self) -> String {
        self.core.signing.ca_pem()
    }

    /// Where documents and state live.
    pub fn data_dir(&self) -> PathBuf {
        self.core.store.root().to_path_buf()
    }

    /// The data directory path without copying.
    pub fn data_path(&self) -> &Path {
        self.core.store.root()
    }

    /// Replaces the active faults (the same as `POST /_sim/faults`).
    pub fn set_faults(&self, plan: FaultPlan) {
        self.core.faults.set(plan);
    }

    /// How often `op` was performed and succeeded since start, over every request.
    pub fn calls(&self, op: Op) -> CallCount {
        self.core.calls.total(op)
    }

    /// How often `op` was performed and succeeded for the request (or VideoID) `id` named in
    /// its path.
    pub fn calls_for(&self, op: Op, id: u64) -> CallCount {
        self.core.calls.for_id(op, id)
    }

    /// How often each kind of fault fired since start.
    pub fn faults_fired(&self) -> FaultCounts {
        self.core.faults.fired()
    }

    /// Stops accepting, lets open connections finish (bounded), and waits for the server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
