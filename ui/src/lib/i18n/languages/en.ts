import { catalogsOf, type Catalog } from "../merge";

/** The English catalog, merged from its files. */
export const catalog: Catalog =
  catalogsOf(import.meta.glob<Catalog>("../locales/en/*.json", { eager: true, import: "default" }))
    .en ?? {};
