import { describe, expect, it } from "vitest";
import en from "./en.json";
import es from "./es.json";
import itCatalog from "./it.json";

type Catalog = { [key: string]: string | Catalog };

/** Every leaf key of a catalog, dotted ("nav.settings"). */
function keys(catalog: Catalog, prefix = ""): string[] {
  return Object.entries(catalog).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : keys(value, `${prefix}${key}.`),
  );
}

describe("translation catalogs", () => {
  const english = keys(en).sort();

  it.each([
    ["es", es],
    ["it", itCatalog],
  ])("%s has exactly the English keys", (_language, catalog) => {
    expect(keys(catalog as Catalog).sort()).toEqual(english);
  });

  it("has no empty texts", () => {
    for (const catalog of [en, es, itCatalog]) {
      const empty = keys(catalog as Catalog).filter((key) => {
        const value = key
          .split(".")
          .reduce<Catalog | string>((node, part) => (node as Catalog)[part] ?? "", catalog);
        return typeof value !== "string" || value.trim() === "";
      });
      expect(empty).toEqual([]);
    }
  });
});
