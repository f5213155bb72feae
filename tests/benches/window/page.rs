//! What the benchmark watches in a viewer's page, the same way for the app and for pdf.js:
//! the scroll area, each page's box (present for every page, rendered or not) and the attribute
//! that turns "true" one animation frame after the page's pixels are drawn.
//!
//! Everything is timed in the page with `performance.now()`: an IntersectionObserver says when
//! a page box comes into view, a MutationObserver when its painted attribute turns "true".
//! Page boxes are picked up as they appear, so a viewer that keeps boxes only for the pages
//! near the view is measured too (a box made as its page comes into view is in view from its
//! first observation, at most a frame late).

use anyhow::{Context, Result, bail};
use fantoccini::Client;
use serde::Deserialize;
use serde_json::{Value, json};

/// The attribute a viewer sets once a page is painted. The app's viewer sets `data-loaded` on
/// the page image after `img.decode()` and one animation frame; should it name this
/// `data-painted`, change it here (the pdf.js page sets the same name, see `PDFJS_PAGES`).
pub const PAINTED: &str = "data-loaded";

/// Where a viewer's pages are. `page` holds `{n}` for the page number (from 1).
pub struct Pages {
    pub container: &'static str,
    pub page: &'static str,
}

/// The app's preview screen (ui/src/lib/components/PdfViewer.svelte).
pub const APP_PAGES: Pages = Pages {
    container: "[data-testid=\"preview-viewer-pages\"]",
    page: "[data-testid=\"preview-viewer-page-{n}\"]",
};

/// The pdf.js baseline page (ui/bench/main.ts marks `.page` boxes with the same attribute).
pub const PDFJS_PAGES: Pages = Pages {
    container: "#viewerContainer",
    page: ".page[data-page-number=\"{n}\"]",
};

/// One page of a scroll run: when it came into view and when it was painted (page clock, ms).
#[derive(Debug, Deserialize)]
pub struct PageTimes {
    pub visible: Option<f64>,
    pub painted: Option<f64>,
}

impl PageTimes {
    /// Time from coming into view to painted; 0 when it was painted before (prefetched).
    pub fn latency(&self) -> Option<f64> {
        Some((self.painted? - self.visible?).max(0.0))
    }
}

const SCROLL: &str = r#"
const [containerSel, pageTemplate, attr, first, last, pagesPerSecond, limitMs, done] = arguments;
const container = document.querySelector(containerSel);
if (!container) { done({ error: `no scroll area ${containerSel}` }); return; }
const paintedSel = `[${attr}="true"]`;
const isPainted = (el) => el.matches(paintedSel) || el.querySelector(paintedSel) !== null;
const pageBox = (n) => document.querySelector(pageTemplate.replace('{n}', String(n)));
// A viewer may keep boxes only for pages near the view: boxes are picked up as they appear.
const boxes = new Map();
const numbers = new Map();
const visibleAt = new Map();
const paintedAt = new Map();
const seen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const n = numbers.get(entry.target);
    if (n !== undefined && entry.isIntersecting && !visibleAt.has(n)) visibleAt.set(n, entry.time);
  }
}, { root: container, threshold: 0 });
const scan = () => {
  const now = performance.now();
  for (let n = first; n <= last; n += 1) {
    let el = boxes.get(n);
    if (!el || !el.isConnected) {
      el = pageBox(n);
      if (!el) continue;
      boxes.set(n, el);
      numbers.set(el, n);
      seen.observe(el);
    }
    if (!paintedAt.has(n) && isPainted(el)) paintedAt.set(n, now);
  }
};
const changes = new MutationObserver(scan);
changes.observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: [attr] });
scan();
// The distance from one page's top to the next, from the first two boxes.
const top = (el) => el.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
const one = pageBox(first - 1) ?? pageBox(first);
const two = pageBox(first) ?? pageBox(first + 1);
if (!one || !two) { done({ error: `no page box near page ${first} (${pageTemplate})` }); return; }
const stride = one === two ? one.getBoundingClientRect().height : top(two) - top(one);
const speed = stride * pagesPerSecond / 1000;
const hardStop = (last - first + 1) / pagesPerSecond * 3000;
let started = null;
let scrollMs = 0;
const finish = () => {
  seen.disconnect();
  changes.disconnect();
  done({ scrollMs, pages: Array.from({ length: last - first + 1 }, (_, i) => first + i)
    .map((n) => ({ visible: visibleAt.get(n) ?? null, painted: paintedAt.get(n) ?? null })) });
};
const settle = () => {
  const deadline = performance.now() + limitMs;
  const poll = () => {
    scan();
    const waiting = [...visibleAt.keys()].some((n) => !paintedAt.has(n));
    if ((!waiting && visibleAt.size === last - first + 1) || performance.now() > deadline) finish();
    else setTimeout(poll, 20);
  };
  poll();
};
const startTop = container.scrollTop;
const bottom = container.scrollHeight - container.clientHeight;
// Scrolled until the last page has come into view (or the end of the document).
const step = (now) => {
  started ??= now;
  container.scrollTop = Math.min(bottom, startTop + (now - started) * speed);
  if (!visibleAt.has(last) && container.scrollTop < bottom && now - started < hardStop) requestAnimationFrame(step);
  else { scrollMs = now - started; settle(); }
};
requestAnimationFrame(step);
"#;

/// Scrolls the viewer from where it is through pages `first..=last` at a steady
/// `pages_per_second` and returns each page's times; waits up to `settle_ms` afterwards for
/// pages still being painted.
pub async fn scroll(
    client: &Client,
    pages: &Pages,
    (first, last): (u32, u32),
    pages_per_second: f64,
    settle_ms: u64,
) -> Result<(f64, Vec<PageTimes>)> {
    #[derive(Deserialize)]
    struct Run {
        #[serde(rename = "scrollMs")]
        scroll_ms: f64,
        pages: Vec<PageTimes>,
    }
    let value = client
        .execute_async(
            SCROLL,
            vec![
                json!(pages.container),
                json!(pages.page),
                json!(PAINTED),
                json!(first),
                json!(last),
                json!(pages_per_second),
                json!(settle_ms),
            ],
        )
        .await
        .context("the scroll script failed")?;
    let run: Run = parse(value, "scroll")?;
    Ok((run.scroll_ms, run.pages))
}

const VISIT: &str = r#"
const [containerSel, pageTemplate, attr, first, last, limitMs, done] = arguments;
const container = document.querySelector(containerSel);
if (!container) { done({ error: `no scroll area ${containerSel}` }); return; }
const paintedSel = `[${attr}="true"]`;
const pageBox = (n) => document.querySelector(pageTemplate.replace('{n}', String(n)));
const missed = [];
const visit = (n) => {
  if (n > last) { done({ missed }); return; }
  const deadline = performance.now() + limitMs;
  // The next page's box is there as a neighbour of the one shown; should a viewer keep none,
  // it is looked for further down, half a view at a time.
  const find = () => {
    const el = pageBox(n);
    if (el) { show(el); return; }
    if (performance.now() > deadline) { missed.push(n); visit(n + 1); return; }
    container.scrollTop += container.clientHeight / 2;
    setTimeout(find, 50);
  };
  const show = (el) => {
    container.scrollTop = el.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
    const wait = () => {
      const box = el.isConnected ? el : pageBox(n);
      if (box && (box.matches(paintedSel) || box.querySelector(paintedSel))) visit(n + 1);
      else if (performance.now() > deadline) { missed.push(n); visit(n + 1); }
      else setTimeout(wait, 5);
    };
    wait();
  };
  find();
};
visit(first);
"#;

/// Shows pages `first..=last` one after the other, each until it is painted (or `limit_ms`);
/// returns the pages that were not painted in time.
pub async fn visit(
    client: &Client,
    pages: &Pages,
    (first, last): (u32, u32),
    limit_ms: u64,
) -> Result<Vec<u32>> {
    #[derive(Deserialize)]
    struct Visit {
        missed: Vec<u32>,
    }
    let value = client
        .execute_async(
            VISIT,
            vec![
                json!(pages.container),
                json!(pages.page),
                json!(PAINTED),
                json!(first),
                json!(last),
                json!(limit_ms),
            ],
        )
        .await
        .context("the visiting script failed")?;
    Ok(parse::<Visit>(value, "visit")?.missed)
}

/// Reads a script's answer; scripts answer `{ error }` when something is missing.
pub fn parse<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T> {
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        bail!("{what}: {error}");
    }
    serde_json::from_value(value.clone())
        .with_context(|| format!("{what}: unexpected answer {value}"))
}
