import { describe, expect, it } from "vitest";
import { catalogs, textAt } from "../i18n/catalog";
import { LANGUAGES } from "../i18n/index.svelte";
import { GROUP_IDS, SPECS, textId } from "./model";

/**
 * The settings screens build some catalog keys from data (a setting's name, a choice, an error
 * code), which the general catalog test cannot see in the source: they are listed here.
 */
function requiredKeys(): string[] {
  const keys: string[] = [];
  for (const id of [...GROUP_IDS, "other"]) {
    for (const part of ["tab", "title", "lead"]) keys.push(`settings.groups.${id}.${part}`);
  }
  for (const id of GROUP_IDS) {
    for (const spec of SPECS[id]) {
      const base = `settings.keys.${textId(spec.key)}`;
      keys.push(`${base}.label`, `${base}.help`);
      const control = spec.control;
      if (control.type === "choice") {
        const options = control.optional ? ["unset", ...control.options] : control.options;
        keys.push(...options.map((option) => `${base}.options.${option}`));
      }
      if (control.type === "folder" || control.type === "file") keys.push(`${base}.dialogTitle`);
      if (control.type === "boolean") keys.push(`${base}.checkbox`);
      if (control.type === "proxy") {
        keys.push(...["system", "none", "url"].map((option) => `${base}.options.${option}`));
      }
    }
  }
  for (const origin of ["default", "it", "user", "locked"]) keys.push(`settings.origin.${origin}`);
  for (const problem of ["empty", "spaces", "scheme", "host", "credentials", "invalid"]) {
    keys.push(`settings.problems.url.${problem}`);
  }
  for (const step of ["server", "token", "ready"]) keys.push(`setup.steps.${step}`);
  return keys;
}

/** Every error these screens can meet (desk-core's and the client's codes). */
const ERROR_CODES = [
  "optimizer.unreachable",
  "optimizer.timeout",
  "optimizer.not_recognised",
  "optimizer.not_configured",
  "optimizer.bad_response",
  "optimizer.server_error",
  "optimizer.unexpected_status",
  "optimizer.unsupported_operation",
  "optimizer.redirect_refused",
  "optimizer.misconfigured",
  "tls.untrusted_certificate",
  "tls.hostname_mismatch",
  "tls.handshake_failed",
  "proxy.auth_required",
  "proxy.unreachable",
  "config.invalid",
  "io.file",
  "json.rejected",
  "settings.locked",
  "settings.invalid_value",
  "settings.unknown_key",
  "settings.write_failed",
  "settings.unreadable",
  "settings.malformed_file",
  "settings.secret_in_file",
  "vault.unavailable",
  "vault.locked",
  "vault.secret_missing",
  "vault.unknown_token",
  "vault.invalid_name",
  "vault.empty_secret",
  "vault.bad_encoding",
  "vault.ambiguous",
  "vault.failure",
  "vault.index_unreadable",
  "vault.index_write_failed",
  "billing.invalid",
  "billing.no_username",
  "rao.invalid_credentials",
  "rao.not_found",
  "rao.incomplete_credentials",
  "rao.permission_denied",
  "token.already_exists",
  "token.not_found",
  "request.environment_unavailable",
  "paths.no_home_directory",
  "paths.not_absolute",
  "paths.create_failed",
  "journal.open_failed",
  "journal.newer_schema",
  "journal.migration_failed",
  "journal.busy",
  "journal.database",
  "journal.corrupt",
  "app.dialog_failed",
];

describe("texts of the settings screens", () => {
  it.each(LANGUAGES)("%s words every setting, group and choice", (language) => {
    const catalog = catalogs[language] ?? {};
    expect(requiredKeys().filter((key) => !textAt(catalog, key))).toEqual([]);
  });

  it.each(LANGUAGES)("%s words every error the settings screens can meet", (language) => {
    const catalog = catalogs[language] ?? {};
    const missing = ERROR_CODES.flatMap((code) =>
      ["title", "action"].map((part) => `errors.${code}.${part}`),
    ).filter((key) => !textAt(catalog, key));
    expect(missing).toEqual([]);
  });
});
