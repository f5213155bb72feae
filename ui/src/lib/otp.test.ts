import { describe, expect, it } from "vitest";
import { isCompleteOtp, normaliseOtpInput } from "./otp";

describe("normaliseOtpInput", () => {
  it("keeps digits typed with separators", () => {
    expect(normaliseOtpInput("123 456")).toBe("123456");
    expect(normaliseOtpInput("123-456")).toBe("123456");
  });

  it("extracts the code from a pasted SMS text", () => {
    expect(normaliseOtpInput("Your code is 654321.")).toBe("654321");
  });

  it("caps the code at six digits", () => {
    expect(normaliseOtpInput("12345678")).toBe("123456");
  });
});

describe("isCompleteOtp", () => {
  it("accepts exactly six digits only", () => {
    expect(isCompleteOtp("123456")).toBe(true);
    expect(isCompleteOtp("12345")).toBe(false);
    expect(isCompleteOtp("12345a")).toBe(false);
  });
});
