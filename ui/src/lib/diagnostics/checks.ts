import type { Check, Diagnosis } from "../bindings";

/** How a check is shown: passed, worth a look, or stopping the desk from signing. */
export type CheckStatus = "ok" | "warning" | "failed";

/**
 * The catalog stem of each check desk-core runs, by its stable name
 * (`diagnostics.checks.<stem>.label` / `.fix`). A check added later without texts is shown by
 * its own name.
 */
const STEMS: Record<string, string> = {
  optimizer: "optimizer",
  layout: "layout",
  tls: "tls",
  proxy: "proxy",
  keyring: "keyring",
  pdfium: "pdfium",
  "output folder": "outputFolder",
  "disk space": "diskSpace",
  "rao token": "raoToken",
};

/** Every check name the screen has words for. */
export const KNOWN_CHECKS = Object.keys(STEMS);

/** The catalog stem of a check, or `null` for a check the window has no words for. */
export function checkStem(name: string): string | null {
  return STEMS[name] ?? null;
}

/** The check's name as a `data-testid` part ("output folder" → "output-folder"). */
export function checkTestId(name: string): string {
  return name.trim().replace(/\s+/g, "-");
}

/**
 * Whether a failed check only failed because the Optimizer was not reached (or is not set up):
 * the layout and TLS cannot be checked then, and showing them as failures too would send the
 * reader after three problems where there is one.
 */
function dependsOnOptimizer(check: Check, checks: readonly Check[]): boolean {
  if (check.name !== "layout" && check.name !== "tls") return false;
  if (check.code === "tls.not_checked") return true;
  const optimizer = checks.find((c) => c.name === "optimizer");
  return optimizer !== undefined && !optimizer.ok && optimizer.code === check.code;
}

/**
 * The check's status. Failures that do not stop signing by themselves are warnings: little free
 * disk space (small documents still fit) and checks that could not run because the Optimizer
 * was not reached.
 */
export function checkStatus(check: Check, checks: readonly Check[]): CheckStatus {
  if (check.ok) return "ok";
  if (check.code === "output.no_space") return "warning";
  if (dependsOnOptimizer(check, checks)) return "warning";
  return "failed";
}

/** The words shown for a check that did not pass: what is wrong and what to do next. */
export interface ProblemTexts {
  /** A catalog key naming the problem. */
  problem: string;
  /** A catalog key saying what to do next. */
  next: string;
}

/**
 * Catalog keys for a check that did not pass. `has` tells whether the catalogs have a key.
 * Words meant for this screen come first (`diagnostics.fix.<code>`), then the error's own words
 * (`errors.<code>.*`, shared with the rest of the window), then the check's general advice.
 */
export function problemTexts(
  check: Check,
  checks: readonly Check[],
  has: (key: string) => boolean,
): ProblemTexts {
  const stem = checkStem(check.name);
  const general = stem ? `diagnostics.checks.${stem}.fix` : "errors.generic.action";
  if (dependsOnOptimizer(check, checks)) {
    return { problem: "diagnostics.notChecked", next: "diagnostics.notCheckedNext" };
  }
  const code = check.code ?? "";
  const errorTitle = `errors.${code}.title`;
  const problem = code && has(errorTitle) ? errorTitle : "errors.generic.title";
  const own = `diagnostics.fix.${code}`;
  const errorAction = `errors.${code}.action`;
  let next = general;
  if (code && has(own)) next = own;
  else if (code && has(errorAction)) next = errorAction;
  return { problem, next };
}

/** How many checks have each status. */
export function countStatuses(diagnosis: Diagnosis): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { ok: 0, warning: 0, failed: 0 };
  for (const check of diagnosis.checks) counts[checkStatus(check, diagnosis.checks)] += 1;
  return counts;
}

/** The words a plain-text report needs, already translated. */
export interface ReportWords {
  heading: string;
  label: (check: Check) => string;
  status: (status: CheckStatus) => string;
}

/**
 * The checks as plain text for pasting into a message to IT: one line per check with its
 * status, name, the technical detail and the error code. Details come from desk-core, which
 * never puts a secret in them (the token check names the token's label, never its value).
 */
export function reportText(diagnosis: Diagnosis, words: ReportWords): string {
  const lines = diagnosis.checks.map((check) => {
    const status = words.status(checkStatus(check, diagnosis.checks));
    const code = check.code ? ` [${check.code}]` : "";
    return `${status} — ${words.label(check)} (${check.name}): ${check.detail}${code}`;
  });
  return [words.heading, "", ...lines].join("\n") + "\n";
}

/** The proposed name of a support bundle made at `when` (local time), e.g. `oneshot-desk-support-20261123-0915.zip`. */
export function bundleFileName(when: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const date = `${String(when.getFullYear())}${two(when.getMonth() + 1)}${two(when.getDate())}`;
  const time = `${two(when.getHours())}${two(when.getMinutes())}`;
  return `oneshot-desk-support-${date}-${time}.zip`;
}
