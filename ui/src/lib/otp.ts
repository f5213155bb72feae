/** Length of the one-time code the Optimizer sends by SMS or WhatsApp. */
export const OTP_LENGTH = 6;

/**
 * Keeps only the digits of what the employee typed or pasted ("123 456", "123-456", a whole SMS
 * text such as "Your code is 123456"), capped at the code's length.
 */
export function normaliseOtpInput(raw: string): string {
  return raw.replace(/\D/g, "").slice(0, OTP_LENGTH);
}

/** Whether the code is complete and can be sent with the sign call. */
export function isCompleteOtp(code: string): boolean {
  return code.length === OTP_LENGTH && /^\d+$/.test(code);
}

/**
 * The code in a pasted text. A run of exactly six digits wins ("Code 123456, valid 5 min"
 * would otherwise give "123456" + "5"); without one, every digit counts, as when typing.
 */
export function otpFromPaste(text: string): string {
  const runs = text.match(/\d+/g) ?? [];
  const exact = runs.find((run) => run.length === OTP_LENGTH);
  return exact ?? normaliseOtpInput(text);
}

/** The six boxes of the code entry: each typed digit, or an empty box. */
export function otpSlots(code: string): string[] {
  return Array.from({ length: OTP_LENGTH }, (_, index) => code[index] ?? "");
}
