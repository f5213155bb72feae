/**
 * The translations, one folder per language and one file per area of the window
 * (`locales/es/settings.json`, ...), so each screen's texts sit together. Files are deep-merged
 * per language: `errors.flow.json` and `errors.viewer.json` both add to `errors`.
 */
export type Catalog = { [key: string]: string | Catalog };

const files = import.meta.glob<Catalog>("./locales/*/*.json", { eager: true, import: "default" });

function merge(target: Catalog, source: Catalog): Catalog {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === "object" && typeof existing === "object") merge(existing, value);
    else target[key] = typeof value === "object" ? merge({}, value) : value;
  }
  return target;
}

/** Every language's merged catalog. */
export const catalogs: Record<string, Catalog> = {};
for (const [path, content] of Object.entries(files)) {
  const language = path.split("/")[2] ?? "";
  catalogs[language] = merge(catalogs[language] ?? {}, content);
}

/** Every leaf key of a catalog, dotted ("nav.settings"). */
export function keysOf(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}

/** The text at a dotted key, if there is one. */
export function textAt(catalog: Catalog, key: string): string | undefined {
  let node: string | Catalog | undefined = catalog;
  for (const part of key.split(".")) {
    if (typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}
