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
