import { describe, expect, it } from "vitest";
import { checkOptimizerUrl, sameOptimizerUrl } from "./url";

describe("the Optimizer's address", () => {
  it("accepts http and https addresses as typed", () => {
    expect(checkOptimizerUrl(" https://optimizer.bank.local ")).toEqual({
      ok: true,
      url: "https://optimizer.bank.local",
    });
    expect(checkOptimizerUrl("http://127.0.0.1:8080/optimizer/")).toEqual({
      ok: true,
      url: "http://127.0.0.1:8080/optimizer/",
    });
  });

  it("reads a bare host name as https", () => {
    expect(checkOptimizerUrl("optimizer.bank.local:8443")).toEqual({
      ok: true,
      url: "https://optimizer.bank.local:8443",
    });
  });

  it("explains what is wrong", () => {
    expect(checkOptimizerUrl("")).toEqual({ ok: false, problem: "empty" });
    expect(checkOptimizerUrl("https://opt bank")).toEqual({ ok: false, problem: "spaces" });
    expect(checkOptimizerUrl("ftp://optimizer")).toEqual({ ok: false, problem: "scheme" });
    expect(checkOptimizerUrl("https://user:pw@optimizer")).toEqual({
      ok: false,
      problem: "credentials",
    });
    expect(checkOptimizerUrl("https://")).toEqual({ ok: false, problem: "invalid" });
  });
});

describe("comparing addresses", () => {
  it("ignores a trailing slash, spaces and a missing https://", () => {
    expect(sameOptimizerUrl("http://127.0.0.1:8080/", " http://127.0.0.1:8080")).toBe(true);
    expect(sameOptimizerUrl("optimizer.bank.local", "https://optimizer.bank.local/")).toBe(true);
    expect(sameOptimizerUrl("http://a:1", "http://a:2")).toBe(false);
    expect(sameOptimizerUrl("", "")).toBe(true);
  });
});
