import { describe, expect, it } from "vitest";
import type { Check, Diagnosis } from "../bindings";
import { catalogs, textAt } from "../i18n/catalog";
import {
  KNOWN_CHECKS,
  bundleFileName,
  checkStatus,
  checkStem,
  checkTestId,
  countStatuses,
  problemTexts,
  reportText,
} from "./checks";

const ok = (name: string, detail = "fine"): Check => ({ name, ok: true, detail });
const failed = (name: string, code: string, detail = "broken"): Check => ({
  name,
  ok: false,
  detail,
  code,
});

const english = catalogs.en ?? {};
const has = (key: string) => textAt(english, key) !== undefined;

function diagnosis(checks: Check[]): Diagnosis {
  return {
    ok: checks.every((c) => c.ok),
    checks,
    connection: { url: null, reachable: false, layout: null, version: null, error: null },
  };
}

describe("check status", () => {
  it("is ok for a passed check and failed for a failure that stops signing", () => {
    const checks = [ok("keyring"), failed("pdfium", "pdf.library_missing")];
    expect(checkStatus(checks[0] as Check, checks)).toBe("ok");
    expect(checkStatus(checks[1] as Check, checks)).toBe("failed");
  });

  it("makes little disk space a warning", () => {
    const check = failed("disk space", "output.no_space");
    expect(checkStatus(check, [check])).toBe("warning");
  });

  it("makes layout and TLS warnings when only the unreachable Optimizer kept them from running", () => {
    const checks = [
      failed("optimizer", "optimizer.unreachable"),
      failed("layout", "optimizer.unreachable"),
      failed("tls", "tls.not_checked"),
    ];
    expect(checks.map((c) => checkStatus(c, checks))).toEqual(["failed", "warning", "warning"]);
    expect(countStatuses(diagnosis(checks))).toEqual({ ok: 0, warning: 2, failed: 1 });
  });

  it("keeps a TLS failure of its own a failure", () => {
    const checks = [
      failed("optimizer", "tls.untrusted_certificate"),
      failed("tls", "tls.untrusted_certificate"),
    ];
    // The same cause is shown on both lines, but it is a real TLS problem, worth a red mark.
    expect(checkStatus(checks[1] as Check, [ok("optimizer"), checks[1] as Check])).toBe("failed");
  });
});

describe("problem texts", () => {
  it("uses the error's own words when the catalogs have them", () => {
    const check = failed("optimizer", "optimizer.unreachable");
    expect(problemTexts(check, [check], has)).toEqual({
      problem: "errors.optimizer.unreachable.title",
      next: "errors.optimizer.unreachable.action",
    });
  });

  it("prefers words written for this screen", () => {
    const check = failed("disk space", "output.no_space");
    expect(problemTexts(check, [check], has).next).toBe("diagnostics.fix.output.no_space");
  });

  it("falls back to the check's general advice for an unknown code", () => {
    const check = failed("keyring", "vault.something_new");
    expect(problemTexts(check, [check], has)).toEqual({
      problem: "errors.generic.title",
      next: "diagnostics.checks.keyring.fix",
    });
  });

  it("says a dependent check was not run", () => {
    const checks = [
      failed("optimizer", "optimizer.unreachable"),
      failed("layout", "optimizer.unreachable"),
    ];
    expect(problemTexts(checks[1] as Check, checks, has).problem).toBe("diagnostics.notChecked");
  });

  it("has words for every check desk-core runs, and every key it can return exists", () => {
    for (const name of KNOWN_CHECKS) {
      const stem = checkStem(name);
      expect(has(`diagnostics.checks.${String(stem)}.label`), name).toBe(true);
      expect(has(`diagnostics.checks.${String(stem)}.fix`), name).toBe(true);
      const texts = problemTexts(failed(name, "some.code"), [], has);
      expect(has(texts.problem) && has(texts.next), name).toBe(true);
    }
  });
});

describe("report and file name", () => {
  it("writes one line per check with its status, name, detail and code", () => {
    const text = reportText(
      diagnosis([ok("keyring", "available"), failed("optimizer", "optimizer.unreachable", "down")]),
      {
        heading: "Report",
        label: (check) => check.name.toUpperCase(),
        status: (status) => status,
      },
    );
    expect(text).toBe(
      "Report\n\nok — KEYRING (keyring): available\n" +
        "failed — OPTIMIZER (optimizer): down [optimizer.unreachable]\n",
    );
  });

  it("names a bundle by the local date and time", () => {
    expect(bundleFileName(new Date(2026, 10, 3, 9, 5))).toBe(
      "oneshot-desk-support-20261103-0905.zip",
    );
  });

  it("turns check names into test ids", () => {
    expect(checkTestId("output folder")).toBe("output-folder");
    expect(checkTestId("rao token")).toBe("rao-token");
  });
});
