import { beforeEach, describe, expect, it, vi } from "vitest";
import { catalogs, textAt } from "./catalog";

/** The current language is the module's: each test starts from a fresh window. */
async function freshWindow() {
  vi.resetModules();
  vi.stubGlobal("document", { documentElement: { lang: "en" } });
  return await import("./index.svelte");
}

describe("setLanguage", () => {
  beforeEach(() => {
    vi.unstubAllGlobals();
  });

  it("starts in English, whose texts come with the window's code", async () => {
    const i18n = await freshWindow();
    expect(i18n.currentLanguage()).toBe("en");
    expect(i18n.t("nav.settings")).toBe(textAt(catalogs.en ?? {}, "nav.settings"));
  });

  it("loads a language's texts before switching to it", async () => {
    const i18n = await freshWindow();
    await i18n.setLanguage("es");
    expect(i18n.currentLanguage()).toBe("es");
    expect(i18n.t("nav.settings")).toBe(textAt(catalogs.es ?? {}, "nav.settings"));
    expect(i18n.t("nav.settings")).not.toBe(textAt(catalogs.en ?? {}, "nav.settings"));
    expect(document.documentElement.lang).toBe("es");
  });

  it("ends in the language chosen last, however the loads finish", async () => {
    const i18n = await freshWindow();
    // Italian has to be loaded, English not: the later choice is ready first.
    await Promise.all([i18n.setLanguage("it"), i18n.setLanguage("en")]);
    expect(i18n.currentLanguage()).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    // And choosing Italian again works from its loaded texts.
    await i18n.setLanguage("it");
    expect(i18n.t("nav.settings")).toBe(textAt(catalogs.it ?? {}, "nav.settings"));
  });
});
