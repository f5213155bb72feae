import { describe, expect, it } from "vitest";
import type { Control } from "./model";
import { differs, folderExample, isAbsolutePath, parseText, toText } from "./values";

const text = (
  optional: boolean,
  check?: "position" | "socketAddress" | "folderPattern",
): Control => (check ? { type: "text", optional, check } : { type: "text", optional });

function problem(control: Control, typed: string): string | null {
  const parsed = parseText(control, typed);
  return parsed.ok ? null : parsed.problem.code;
}

function value(control: Control, typed: string): unknown {
  const parsed = parseText(control, typed);
  if (!parsed.ok) throw new Error(`refused: ${parsed.problem.code}`);
  return parsed.value;
}

describe("typed values", () => {
  it("reads whole numbers within their range", () => {
    const seconds: Control = { type: "integer", min: 1, max: 300 };
    expect(value(seconds, " 30 ")).toBe(30);
    expect(problem(seconds, "")).toBe("required");
    expect(problem(seconds, "2.5")).toBe("wholeNumber");
    expect(problem(seconds, "ten")).toBe("wholeNumber");
    const refused = parseText(seconds, "301");
    expect(refused).toEqual({
      ok: false,
      problem: { code: "range", values: { min: 1, max: 300 } },
    });
  });

  it("unsets an optional text when emptied and requires the others", () => {
    expect(value(text(true), "   ")).toBe("");
    expect(problem(text(false), "")).toBe("required");
    expect(value(text(true), "  9999 ")).toBe("9999");
    expect(problem(text(true), "x".repeat(257))).toBe("tooLong");
    expect(problem(text(true), `a${String.fromCharCode(7)}b`)).toBe("controlCharacters");
  });

  it("reads signature lines, dropping trailing empty ones", () => {
    const lines: Control = { type: "lines", maxLines: 3, maxChars: 10 };
    expect(value(lines, "%(CN)s\n%(DATE)s\n\n")).toEqual(["%(CN)s", "%(DATE)s"]);
    expect(value(lines, "")).toEqual([]);
    expect(problem(lines, "a\nb\nc\nd")).toBe("tooManyLines");
    expect(problem(lines, "12345678901")).toBe("lineTooLong");
    expect(toText(["a", "b"])).toBe("a\nb");
  });

  it("checks the signature rectangle like the desk does", () => {
    const position = text(false, "position");
    expect(value(position, "300, 100, 500, 150")).toBe("300,100,500,150");
    for (const bad of ["1,2,3", "5,1,4,2", "1,2,3,x", "-1,0,3,4", "1,1,1,1"]) {
      expect(problem(position, bad), bad).toBe("position");
    }
  });

  it("checks the webhook address", () => {
    const address = text(true, "socketAddress");
    expect(value(address, "0.0.0.0:8787")).toBe("0.0.0.0:8787");
    expect(value(address, "[::1]:8787")).toBe("[::1]:8787");
    expect(value(address, "")).toBe("");
    for (const bad of ["localhost:8787", "1.2.3.4", "300.1.1.1:80", "1.2.3.4:70000"]) {
      expect(problem(address, bad), bad).toBe("socketAddress");
    }
  });

  it("checks the request folder's name pattern and shows an example", () => {
    const pattern = text(false, "folderPattern");
    expect(value(pattern, "{date} {surname} {request_pk}")).toBe("{date} {surname} {request_pk}");
    expect(problem(pattern, "{date}/{surname}")).toBe("patternSeparator");
    expect(parseText(pattern, "{date} {name}")).toEqual({
      ok: false,
      problem: { code: "patternPlaceholder", values: { name: "{name}" } },
    });
    expect(problem(pattern, "{date} {surname")).toBe("patternBraces");
    expect(problem(pattern, "date}")).toBe("patternBraces");
    expect(
      folderExample("{date} {surname} {request_pk}", {
        date: "2025-03-14",
        surname: "García",
        request_pk: "388141",
      }),
    ).toBe("2025-03-14 García 388141");
  });

  it("accepts the proxy words and proxy URLs without credentials", () => {
    const proxy: Control = { type: "proxy" };
    expect(value(proxy, "system")).toBe("system");
    expect(value(proxy, "none")).toBe("none");
    expect(value(proxy, "http://proxy.bank.local:3128")).toBe("http://proxy.bank.local:3128");
    expect(value(proxy, "socks5h://proxy:1080")).toBe("socks5h://proxy:1080");
    expect(problem(proxy, "ftp://proxy")).toBe("proxyScheme");
    expect(problem(proxy, "http://user:pw@proxy")).toBe("credentialsInUrl");
    expect(problem(proxy, "proxy here")).toBe("proxyUrl");
  });

  it("wants absolute paths for files and folders", () => {
    expect(isAbsolutePath("/etc/ssl/ca.pem")).toBe(true);
    expect(isAbsolutePath("C:\\certs\\ca.pem")).toBe(true);
    expect(isAbsolutePath("\\\\server\\share")).toBe(true);
    expect(isAbsolutePath("certs/ca.pem")).toBe(false);
    expect(problem({ type: "folder" }, "signed")).toBe("absolutePath");
    expect(value({ type: "file", kind: "certificate" }, " ")).toBe("");
  });

  it("tells a real change from the same value typed differently", () => {
    const seconds: Control = { type: "integer", min: 1, max: 300 };
    expect(differs(seconds, 10, " 10")).toBe(false);
    expect(differs(seconds, 10, "11")).toBe(true);
    expect(differs(text(true), null, "")).toBe(false);
    expect(differs(text(true), "9999", "9998")).toBe(true);
  });
});
