import type { FileKind, SettingEntry } from "../bindings";

/**
 * How the settings screen presents each setting: the group it sits in (named in a desk
 * employee's words) and the control that edits it. The keys and their rules come from desk-core's
 * settings reference; a key this table does not know (a newer desk) still appears, under
 * "Other", with a plain control for its kind, so no setting is ever out of reach.
 */
export type Control =
  /** Free text; `optional` texts may be emptied, which unsets them. */
  | { type: "text"; optional: boolean; check?: TextCheck }
  /** One of a few words; `optional` adds "not set" (the signing server decides). */
  | { type: "choice"; options: readonly string[]; optional: boolean; style: "radio" | "select" }
  | { type: "integer"; min: number; max: number }
  | { type: "boolean" }
  /** Lines of text (the visible signature). */
  | { type: "lines"; maxLines: number; maxChars: number }
  /** A folder chosen with the system's folder dialog (or typed). */
  | { type: "folder" }
  /** A file chosen with the system's file dialog (or typed). */
  | { type: "file"; kind: FileKind }
  /** `system`, `none` or a proxy URL. */
  | { type: "proxy" }
  /** The Optimizer's address, with its connection test. */
  | { type: "url" }
  /** Handled by the RAO tokens list (which token the desk uses). */
  | { type: "token" };

/** Extra rules of a text setting, mirroring desk-core's checks so mistakes show as typed. */
export type TextCheck = "position" | "socketAddress" | "folderPattern" | "languageCode";

export interface SettingSpec {
  key: string;
  control: Control;
  /** Mostly for IT: shown under "Settings for IT" in its group. */
  forIt?: boolean;
}

export const GROUP_IDS = [
  "window",
  "connection",
  "requests",
  "signing",
  "documents",
  "tokens",
  "billing",
  "videoid",
] as const;
export type GroupId = (typeof GROUP_IDS)[number] | "other";

const text = (optional: boolean, check?: TextCheck): Control =>
  check ? { type: "text", optional, check } : { type: "text", optional };

/** Every known setting, by group, in the order the screen shows them. */
export const SPECS: Record<(typeof GROUP_IDS)[number], readonly SettingSpec[]> = {
  window: [
    {
      key: "ui.language",
      control: {
        type: "choice",
        options: ["system", "es", "en", "it"],
        optional: false,
        style: "radio",
      },
    },
    {
      key: "ui.theme",
      control: {
        type: "choice",
        options: ["system", "light", "dark"],
        optional: false,
        style: "radio",
      },
    },
  ],
  connection: [
    { key: "optimizer.url", control: { type: "url" } },
    { key: "optimizer.ca_certificate", control: { type: "file", kind: "certificate" } },
    { key: "optimizer.proxy", control: { type: "proxy" } },
    {
      key: "optimizer.layout",
      control: {
        type: "choice",
        options: ["auto", "current", "legacy"],
        optional: false,
        style: "select",
      },
      forIt: true,
    },
    {
      key: "optimizer.connect_timeout_secs",
      control: { type: "integer", min: 1, max: 300 },
      forIt: true,
    },
    {
      key: "optimizer.read_timeout_secs",
      control: { type: "integer", min: 1, max: 3600 },
      forIt: true,
    },
  ],
  requests: [
    {
      key: "request.environment",
      control: { type: "choice", options: ["sandbox", "prod"], optional: true, style: "radio" },
    },
    { key: "request.registration_authority", control: text(true) },
    {
      key: "request.profile",
      control: {
        type: "choice",
        options: ["PFnubeQAFCiudadano", "PFnubeNC"],
        optional: true,
        style: "radio",
      },
    },
    {
      key: "request.communication_language",
      control: { type: "choice", options: ["ES", "EN", "PL"], optional: true, style: "select" },
    },
  ],
  signing: [
    {
      key: "signing.otp_delivery",
      control: { type: "choice", options: ["sms", "whatsapp"], optional: false, style: "radio" },
    },
    {
      key: "signing.appearance.text",
      control: { type: "lines", maxLines: 10, maxChars: 200 },
      forIt: true,
    },
    {
      key: "signing.appearance.page",
      control: { type: "integer", min: 0, max: 99999 },
      forIt: true,
    },
    { key: "signing.appearance.position", control: text(false, "position"), forIt: true },
    { key: "signing.ext_unlock_type", control: text(true), forIt: true },
  ],
  documents: [
    { key: "output.folder", control: { type: "folder" } },
    { key: "output.folder_pattern", control: text(false, "folderPattern") },
  ],
  tokens: [
    { key: "rao.default_token_label", control: { type: "token" } },
    { key: "rao.id", control: text(true), forIt: true },
  ],
  billing: [{ key: "billing.username", control: text(true) }],
  videoid: [
    { key: "videoid.webhook_listen", control: text(true, "socketAddress"), forIt: true },
    { key: "videoid.async_mode", control: { type: "boolean" }, forIt: true },
  ],
};

/** One group as the screen shows it: its settings with their current entries. */
export interface SettingsGroup {
  id: GroupId;
  rows: { spec: SettingSpec; entry: SettingEntry }[];
}

/** A control for a key this window does not know, from the kind of its value. */
export function fallbackSpec(entry: SettingEntry): SettingSpec {
  const control: Control =
    entry.kind === "integer"
      ? { type: "integer", min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }
      : entry.kind === "boolean"
        ? { type: "boolean" }
        : entry.kind === "text_list"
          ? { type: "lines", maxLines: 100, maxChars: 1000 }
          : text(true);
  return { key: entry.key, control, forIt: true };
}

/**
 * The desk's settings arranged in the screen's groups. Keys the table lacks go to "other";
 * keys the desk no longer has are left out.
 */
export function groupEntries(entries: readonly SettingEntry[]): SettingsGroup[] {
  const byKey = new Map(entries.map((entry) => [entry.key, entry]));
  const placed = new Set<string>();
  const groups: SettingsGroup[] = GROUP_IDS.map((id) => ({
    id,
    rows: SPECS[id].flatMap((spec) => {
      const entry = byKey.get(spec.key);
      if (!entry) return [];
      placed.add(spec.key);
      return [{ spec, entry }];
    }),
  }));
  const others = entries.filter((entry) => !placed.has(entry.key));
  if (others.length > 0) {
    groups.push({
      id: "other",
      rows: others.map((entry) => ({ spec: fallbackSpec(entry), entry })),
    });
  }
  return groups;
}

/** The spec of a known key. */
export function specOf(key: string): SettingSpec | undefined {
  for (const id of GROUP_IDS) {
    const spec = SPECS[id].find((candidate) => candidate.key === key);
    if (spec) return spec;
  }
  return undefined;
}

/** Where a value comes from, as the screen words it. */
export type OriginKind = "default" | "it" | "user";

export function originKind(entry: SettingEntry): OriginKind {
  switch (entry.origin.layer) {
    case "system":
      return "it";
    case "user":
      return "user";
    default:
      return "default";
  }
}

/** The catalog key part of a setting (`optimizer.url` → `optimizer_url`). */
export function textId(key: string): string {
  return key.replaceAll(".", "_");
}

/** Whether the window should open on the first-run setup: no Optimizer and IT did not lock it. */
export function needsFirstRun(entries: readonly SettingEntry[]): boolean {
  const url = entries.find((entry) => entry.key === "optimizer.url");
  if (!url) return false;
  const configured = typeof url.value === "string" && url.value.trim() !== "";
  return !configured && !url.locked;
}

/** The entry of `key`, if the desk has it. */
export function entryOf(entries: readonly SettingEntry[], key: string): SettingEntry | undefined {
  return entries.find((entry) => entry.key === key);
}

/** A setting's value as text (`null` when unset or not text). */
export function textValue(entries: readonly SettingEntry[], key: string): string | null {
  const value = entryOf(entries, key)?.value;
  return typeof value === "string" && value !== "" ? value : null;
}
