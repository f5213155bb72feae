import { commands, type JsonValue, type SettingEntry, type SettingsView } from "../bindings";
import { unwrap } from "../ipc";
import { applyUiPreferences } from "./appearance";

/**
 * The desk's settings as the window last read them, shared by every screen. Each change goes
 * through desk-core (which checks it, refuses locked keys and writes the user's file) and the
 * window applies the answer at once, so language and theme follow immediately.
 */
const state = $state<{ entries: SettingEntry[]; warnings: string[]; loaded: boolean }>({
  entries: [],
  warnings: [],
  loaded: false,
});

export function settings(): { entries: SettingEntry[]; warnings: string[]; loaded: boolean } {
  return state;
}

function take(view: SettingsView): void {
  state.entries = view.entries;
  state.warnings = view.warnings;
  state.loaded = true;
  applyUiPreferences(view.entries);
}

/** Reads the settings (throws a `DeskFailure` when the desk cannot). */
export async function loadSettings(): Promise<void> {
  take(await unwrap(commands.settingsGet()));
}

/** Changes one setting in the user's file; throws `settings.locked`, `settings.invalid_value`, … */
export async function saveSetting(key: string, value: JsonValue): Promise<void> {
  take(await unwrap(commands.settingsSet(key, value)));
}

/** Removes the user's value, so IT's value or the default applies again. */
export async function resetSetting(key: string): Promise<void> {
  take(await unwrap(commands.settingsReset(key)));
}
