//! One running app window under test.

use crate::display::Display;
use crate::driver::Driver;
use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The app window's title (tauri.conf.json), how the X server names it.
const WINDOW_TITLE: &str = "OneShot Desk";

/// How long the waits below give the window, unless told otherwise.
const WAIT: Duration = Duration::from_secs(15);

/// How often they look again.
const POLL: Duration = Duration::from_millis(100);

/// Asks `probe` every [`POLL`] until it answers `Some`, for up to `limit`; `None` when time ran
/// out. An error from `probe` ends the wait at once.
async fn poll<T>(
    limit: Duration,
    mut probe: impl AsyncFnMut() -> Result<Option<T>>,
) -> Result<Option<T>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = probe().await? {
            return Ok(Some(value));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        tokio::time::sleep(POLL).await;
    }
}

/// How to start the app for a test.
#[derive(Default)]
pub struct AppOptions {
    /// Extra environment for the app (e.g. where its settings and data live).
    pub env: Vec<(String, String)>,
    /// The workstation home whose folders `env` names; `None`: a fresh temporary one.
    pub home: Option<PathBuf>,
    /// The app binary; `None`: the one just built (`ONESHOT_DESK_APP`).
    pub binary: Option<PathBuf>,
}

/// The app under test, its private directories and its WebDriver session.
pub struct App {
    pub client: Client,
    driver: Option<Driver>,
    display: Option<Display>,
    home: Home,
    artifacts: PathBuf,
    shots: u32,
    launch: Launch,
}

/// When the session that launched the app was requested and when it was ready (wall clock, so
/// the page's own clock, `performance.timeOrigin`, can be set against it).
#[derive(Clone, Copy, Debug)]
pub struct Launch {
    pub requested: std::time::SystemTime,
    pub ready: std::time::SystemTime,
}

impl App {
    /// Starts the app for the test named `test_name`; screenshots go to
    /// `<artifacts>/<test_name>/`.
    pub async fn start(test_name: &str, options: AppOptions) -> Result<Self> {
        let home = match options.home {
            Some(path) => Home::Given(path),
            None => Home::Temporary(tempfile::tempdir()?),
        };
        let artifacts = artifacts_dir().join(test_name);
        std::fs::create_dir_all(&artifacts)?;
        let display = Display::start().await?;
        let mut env = vec![
            ("DISPLAY".to_owned(), display.name.clone()),
            // The window's language follows the system's; tests read English.
            ("LANG".to_owned(), "C.UTF-8".to_owned()),
            ("LANGUAGE".to_owned(), "en_US".to_owned()),
        ];
        // Every folder of the desk below the test's home, and no system-wide file but the
        // test's own (absent unless the test writes one), whatever this machine has in /etc.
        env.extend(crate::home::desk_env(home.path()));
        env.extend(options.env);
        let binary = match options.binary {
            Some(binary) => binary,
            None => app_binary()?,
        };
        let (driver, client, launch) = start_session(&binary, &env, &artifacts).await?;
        Ok(Self {
            client,
            driver: Some(driver),
            display: Some(display),
            home,
            artifacts,
            shots: 0,
            launch,
        })
    }

    /// The X display the app runs on (for tools that drive its native dialogs).
    pub fn display(&self) -> &str {
        self.display
            .as_ref()
            .map_or("", |display| display.name.as_str())
    }

    /// When the app was launched (its WebDriver session requested) and when its session was ready.
    pub fn launch(&self) -> Launch {
        self.launch
    }

    /// The process id of tauri-driver, whose descendants are the app and its web processes.
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.as_ref().and_then(Driver::pid)
    }

    /// The app's private home (data, config and log directories live below it).
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Waits up to 15 s for the element with this `data-testid` to be present.
    pub async fn find(&self, test_id: &str) -> Result<Element> {
        let selector = format!("[data-testid=\"{test_id}\"]");
        let mut last_error = None;
        let found = poll(WAIT, async || {
            match self.client.find(Locator::Css(&selector)).await {
                Ok(element) => Ok(Some(element)),
                Err(error) => {
                    last_error = Some(error);
                    Ok(None)
                }
            }
        })
        .await?;
        match (found, last_error) {
            (Some(element), _) => Ok(element),
            (None, Some(error)) => bail!("no element [data-testid={test_id}] after 15 s: {error}"),
            (None, None) => bail!("no element [data-testid={test_id}] after 15 s"),
        }
    }

    /// Clicks the element with this `data-testid`. The window re-renders as the flow moves on,
    /// so an element found a moment ago may be replaced before the click: it is found again.
    pub async fn click(&self, test_id: &str) -> Result<()> {
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.find(test_id).await?.click().await {
                Ok(()) => return Ok(()),
                Err(_) if attempts < 3 => tokio::time::sleep(Duration::from_millis(200)).await,
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Waits up to 15 s until the element's text satisfies `check`, and returns the text.
    pub async fn wait_text(&self, test_id: &str, check: impl Fn(&str) -> bool) -> Result<String> {
        let mut last = String::new();
        let shown = poll(WAIT, async || {
            last = match self.find(test_id).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            Ok(check(&last).then(|| last.clone()))
        })
        .await?;
        shown.with_context(|| {
            format!("[data-testid={test_id}] never showed the expected text; last: {last:?}")
        })
    }

    /// Waits up to 15 s until the element's attribute has this value.
    pub async fn wait_attribute(&self, test_id: &str, attribute: &str, value: &str) -> Result<()> {
        self.wait_attribute_within(test_id, attribute, value, WAIT)
            .await
    }

    /// Waits up to `limit` until the element's attribute has this value (for long work such as
    /// signing and saving documents).
    pub async fn wait_attribute_within(
        &self,
        test_id: &str,
        attribute: &str,
        value: &str,
        limit: Duration,
    ) -> Result<()> {
        let mut last = None;
        let seen = poll(limit, async || {
            // A replaced element (stale) simply counts as "not yet".
            if let Ok(element) = self.find(test_id).await {
                last = element.attr(attribute).await.ok().flatten();
            }
            Ok((last.as_deref() == Some(value)).then_some(()))
        })
        .await?;
        seen.with_context(|| {
            format!("[data-testid={test_id}] never had {attribute}={value:?} (last seen: {last:?})")
        })
    }

    /// The element's attribute now (`None` when it has none).
    pub async fn attribute(&self, test_id: &str, attribute: &str) -> Result<Option<String>> {
        Ok(self.find(test_id).await?.attr(attribute).await?)
    }

    /// Whether the control with this `data-testid` can be used now (not disabled).
    pub async fn is_enabled(&self, test_id: &str) -> Result<bool> {
        Ok(self.find(test_id).await?.is_enabled().await?)
    }

    /// Waits up to 15 s until the control with this `data-testid` can be used (for buttons that
    /// stay disabled while the work they started runs).
    pub async fn wait_enabled(&self, test_id: &str) -> Result<()> {
        let enabled = poll(WAIT, async || {
            // A replaced element (stale) simply counts as "not yet".
            Ok(match self.find(test_id).await {
                Ok(element) => element.is_enabled().await.unwrap_or(false).then_some(()),
                Err(_) => None,
            })
        })
        .await?;
        enabled.with_context(|| format!("[data-testid={test_id}] was still disabled after 15 s"))
    }

    /// The current value of the input with this `data-testid` (what a person sees in it).
    pub async fn value(&self, test_id: &str) -> Result<String> {
        Ok(self
            .find(test_id)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    /// Whether the check box or radio button with this `data-testid` is checked.
    pub async fn is_selected(&self, test_id: &str) -> Result<bool> {
        Ok(self.find(test_id).await?.is_selected().await?)
    }

    /// Whether an element with this `data-testid` is present right now.
    pub async fn exists(&self, test_id: &str) -> Result<bool> {
        let selector = format!("[data-testid=\"{test_id}\"]");
        Ok(!self
            .client
            .find_all(Locator::Css(&selector))
            .await?
            .is_empty())
    }

    /// Waits up to 15 s until no element with this `data-testid` is present.
    pub async fn wait_gone(&self, test_id: &str) -> Result<()> {
        let gone = poll(WAIT, async || {
            Ok((!self.exists(test_id).await?).then_some(()))
        })
        .await?;
        gone.with_context(|| format!("[data-testid={test_id}] is still there after 15 s"))
    }

    /// An attribute of the document's root element (`<html>`), e.g. `data-theme` or `lang`.
    pub async fn root_attribute(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .client
            .find(Locator::Css("html"))
            .await?
            .attr(name)
            .await?)
    }

    /// Types into the input with this `data-testid`, replacing what it held.
    pub async fn fill(&self, test_id: &str, text: &str) -> Result<()> {
        let input = self.find(test_id).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Presses Enter in the element with this `data-testid` (submits its form).
    pub async fn press_enter(&self, test_id: &str) -> Result<()> {
        let key = char::from(fantoccini::key::Key::Enter).to_string();
        self.find(test_id).await?.send_keys(&key).await?;
        Ok(())
    }

    /// Runs `script` in the page as an asynchronous WebDriver script: it gets `args`, then the
    /// callback to call with its result as the last argument.
    pub async fn run_async(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> Result<serde_json::Value> {
        Ok(self.client.execute_async(script, args).await?)
    }

    /// Saves a PNG screenshot of the window as the next numbered step of this test, and checks
    /// the screen with axe-core (see [`crate::accessibility`]).
    pub async fn screenshot(&mut self, step: &str) -> Result<PathBuf> {
        self.shots += 1;
        let path = self.artifacts.join(format!("{:02}-{step}.png", self.shots));
        // WebKit paints after the DOM changes; a capture right after a change can show the
        // frame before it. Two animation frames later the change is on screen (a timer ends the
        // wait should frames not come, e.g. while the window is hidden).
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];\n\
                 const timer = setTimeout(() => done(null), 1000);\n\
                 requestAnimationFrame(() => requestAnimationFrame(() => \
                 { clearTimeout(timer); setTimeout(() => done(null), 50); }));",
                Vec::new(),
            )
            .await?;
        let png = match &self.display {
            Some(display) => display.capture(WINDOW_TITLE).await?,
            None => self.client.screenshot().await?,
        };
        std::fs::write(&path, png)?;
        // Every screen a test shows is also checked for accessibility.
        crate::accessibility::assert_accessible(&self.client, &path).await?;
        Ok(path)
    }

    /// Ends the session and stops the driver (and with it the app).
    pub async fn close(mut self) -> Result<()> {
        let result = self.client.clone().close().await;
        if let Some(driver) = self.driver.take() {
            driver.stop().await;
        }
        if let Some(display) = self.display.take() {
            display.stop().await;
        }
        result.map_err(Into::into)
    }
}

/// The app's private folders: the test's own, or a temporary one removed afterwards.
enum Home {
    Given(PathBuf),
    Temporary(tempfile::TempDir),
}

impl Home {
    fn path(&self) -> &Path {
        match self {
            Home::Given(path) => path,
            Home::Temporary(dir) => dir.path(),
        }
    }
}

/// Starts tauri-driver and opens a session with the app. A loaded machine occasionally fails the
/// first WebDriver handshake (WebKitWebDriver still starting); a fresh driver is tried three more
/// times, a little later each time.
async fn start_session(
    binary: &Path,
    env: &[(String, String)],
    artifacts: &Path,
) -> Result<(Driver, Client, Launch)> {
    let capabilities = serde_json::json!({
        "tauri:options": { "application": path_string(binary) }
    });
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let mut last_error = None;
    for attempt in 0..4 {
        if attempt > 0 {
            // A loaded machine needs a moment before WebKitWebDriver answers again.
            tokio::time::sleep(Duration::from_secs(attempt)).await;
        }
        let driver = Driver::start(env, artifacts).await?;
        let requested = std::time::SystemTime::now();
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
        {
            Ok(client) => {
                let ready = std::time::SystemTime::now();
                return Ok((driver, client, Launch { requested, ready }));
            }
            Err(error) => {
                driver.stop().await;
                last_error = Some(error);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
    Err(last_error.map_or_else(|| anyhow::anyhow!("no attempt made"), Into::into))
        .context("opening a WebDriver session with the app")
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
