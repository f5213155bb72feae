import { describe, expect, it } from "vitest";
import type { SettingEntry } from "../bindings";
import { defaultsFrom } from "./defaults";

function entry(key: string, value: SettingEntry["value"]): SettingEntry {
  return { key, value, kind: "text", origin: { layer: "default" }, locked: false };
}

describe("flow defaults", () => {
  it("reads the request settings and the code delivery", () => {
    const defaults = defaultsFrom([
      entry("request.registration_authority", 9999),
      entry("request.profile", "PFnubeNC"),
      entry("request.communication_language", null),
      entry("signing.otp_delivery", "whatsapp"),
    ]);
    expect(defaults).toEqual({
      registrationAuthority: "9999",
      profile: "PFnubeNC",
      communicationLanguage: null,
      otpDelivery: "whatsapp",
    });
  });

  it("falls back to SMS and the Optimizer's own defaults", () => {
    expect(defaultsFrom([])).toEqual({
      registrationAuthority: null,
      profile: null,
      communicationLanguage: null,
      otpDelivery: "sms",
    });
  });
});
