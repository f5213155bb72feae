//! One running app window under test.

use crate::driver::Driver;
use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How to start the app for a test.
#[derive(Default)]
pub struct AppOptions {
    /// Extra environment for the app (e.g. the Optimizer URL of a simulator).
    pub env: Vec<(String, String)>,
}

/// The app under test, its private directories and its WebDriver session.
pub struct App {
    pub client: Client,
    driver: Option<Driver>,
    home: tempfile::TempDir,
    artifacts: PathBuf,
    shots: u32,
}

impl App {
    /// Starts the app for the test named `test_name`; screenshots go to
    /// `<artifacts>/<test_name>/`.
    pub async fn start(test_name: &str, options: AppOptions) -> Result<Self> {
        let home = tempfile::tempdir()?;
        let artifacts = artifacts_dir().join(test_name);
        std::fs::create_dir_all(&artifacts)?;
        let mut env = vec![
            (
                "ONESHOT_DESK_DATA_DIR".to_owned(),
                path_string(&home.path().join("data")),
            ),
            (
                "ONESHOT_DESK_CONFIG_DIR".to_owned(),
                path_string(&home.path().join("config")),
            ),
            (
                "ONESHOT_DESK_LOG_DIR".to_owned(),
                path_string(&home.path().join("logs")),
            ),
        ];
        env.extend(options.env);
        let driver = Driver::start(&env, &artifacts).await?;
        let capabilities = serde_json::json!({
            "tauri:options": { "application": path_string(&app_binary()?) }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .context("opening a WebDriver session with the app")?;
        Ok(Self {
            client,
            driver: Some(driver),
            home,
            artifacts,
            shots: 0,
        })
    }

    /// The app's private home (data, config and log directories live below it).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Waits up to 15 s for the element with this `data-testid` to be present.
    pub async fn find(&self, test_id: &str) -> Result<Element> {
        let selector = format!("[data-testid=\"{test_id}\"]");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match self.client.find(Locator::Css(&selector)).await {
                Ok(element) => return Ok(element),
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => bail!("no element [data-testid={test_id}] after 15 s: {error}"),
            }
        }
    }

    /// Saves a PNG screenshot of the window as the next numbered step of this test.
    pub async fn screenshot(&mut self, step: &str) -> Result<PathBuf> {
        self.shots += 1;
        let path = self.artifacts.join(format!("{:02}-{step}.png", self.shots));
        let png = self.client.screenshot().await?;
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Ends the session and stops the driver (and with it the app).
    pub async fn close(mut self) -> Result<()> {
        let result = self.client.clone().close().await;
        if let Some(driver) = self.driver.take() {
            driver.stop().await;
        }
        result.map_err(Into::into)
    }
}

/// Where screenshots and logs of end-to-end runs are kept (`ONESHOT_E2E_ARTIFACTS` or
/// `<workspace>/artifacts/e2e`).
fn artifacts_dir() -> PathBuf {
    std::env::var_os("ONESHOT_E2E_ARTIFACTS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts/e2e"),
        PathBuf::from,
    )
}

/// The app binary under test: `ONESHOT_DESK_APP`, set by `cargo xtask test` after building it.
fn app_binary() -> Result<PathBuf> {
    let path = std::env::var_os("ONESHOT_DESK_APP")
        .map(PathBuf::from)
        .context(
            "ONESHOT_DESK_APP is not set: run the end-to-end tests through `cargo xtask test`, \
         which builds the app first",
        )?;
    if !path.is_file() {
        bail!(
            "the app binary {} does not exist: run `cargo xtask test`",
            path.display()
        );
    }
    Ok(path)
}

fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
