import { catalogsOf, type Catalog } from "../merge";

/** The Spanish catalog, merged from its files. */
export const catalog: Catalog =
  catalogsOf(import.meta.glob<Catalog>("../locales/es/*.json", { eager: true, import: "default" }))
    .es ?? {};
