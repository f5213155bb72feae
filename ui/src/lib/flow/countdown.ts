/**
 * The "send again" countdown: the Optimizer refuses a new code within a minute of the last one
 * (`otp.too_soon`), so the window counts down to `snapshot.otp.resend_available_at`.
 */

/** Whole seconds from `now` until `until` (an RFC 3339 time), never negative; 0 when unknown. */
export function secondsUntil(until: string | null | undefined, now: number): number {
  if (!until) return 0;
  const target = parseTime(until);
  if (Number.isNaN(target)) return 0;
  return Math.max(0, Math.ceil((target - now) / 1000));
}

/** "1:05", "0:42", "0:07": minutes and two-digit seconds, as a countdown reads. */
export function formatCountdown(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return `${minutes}:${String(rest).padStart(2, "0")}`;
}

/**
 * The seconds an `otp.too_soon` error asks to wait: its detail carries `retry_after_secs=N`
 * (possibly followed by the Optimizer's own words). `null` when the detail does not say.
 */
export function retryAfterSeconds(detail: string | null | undefined): number | null {
  const match = /retry_after_secs=(\d+)/.exec(detail ?? "");
  return match?.[1] ? Number.parseInt(match[1], 10) : null;
}

/**
 * Milliseconds of an RFC 3339 time. desk-core writes up to nine fractional digits, more than
 * every engine's `Date.parse` promises to read, so the fraction is cut to milliseconds first.
 */
export function parseTime(value: string): number {
  return Date.parse(value.replace(/(\.\d{3})\d+/, "$1"));
}
