import { describe, expect, it } from "vitest";
import { checkOptimizerUrl } from "./url";

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
