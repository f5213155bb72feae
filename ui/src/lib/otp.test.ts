import { describe, expect, it } from "vitest";
import { isCompleteOtp, normaliseOtpInput, otpFromPaste, otpSlots } from "./otp";

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

describe("otpFromPaste", () => {
  it("prefers a run of exactly six digits in a pasted SMS", () => {
    expect(otpFromPaste("Your code 482913 is valid for 5 minutes")).toBe("482913");
    expect(otpFromPaste("Ref 12: code 482913")).toBe("482913");
  });

  it("falls back to every digit when no run has six", () => {
    expect(otpFromPaste("482 913")).toBe("482913");
    expect(otpFromPaste("48-29")).toBe("4829");
  });
});

describe("otpSlots", () => {
  it("shows one box per digit, empty where none was typed", () => {
    expect(otpSlots("123")).toEqual(["1", "2", "3", "", "", ""]);
    expect(otpSlots("")).toHaveLength(6);
  });
});
