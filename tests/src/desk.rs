//! A desk set up against a simulated Optimizer, as IT would set up a workstation: the simulator
//! runs in the test process, a system-wide settings file points the desk at it, and a RAO token
//! created through the real API sits in the real keyring of the test session.

use crate::app::AppOptions;
use anyhow::{Context, Result};
use desk_core::Desk;
use optimizer_sim::{SimConfig, SimHandle, Simulator};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Which path layout the desk is configured for.
#[derive(Debug, Clone, Copy)]
pub enum Layout {
    Current,
    Legacy,
}

impl Layout {
    fn as_str(self) -> &'static str {
        match self {
            Layout::Current => "current",
            Layout::Legacy => "legacy",
        }
    }
}

/// A simulator plus a workstation home configured to use it.
pub struct SimulatedDesk {
    pub sim: SimHandle,
    home: tempfile::TempDir,
    /// The label of the RAO token stored for this desk (unique per test: the keyring is shared).
    pub token_label: String,
}

impl SimulatedDesk {
    /// Starts a simulator (`adjust` tunes it) and prepares a workstation home pointing at it.
    pub async fn start(layout: Layout, adjust: impl FnOnce(&mut SimConfig)) -> Result<Self> {
        let mut config = SimConfig {
            seed: Some(7),
            ..SimConfig::default()
        };
        adjust(&mut config);
        // The token the desk stores is the one this simulator accepts.
        let token = config
            .sandbox_token
            .clone()
            .unwrap_or_else(|| optimizer_sim::SANDBOX_TOKEN.to_owned());
        let sim = Simulator::start(config)
            .await
            .context("starting the simulator")?;
        let home = tempfile::tempdir()?;
        let desk = Self {
            sim,
            home,
            token_label: unique_label(),
        };
        std::fs::write(desk.system_config(), desk.system_settings(layout))?;
        desk.store_token(token).await?;
        Ok(desk)
    }

    /// The environment that points the app at this workstation home.
    pub fn app_options(&self) -> AppOptions {
        AppOptions {
            env: self.env(),
            home: Some(self.home.path().to_path_buf()),
            ..AppOptions::default()
        }
    }

    /// Where the desk saves signed documents.
    pub fn output_dir(&self) -> PathBuf {
        self.home.path().join("signed")
    }

    /// The simulator's CA certificate, to validate saved signatures.
    pub fn ca_pem(&self) -> String {
        self.sim.ca_certificate_pem()
    }

    /// IT's system-wide settings file for this desk (the path [`crate::App`] points the app at).
    pub fn system_config(&self) -> PathBuf {
        self.home.path().join("system-config.toml")
    }

    /// What IT writes for this desk: the Optimizer, the request defaults, the output folder.
    fn system_settings(&self, layout: Layout) -> String {
        format!(
            "[optimizer]\nurl = \"{url}\"\nlayout = \"{layout}\"\n\n\
             [request]\nenvironment = \"sandbox\"\nregistration_authority = \"9999\"\n\
             profile = \"PFnubeNC\"\n\n[output]\nfolder = \"{output}\"\n\n\
             [rao]\ndefault_token_label = \"{label}\"\n",
            url = self.sim.base_url(),
            layout = layout.as_str(),
            output = self.output_dir().display(),
            label = self.token_label,
        )
    }

    fn env(&self) -> Vec<(String, String)> {
        crate::home::desk_env(self.home.path())
    }

    /// The desk over this home (the same settings, journal and keyring the app uses), to check
    /// what the window did.
    pub fn desk(&self) -> Result<Desk> {
        crate::home::open_desk(self.home.path())
    }

    /// Makes IT lock `keys` (or sections) in the system-wide file, as `locked = [...]`.
    pub fn lock(&self, keys: &[&str]) -> Result<()> {
        let path = self.system_config();
        let settings = std::fs::read_to_string(&path)?;
        let list: Vec<String> = keys.iter().map(|key| format!("\"{key}\"")).collect();
        std::fs::write(
            &path,
            format!("locked = [{}]\n\n{settings}", list.join(", ")),
        )?;
        Ok(())
    }

    /// Keeps the simulator's preconfigured sandbox token (its practice RAO's) in the keyring,
    /// as an administrator handing a workstation its token would.
    async fn store_token(&self, token: String) -> Result<()> {
        self.desk()?
            .store_token(
                &self.token_label,
                SecretString::from(token),
                Some(optimizer_sim::PRACTICE_RAO_USERNAME.to_owned()),
                true,
            )
            .await?;
        Ok(())
    }

    /// Points the desk at another Optimizer address (e.g. a closed port, to see how the window
    /// explains an unreachable Optimizer), as IT would by editing the system settings file.
    pub fn set_optimizer_url(&self, url: &str) -> Result<()> {
        let path = self.system_config();
        let settings = std::fs::read_to_string(&path)?;
        let current = format!("url = \"{}\"", self.sim.base_url());
        anyhow::ensure!(
            settings.contains(&current),
            "the system settings do not name the simulator"
        );
        std::fs::write(
            &path,
            settings.replace(&current, &format!("url = \"{url}\"")),
        )?;
        Ok(())
    }

    /// The desk's home (data, config, logs, signed documents).
    pub fn home(&self) -> &Path {
        self.home.path()
    }
}

fn unique_label() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!(
        "e2e {} {}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}
