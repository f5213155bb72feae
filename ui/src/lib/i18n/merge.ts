/**
 * The translations, one folder per language and one file per area of the window
 * (`locales/es/settings.json`, ...), so each screen's texts sit together. Files are deep-merged
 * per language: `errors.flow.json` and `errors.viewer.json` both add to `errors`.
 */
export type Catalog = { [key: string]: string | Catalog };

function merge(target: Catalog, source: Catalog): Catalog {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (typeof value === "object" && typeof existing === "object") merge(existing, value);
    else target[key] = typeof value === "object" ? merge({}, value) : value;
  }
  return target;
}

/** The merged catalog of each language among `files` (keyed by path, `./locales/es/x.json`). */
export function catalogsOf(files: Record<string, Catalog>): Record<string, Catalog> {
  const catalogs: Record<string, Catalog> = {};
  for (const [path, content] of Object.entries(files)) {
    const language = path.split("/").at(-2) ?? "";
    catalogs[language] = merge(catalogs[language] ?? {}, content);
  }
  return catalogs;
}
