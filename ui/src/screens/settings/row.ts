import type { JsonValue } from "../../lib/bindings";
import type { Problem } from "../../lib/settings/values";

/** What a setting's control may ask of its row: save a value, or show a problem or failure. */
export interface RowApi {
  /** Saves through desk-core; false when it refused (the row shows why). */
  save(value: JsonValue): Promise<boolean>;
  /** A mistake in what was typed, shown under the field (`null` clears it). */
  problem(problem: Problem | null): void;
  /** A command that failed, shown with its words. */
  failure(error: unknown): void;
}

/** The DOM ids of a setting's parts, for labels and descriptions. */
export function idsOf(key: string): { input: string; label: string; help: string; note: string } {
  const base = `setting-${key.replaceAll(".", "-")}`;
  return {
    input: `${base}-input`,
    label: `${base}-label`,
    help: `${base}-help`,
    note: `${base}-note`,
  };
}
