import i18next from "i18next";
import type { Catalog } from "./merge";
import { catalog as english } from "./languages/en";

/** Languages the window is translated into, in the order the language picker shows them. */
export const LANGUAGES = ["es", "en", "it"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The current language; reading it inside a template makes that text follow language changes. */
const state = $state<{ language: Language }>({ language: "en" });

// English comes with the code: it is the fallback and the first screen's language until the
// settings are read. The others are separate files loaded when chosen, so the window's start
// parses one language's texts, not three.
const loaders: Record<Exclude<Language, "en">, () => Promise<{ catalog: Catalog }>> = {
  es: () => import("./languages/es"),
  it: () => import("./languages/it"),
};
/** Each language's load, started once (English needs none). */
const loads: Partial<Record<Language, Promise<void> | undefined>> = {};

// Synchronous: the texts are at hand, and the first screen must not wait for a timer.
void i18next.init({
  initAsync: false,
  lng: state.language,
  fallbackLng: "en",
  resources: { en: { translation: english } },
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

function load(language: Language): Promise<void> {
  if (language === "en") return Promise.resolve();
  loads[language] ??= loaders[language]().then(
    ({ catalog }) => {
      i18next.addResourceBundle(language, "translation", catalog, true, true);
    },
    (error: unknown) => {
      // Tried again on the next choice; meanwhile the window keeps its current language.
      loads[language] = undefined;
      throw error;
    },
  );
  return loads[language];
}

/** Picks the language from a setting ("system", "es", ...) and the system locale. */
export function resolveLanguage(setting: string, systemLocales: readonly string[]): Language {
  const wanted = setting === "system" ? systemLocales : [setting, ...systemLocales];
  for (const locale of wanted) {
    const base = locale.toLowerCase().split(/[-_]/)[0];
    const match = LANGUAGES.find((language) => language === base);
    if (match) return match;
  }
  return "en";
}

/** The language asked for last: a slower load of an earlier choice must not win over it. */
let requested: Language = state.language;

/** Switches the window to `language`, once its texts are loaded (at once for English). */
export async function setLanguage(language: Language): Promise<void> {
  requested = language;
  try {
    await load(language);
  } catch (error) {
    console.error(`the ${language} texts could not be loaded`, error);
    return;
  }
  if (requested !== language) return;
  state.language = language;
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export function currentLanguage(): Language {
  return state.language;
}

/** Values interpolated into a text, e.g. `{ seconds: 42 }` for "Send again in {{seconds}} s". */
export type TextValues = Record<string, string | number>;

// i18next's overloads are typed for compile-time key checking, which the catalog test does
// instead (every key used exists in every language); this narrow signature is all we call.
const translate = i18next.t.bind(i18next) as (key: string, options: object) => string;

/** Translates `key`; reactive in templates because it reads the current language. */
export function t(key: string, values?: TextValues): string {
  return translate(key, { ...values, lng: state.language });
}

/** Whether the catalogs have a text for `key` (e.g. words for an error code). */
export function hasText(key: string): boolean {
  return i18next.exists(key, { lng: state.language });
}
