import type { SettingEntry } from "../bindings";
import { resolveLanguage, setLanguage } from "../i18n/index.svelte";
import { textValue } from "./model";

/**
 * The window follows `ui.language` and `ui.theme` at start and as soon as they change.
 * `system` means the operating system's choice: its locale for the language, and for the theme
 * no `data-theme` at all, so app.css follows `prefers-color-scheme`.
 */

/** The `data-theme` for a `ui.theme` value; `null` follows the system. */
export function themeAttribute(setting: string | null): "light" | "dark" | null {
  return setting === "light" || setting === "dark" ? setting : null;
}

export function applyTheme(setting: string | null): void {
  const theme = themeAttribute(setting);
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

/** Applies the language and theme settings to the window. */
export function applyUiPreferences(entries: readonly SettingEntry[]): void {
  void setLanguage(
    resolveLanguage(textValue(entries, "ui.language") ?? "system", navigator.languages),
  );
  applyTheme(textValue(entries, "ui.theme"));
}
