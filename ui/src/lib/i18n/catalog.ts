import { catalogsOf, type Catalog } from "./merge";

export type { Catalog } from "./merge";

/**
 * Every language's merged catalog at once, for the tests that check the catalogs against each
 * other. The window itself loads English with its code and the other languages when chosen
 * (`index.svelte.ts`).
 */
export const catalogs: Record<string, Catalog> = catalogsOf(
  import.meta.glob<Catalog>("./locales/*/*.json", { eager: true, import: "default" }),
);

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
