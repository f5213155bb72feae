import { describe, expect, it, vi } from "vitest";

/** The navigation's state is the module's: each test starts from a fresh window. */
async function freshWindow() {
  vi.resetModules();
  return await import("./navigation.svelte");
}

describe("the first screen", () => {
  it("is the setup when the desk has no signing server yet", async () => {
    const navigation = await freshWindow();
    navigation.startSetup();
    expect(navigation.currentScreen()).toBe("setup");
    expect(navigation.navItems()[0]).toBe("setup");
  });

  it("stays the one the employee chose while the window was starting", async () => {
    const navigation = await freshWindow();
    navigation.navigate("preview");
    navigation.startSetup();
    expect(navigation.currentScreen()).toBe("preview");
    // The setup is still offered first.
    expect(navigation.navItems()[0]).toBe("setup");
  });

  it("is the signature flow once the setup is done", async () => {
    const navigation = await freshWindow();
    navigation.startSetup();
    navigation.finishSetup();
    expect(navigation.currentScreen()).toBe("newSignature");
    expect(navigation.navItems()).not.toContain("setup");
  });
});
