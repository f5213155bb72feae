import { catalogsOf, type Catalog } from "../merge";

/** The Italian catalog, merged from its files. */
export const catalog: Catalog =
  catalogsOf(import.meta.glob<Catalog>("../locales/it/*.json", { eager: true, import: "default" }))
    .it ?? {};
