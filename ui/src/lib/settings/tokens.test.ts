import { describe, expect, it } from "vitest";
import type { RaoTokenInfo } from "../bindings";
import { checkNewToken, tokenInUse } from "./tokens";

const saved: RaoTokenInfo[] = [
  {
    label: "Front desk",
    masked_uid: "3bf8…c7da",
    created: "2025-01-01T00:00:00Z",
    is_default: false,
  },
  {
    label: "Branch 12",
    masked_uid: "9a1c…0b2e",
    created: "2025-01-02T00:00:00Z",
    is_default: true,
  },
];

describe("the token in use", () => {
  it("is the one the settings name, else the keyring's default", () => {
    expect(tokenInUse(saved, "Front desk")).toEqual({ label: "Front desk", missing: null });
    expect(tokenInUse(saved, null)).toEqual({ label: "Branch 12", missing: null });
    expect(tokenInUse([], null)).toEqual({ label: null, missing: null });
  });

  it("reports a label the settings name but this computer lacks", () => {
    expect(tokenInUse(saved, "Head office")).toEqual({ label: null, missing: "Head office" });
  });
});

describe("the new token form", () => {
  const form = { label: "Desk 3", username: "7001700", password: "pw", pin: "1234" };

  it("accepts a complete form", () => {
    expect(checkNewToken(form, saved)).toEqual({});
  });

  it("names every missing field and a label already used", () => {
    expect(checkNewToken({ label: " ", username: "", password: "", pin: "" }, saved)).toEqual({
      label: "required",
      username: "required",
      password: "required",
      pin: "required",
    });
    expect(checkNewToken({ ...form, label: " Front desk " }, saved)).toEqual({
      label: "labelTaken",
    });
    expect(checkNewToken({ ...form, label: "x".repeat(129) }, saved)).toEqual({
      label: "tooLong",
    });
  });
});
