import { describe, expect, it } from "vitest";
import type { SettingEntry } from "../bindings";
import { GROUP_IDS, SPECS, groupEntries, needsFirstRun, originKind, specOf } from "./model";

/** Every setting desk-core has (its settings reference), as `settings_get` lists them. */
const DESK_KEYS = [
  "optimizer.url",
  "optimizer.layout",
  "optimizer.ca_certificate",
  "optimizer.proxy",
  "optimizer.connect_timeout_secs",
  "optimizer.read_timeout_secs",
  "request.environment",
  "request.registration_authority",
  "request.profile",
  "request.communication_language",
  "billing.username",
  "signing.otp_delivery",
  "signing.ext_unlock_type",
  "signing.appearance.text",
  "signing.appearance.page",
  "signing.appearance.position",
  "output.folder",
  "output.folder_pattern",
  "ui.language",
  "ui.theme",
  "videoid.webhook_listen",
  "videoid.async_mode",
  "rao.default_token_label",
  "rao.id",
];

function entry(key: string, extra: Partial<SettingEntry> = {}): SettingEntry {
  return { key, value: null, kind: "text", origin: { layer: "default" }, locked: false, ...extra };
}

describe("grouping the settings", () => {
  it("places every setting of the desk in exactly one group, none under Other", () => {
    const groups = groupEntries(DESK_KEYS.map((key) => entry(key)));
    const placed = groups.flatMap((group) => group.rows.map((row) => row.entry.key));
    expect([...placed].sort()).toEqual([...DESK_KEYS].sort());
    expect(groups.map((group) => group.id)).toEqual([...GROUP_IDS]);
  });

  it("knows no key the desk lacks", () => {
    const known = GROUP_IDS.flatMap((id) => SPECS[id].map((spec) => spec.key));
    expect(known.filter((key) => !DESK_KEYS.includes(key))).toEqual([]);
  });

  it("keeps a setting from a newer desk reachable under Other, edited by its kind", () => {
    const groups = groupEntries([
      entry("ui.theme"),
      entry("future.retries", { kind: "integer", value: 3 }),
    ]);
    const other = groups.find((group) => group.id === "other");
    expect(other?.rows.map((row) => row.entry.key)).toEqual(["future.retries"]);
    expect(other?.rows[0]?.spec.control.type).toBe("integer");
  });

  it("leaves out groups' settings the desk no longer has", () => {
    const groups = groupEntries([entry("ui.theme")]);
    expect(groups.find((group) => group.id === "window")?.rows).toHaveLength(1);
    expect(groups.find((group) => group.id === "connection")?.rows).toEqual([]);
  });

  it("finds a key's control", () => {
    expect(specOf("optimizer.read_timeout_secs")?.control).toEqual({
      type: "integer",
      min: 1,
      max: 3600,
    });
    expect(specOf("nothing.here")).toBeUndefined();
  });
});

describe("origins and the first run", () => {
  it("names where a value comes from", () => {
    expect(originKind(entry("a"))).toBe("default");
    expect(originKind(entry("a", { origin: { layer: "system", path: "/etc/x" } }))).toBe("it");
    expect(originKind(entry("a", { origin: { layer: "user", path: "/home/x" } }))).toBe("user");
  });

  it("opens on the setup only when no Optimizer is configured and IT did not lock it", () => {
    expect(needsFirstRun([entry("optimizer.url")])).toBe(true);
    expect(needsFirstRun([entry("optimizer.url", { value: "  " })])).toBe(true);
    expect(needsFirstRun([entry("optimizer.url", { value: "https://opt.example" })])).toBe(false);
    expect(needsFirstRun([entry("optimizer.url", { locked: true })])).toBe(false);
    expect(needsFirstRun([])).toBe(false);
  });
});
