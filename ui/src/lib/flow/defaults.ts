/**
 * The desk's settings the wizard shows as defaults: the request's registration authority,
 * profile and language (sent unless the employee changes them) and how codes are delivered.
 */
import { commands, type SettingEntry } from "../bindings";
import { unwrap } from "../ipc";

export interface FlowDefaults {
  registrationAuthority: string | null;
  profile: string | null;
  communicationLanguage: string | null;
  otpDelivery: string;
}

export function defaultsFrom(entries: readonly SettingEntry[]): FlowDefaults {
  const text = (key: string): string | null => {
    const value = entries.find((entry) => entry.key === key)?.value;
    if (value === null || value === undefined || value === "") return null;
    return typeof value === "string" || typeof value === "number" ? String(value) : null;
  };
  return {
    registrationAuthority: text("request.registration_authority"),
    profile: text("request.profile"),
    communicationLanguage: text("request.communication_language"),
    otpDelivery: text("signing.otp_delivery") ?? "sms",
  };
}

/** The defaults in effect; the built-in ones when the settings cannot be read. */
export async function loadFlowDefaults(): Promise<FlowDefaults> {
  try {
    return defaultsFrom((await unwrap(commands.settingsGet())).entries);
  } catch {
    return defaultsFrom([]);
  }
}
