import { describe, expect, it } from "vitest";
import { type Catalog, catalogs, keysOf, textAt } from "./catalog";
import { LANGUAGES } from "./index.svelte";

/** The text of every `.svelte` and `.ts` file of the window (tests excluded), keyed by path. */
const sources = import.meta.glob<string>(
  ["/src/**/*.svelte", "/src/**/*.ts", "!/src/**/*.test.ts"],
  { query: "?raw", import: "default", eager: true },
);

/** Every area file of every language, keyed by path. */
const areaFiles = import.meta.glob<Catalog>("./locales/*/*.json", {
  eager: true,
  import: "default",
});

describe("translation catalogs", () => {
  const english = keysOf(catalogs.en ?? {}).sort();

  it.each(LANGUAGES.filter((language) => language !== "en"))(
    "%s has exactly the English keys",
    (language) => {
      expect(keysOf(catalogs[language] ?? {}).sort()).toEqual(english);
    },
  );

  it("words each key in one area file only (a later file would silently win)", () => {
    const owners = new Map<string, string>();
    const twice: string[] = [];
    for (const [path, content] of Object.entries(areaFiles)) {
      const language = path.split("/")[2] ?? "";
      for (const key of keysOf(content)) {
        const owner = owners.get(`${language}:${key}`);
        if (owner) twice.push(`${language}:${key} (${owner}, ${path})`);
        owners.set(`${language}:${key}`, path);
      }
    }
    expect(twice).toEqual([]);
  });

  it("has no empty texts", () => {
    for (const language of LANGUAGES) {
      const catalog = catalogs[language] ?? {};
      const empty = keysOf(catalog).filter((key) => !textAt(catalog, key)?.trim());
      expect(empty, language).toEqual([]);
    }
  });

  it("has a text for every key the window uses", () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const match of text.matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)) {
        if (match[1]) used.add(match[1]);
      }
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((key) => !english.includes(key))).toEqual([]);
  });
});
