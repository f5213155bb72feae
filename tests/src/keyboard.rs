//! The keyboard as a person uses it: real key presses through WebDriver actions, and what the
//! window's focus does in answer (which element has it, where it sits in the page, whether its
//! focus indicator can be seen).

use crate::App;
use anyhow::{Context, Result, bail};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

/// The element that has the focus, as the page describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focused {
    /// Identity of the element while the window runs, or `radio:<name>` for a group of radio
    /// buttons (Tab enters a group once, on its chosen button).
    pub key: String,
    /// Tag, `data-testid` and text, to name the element in a failure.
    pub label: String,
    /// The element's `data-testid` (empty when it has none).
    pub test_id: String,
    /// Whether the element lies inside the window's `<main>` (the screen, not the navigation).
    pub in_main: bool,
    /// Whether the element's own or its focus-within container's outline or shadow shows.
    pub indicator: bool,
    /// The element is `<body>` (nothing focused).
    pub nothing: bool,
}

impl Focused {
    fn from_value(value: &Value) -> Result<Self> {
        let text = |name: &str| {
            value[name]
                .as_str()
                .map(str::to_owned)
                .with_context(|| format!("no {name} in {value}"))
        };
        Ok(Self {
            key: text("key")?,
            label: text("label")?,
            test_id: value["testId"].as_str().unwrap_or_default().to_owned(),
            in_main: value["inMain"].as_bool().unwrap_or(false),
            indicator: value["indicator"].as_bool().unwrap_or(false),
            nothing: value["nothing"].as_bool().unwrap_or(false),
        })
    }
}

/// Describes `document.activeElement` (see [`Focused`]).
const DESCRIBE_FOCUS: &str = r#"
// The same element keeps its name across calls (a position would shift as the page changes).
const ids = (window.__keyboardIds ??= { map: new WeakMap(), next: 0 });
const identity = (element) => {
  if (element.type === 'radio' && element.name) return 'radio:' + element.name;
  if (!ids.map.has(element)) ids.map.set(element, String(++ids.next));
  return ids.map.get(element);
};
const element = document.activeElement;
const visible = (style) =>
  (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
  (style.boxShadow !== 'none' && style.boxShadow !== '');
let indicator = visible(getComputedStyle(element));
// A control drawn as part of a larger box (the code boxes) shows its focus on the box.
for (let up = element.parentElement, level = 0; !indicator && up && level < 3;
     up = up.parentElement, level++) {
  indicator = up.matches(':focus-within') && visible(getComputedStyle(up));
}
const text = (element.getAttribute('aria-label') || element.textContent || '').trim().slice(0, 40);
return {
  key: identity(element),
  label: element.tagName.toLowerCase() + '[' + (element.dataset.testid || '') + '] "' + text + '"',
  testId: element.dataset.testid || '',
  inMain: element.closest('main') !== null,
  indicator,
  nothing: element === document.body || element === document.documentElement,
};
"#;

/// Every element Tab should reach now, in document order, described like [`Focused`]
/// (indicator unknown: `false`).
const TABBABLE: &str = r#"
// The same element keeps its name across calls (a position would shift as the page changes).
const ids = (window.__keyboardIds ??= { map: new WeakMap(), next: 0 });
const identity = (element) => {
  if (element.type === 'radio' && element.name) return 'radio:' + element.name;
  if (!ids.map.has(element)) ids.map.set(element, String(++ids.next));
  return ids.map.get(element);
};
const candidates = document.querySelectorAll(
  'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]');
const seen = new Set();
const found = [];
for (const element of candidates) {
  if (element.tabIndex < 0 || element.disabled || element.closest('[inert], [hidden]')) continue;
  if (element.getClientRects().length === 0) continue;
  // The folded part of a <details> keeps its boxes in WebKit but is out of reach.
  let folded = false;
  for (let up = element.closest('details'); up; up = up.parentElement?.closest('details')) {
    if (!up.open && !(element.tagName === 'SUMMARY' && element.parentElement === up)) folded = true;
  }
  if (folded) continue;
  const style = getComputedStyle(element);
  if (style.visibility !== 'visible' || style.display === 'none') continue;
  const key = element.type === 'radio' && element.name ? 'radio:' + element.name : null;
  if (key && seen.has(key)) continue;
  if (key) seen.add(key);
  const text = (element.getAttribute('aria-label') || element.textContent || '').trim().slice(0, 40);
  found.push({
    key: identity(element),
      label: element.tagName.toLowerCase() + '[' + (element.dataset.testid || '') + '] "' + text + '"',
    testId: element.dataset.testid || '',
    inMain: element.closest('main') !== null,
    indicator: false,
    nothing: false,
  });
}
return found;
"#;

impl App {
    /// Presses and releases `key` on the keyboard (whatever has the focus receives it).
    pub async fn press(&self, key: Key) -> Result<()> {
        let value = char::from(key);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// The element that has the focus now.
    pub async fn focused(&self) -> Result<Focused> {
        let value = self.client.execute(DESCRIBE_FOCUS, Vec::new()).await?;
        Focused::from_value(&value).context("reading the focused element")
    }

    /// Every element Tab should reach now, in document order.
    pub async fn tabbable(&self) -> Result<Vec<Focused>> {
        let value = self.client.execute(TABBABLE, Vec::new()).await?;
        value
            .as_array()
            .context("listing the window's controls")?
            .iter()
            .map(Focused::from_value)
            .collect()
    }

    /// Moves the focus to the top of the page (nothing focused), where Tab starts afresh.
    pub async fn focus_top(&self) -> Result<()> {
        self.client
            .execute(
                // Focusing the body (for a moment focusable) puts the start of sequential focus
                // navigation at the top of the page, which a plain blur() does not in WebKit.
                "document.activeElement?.blur(); document.body.tabIndex = -1; \
                 document.body.focus(); document.body.removeAttribute('tabindex'); return null;",
                Vec::new(),
            )
            .await?;
        Ok(())
    }

    /// Presses Tab from the top until the control with this `data-testid` has the focus.
    pub async fn tab_to(&self, test_id: &str) -> Result<()> {
        self.focus_top().await?;
        for _ in 0..200 {
            self.press(Key::Tab).await?;
            if self.focused().await?.test_id == test_id {
                return Ok(());
            }
        }
        bail!("Tab never reached [data-testid={test_id}]")
    }

    /// Presses Tab from the top of the page until the focus comes round again (or leaves the
    /// page), and returns every element it reached, in order.
    pub async fn tab_through(&self) -> Result<Vec<Focused>> {
        self.focus_top().await?;
        let mut reached: Vec<Focused> = Vec::new();
        for _ in 0..200 {
            self.press(Key::Tab).await?;
            let focused = self.focused().await?;
            if focused.nothing || reached.iter().any(|seen| seen.key == focused.key) {
                return Ok(reached);
            }
            reached.push(focused);
        }
        bail!("Tab never came round after 200 presses: {reached:#?}")
    }
}
