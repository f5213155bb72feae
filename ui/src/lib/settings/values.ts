import type { JsonValue } from "../bindings";
import type { Control, TextCheck } from "./model";

/**
 * Turning what the employee typed into a setting's value, with the same rules desk-core applies
 * (so a mistake is shown as it is typed, in words, rather than after a round trip), and back.
 * desk-core checks everything again: these checks only make the screen kinder.
 */

/** A problem with typed text: a catalog key under `settings.problems.` and its values. */
export interface Problem {
  code: string;
  values?: Record<string, string | number>;
}

export type Parsed = { ok: true; value: JsonValue } | { ok: false; problem: Problem };

const ok = (value: JsonValue): Parsed => ({ ok: true, value });
const fail = (code: string, values?: Problem["values"]): Parsed => ({
  ok: false,
  problem: values ? { code, values } : { code },
});

/** A value as the text its field shows. */
export function toText(value: JsonValue): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((line) => toText(line)).join("\n");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

// Control characters are refused by desk-core's text values; the pattern is built from code
// points so the source holds no invisible characters.
const CONTROL = new RegExp(
  `[${String.fromCharCode(0)}-${String.fromCharCode(31)}${String.fromCharCode(127)}]`,
);

/** Parses the text of a field edited with `control`. */
export function parseText(control: Control, typed: string): Parsed {
  switch (control.type) {
    case "integer":
      return parseInteger(typed, control.min, control.max);
    case "lines":
      return parseLines(typed, control.maxLines, control.maxChars);
    case "folder":
    case "file":
      return parsePath(typed);
    case "proxy":
      return parseProxy(typed);
    case "text":
      return parsePlainText(typed, control.optional, control.check);
    case "boolean":
      return ok(typed === "true");
    default:
      return ok(typed.trim());
  }
}

function parseInteger(typed: string, min: number, max: number): Parsed {
  const trimmed = typed.trim();
  if (trimmed === "") return fail("required");
  if (!/^-?\d+$/.test(trimmed)) return fail("wholeNumber");
  const number = Number(trimmed);
  if (number < min || number > max) return fail("range", { min, max });
  return ok(number);
}

function parseLines(typed: string, maxLines: number, maxChars: number): Parsed {
  const lines = typed.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === "") lines.pop();
  if (lines.length > maxLines) return fail("tooManyLines", { max: maxLines });
  if (lines.some((line) => [...line].length > maxChars))
    return fail("lineTooLong", { max: maxChars });
  return ok(lines);
}

/** An absolute path on Linux/macOS (`/…`) or Windows (`C:\…`, `\\server\share`). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("\\\\");
}

function parsePath(typed: string): Parsed {
  const path = typed.trim();
  if (path === "") return ok("");
  return isAbsolutePath(path) ? ok(path) : fail("absolutePath");
}

function parseProxy(typed: string): Parsed {
  const proxy = typed.trim();
  if (proxy === "system" || proxy === "none") return ok(proxy);
  if (proxy === "") return fail("required");
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    return fail("proxyUrl");
  }
  if (!["http:", "https:", "socks5:", "socks5h:"].includes(url.protocol))
    return fail("proxyScheme");
  if (url.username !== "" || url.password !== "") return fail("credentialsInUrl");
  return ok(proxy);
}

function parsePlainText(typed: string, optional: boolean, check?: TextCheck): Parsed {
  const trimmed = typed.trim();
  if (trimmed === "") return optional ? ok("") : fail("required");
  if (CONTROL.test(trimmed)) return fail("controlCharacters");
  if ([...trimmed].length > 256) return fail("tooLong", { max: 256 });
  switch (check) {
    case "position":
      return checkPosition(trimmed);
    case "socketAddress":
      return checkSocketAddress(trimmed);
    case "folderPattern":
      return checkFolderPattern(trimmed);
    case "languageCode":
      return /^[A-Za-z]{2}$/.test(trimmed) ? ok(trimmed.toUpperCase()) : fail("languageCode");
    default:
      return ok(trimmed);
  }
}

/** `x1,y1,x2,y2` in points, not negative, with x1 < x2 and y1 < y2. */
function checkPosition(text: string): Parsed {
  const parts = text.split(",").map((part) => part.trim());
  const numbers = parts.map((part) => (/^\d+(\.\d+)?$/.test(part) ? Number(part) : Number.NaN));
  const [x1, y1, x2, y2] = numbers;
  if (
    numbers.length !== 4 ||
    numbers.some((n) => Number.isNaN(n)) ||
    x1 === undefined ||
    y1 === undefined ||
    x2 === undefined ||
    y2 === undefined ||
    x1 >= x2 ||
    y1 >= y2
  ) {
    return fail("position");
  }
  return ok(numbers.join(","));
}

/** An IP address and a port: `0.0.0.0:8787` or `[::1]:8787`. */
function checkSocketAddress(text: string): Parsed {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(text);
  const v6 = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(text);
  const port = Number(v4?.[5] ?? v6?.[2] ?? Number.NaN);
  const octetsOk = v4 ? v4.slice(1, 5).every((octet) => Number(octet) <= 255) : true;
  if ((!v4 && !v6) || !octetsOk || !(port >= 1 && port <= 65535)) return fail("socketAddress");
  return ok(text);
}

/** The placeholders a request folder's name may use. */
export const FOLDER_PLACEHOLDERS = ["date", "surname", "given_name", "request_pk"] as const;

function checkFolderPattern(text: string): Parsed {
  if (/[/\\]/.test(text)) return fail("patternSeparator");
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    const name = match[1] ?? "";
    if (!(FOLDER_PLACEHOLDERS as readonly string[]).includes(name)) {
      return fail("patternPlaceholder", { name: `{${name}}` });
    }
  }
  const unbalanced = text.replace(/\{[^{}]*\}/g, "");
  if (/[{}]/.test(unbalanced)) return fail("patternBraces");
  return ok(text);
}

/** An example of the folder a pattern makes, e.g. "2025-03-14 García 388141". */
export function folderExample(pattern: string, sample: Record<string, string>): string {
  return pattern.replace(/\{([a-z_]+)\}/g, (whole: string, name: string) => sample[name] ?? whole);
}

/** Whether `typed` differs from the saved value once both are normalised. */
export function differs(control: Control, saved: JsonValue, typed: string): boolean {
  const parsed = parseText(control, typed);
  const savedText = toText(saved);
  if (!parsed.ok) return typed !== savedText;
  return toText(parsed.value) !== savedText;
}
