import { describe, expect, it } from "vitest";
import { themeAttribute } from "./appearance";

describe("the theme setting", () => {
  it("forces light or dark, and leaves the system's choice otherwise", () => {
    expect(themeAttribute("light")).toBe("light");
    expect(themeAttribute("dark")).toBe("dark");
    expect(themeAttribute("system")).toBeNull();
    expect(themeAttribute(null)).toBeNull();
  });
});
