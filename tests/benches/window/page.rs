//! What the benchmark watches in a viewer's page, the same way for the app and for pdf.js:
//! the scroll area, each page's box (present for every page, rendered or not) and the attribute
//! that turns "true" one animation frame after the page's pixels are drawn.
//!
//! Everything is timed in the page with `performance.now()`: an IntersectionObserver says when
//! a page box comes into view, a MutationObserver when its painted attribute turns "true".

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
const pages = [];
for (let n = first; n <= last; n += 1) {
  const el = document.querySelector(pageTemplate.replace('{n}', String(n)));
  if (!el) { done({ error: `no page ${n} (${pageTemplate})` }); return; }
  pages.push([n, el]);
}
const numbers = new Map(pages.map(([n, el]) => [el, n]));
const visibleAt = new Map();
const paintedAt = new Map();
const checkPainted = () => {
  const now = performance.now();
  for (const [n, el] of pages) if (!paintedAt.has(n) && isPainted(el)) paintedAt.set(n, now);
};
const seen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const n = numbers.get(entry.target);
    if (entry.isIntersecting && !visibleAt.has(n)) visibleAt.set(n, entry.time);
  }
}, { root: container, threshold: 0 });
for (const [, el] of pages) seen.observe(el);
const painted = new MutationObserver(checkPainted);
painted.observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: [attr] });
checkPainted();
const top = (el) => el.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
const startTop = container.scrollTop;
// Scrolled until the last page's top reaches the top of the view: every page has come into view.
const endTop = top(pages[pages.length - 1][1]);
const speed = ((endTop - startTop) / pages.length) * pagesPerSecond / 1000;
let started = null;
let scrollMs = 0;
const finish = () => {
  seen.disconnect();
  painted.disconnect();
  done({ scrollMs, pages: pages.map(([n]) => ({ page: n, visible: visibleAt.get(n) ?? null, painted: paintedAt.get(n) ?? null })) });
};
const settle = () => {
  const deadline = performance.now() + limitMs;
  const poll = () => {
    checkPainted();
    if (pages.every(([n]) => paintedAt.has(n)) || performance.now() > deadline) finish();
    else setTimeout(poll, 20);
  };
  poll();
};
const step = (now) => {
  started ??= now;
  const position = Math.min(endTop, startTop + (now - started) * speed);
  container.scrollTop = position;
  if (position < endTop) requestAnimationFrame(step);
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
const missed = [];
const visit = (n) => {
  if (n > last) { done({ missed }); return; }
  const el = document.querySelector(pageTemplate.replace('{n}', String(n)));
  if (!el) { done({ error: `no page ${n}` }); return; }
  container.scrollTop = el.getBoundingClientRect().top - container.getBoundingClientRect().top + container.scrollTop;
  const deadline = performance.now() + limitMs;
  const wait = () => {
    if (el.matches(paintedSel) || el.querySelector(paintedSel)) visit(n + 1);
    else if (performance.now() > deadline) { missed.push(n); visit(n + 1); }
    else setTimeout(wait, 5);
  };
  wait();
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
