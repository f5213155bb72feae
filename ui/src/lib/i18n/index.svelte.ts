import i18next from "i18next";
import { catalogs } from "./catalog";

/** Languages the window is translated into, in the order the language picker shows them. */
export const LANGUAGES = ["es", "en", "it"] as const;
export type Language = (typeof LANGUAGES)[number];

/** The current language; reading it inside a template makes that text follow language changes. */
const state = $state<{ language: Language }>({ language: "en" });

void i18next.init({
  lng: state.language,
  fallbackLng: "en",
  resources: Object.fromEntries(
    LANGUAGES.map((language) => [language, { translation: catalogs[language] ?? {} }]),
  ),
  interpolation: { escapeValue: false },
  returnNull: false,
});

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

export function setLanguage(language: Language): void {
  state.language = language;
  void i18next.changeLanguage(language);
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
