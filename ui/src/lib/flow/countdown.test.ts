import { describe, expect, it } from "vitest";
import { formatCountdown, retryAfterSeconds, secondsUntil } from "./countdown";

describe("secondsUntil", () => {
  const now = Date.parse("2025-03-01T10:00:00Z");

  it("counts whole seconds up to the time, rounding up", () => {
    expect(secondsUntil("2025-03-01T10:00:42Z", now)).toBe(42);
    expect(secondsUntil("2025-03-01T10:00:41.2Z", now)).toBe(42);
  });

  it("is zero once the time has passed or when there is none", () => {
    expect(secondsUntil("2025-03-01T09:59:00Z", now)).toBe(0);
    expect(secondsUntil(null, now)).toBe(0);
    expect(secondsUntil("not a time", now)).toBe(0);
  });

  it("reads the nanosecond times desk-core sends", () => {
    expect(secondsUntil("2025-03-01T10:01:00.123456789Z", now)).toBe(61);
  });
});

describe("formatCountdown", () => {
  it("shows minutes and two-digit seconds", () => {
    expect(formatCountdown(65)).toBe("1:05");
    expect(formatCountdown(42)).toBe("0:42");
    expect(formatCountdown(7)).toBe("0:07");
    expect(formatCountdown(0)).toBe("0:00");
  });

  it("never shows a negative or fractional time", () => {
    expect(formatCountdown(-3)).toBe("0:00");
    expect(formatCountdown(4.2)).toBe("0:05");
  });
});

describe("retryAfterSeconds", () => {
  it("reads the wait from the error's detail", () => {
    expect(retryAfterSeconds("retry_after_secs=37")).toBe(37);
    expect(
      retryAfterSeconds("retry_after_secs=12; Optimizer: Otp generated less than a minute ago"),
    ).toBe(12);
  });

  it("is null when the detail does not say", () => {
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds("Optimizer: too soon")).toBeNull();
  });
});
