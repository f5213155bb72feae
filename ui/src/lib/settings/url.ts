/**
 * The Optimizer's address as typed on the first-run and settings screens. desk-core accepts an
 * `http(s)://` URL with a host and no user name or password; people often type just the host
 * name, so a missing scheme is read as `https://` (the documented default) and shown as such.
 */

export type UrlCheck =
  | { ok: true; url: string }
  | { ok: false; problem: "empty" | "spaces" | "scheme" | "host" | "credentials" | "invalid" };

export function checkOptimizerUrl(typed: string): UrlCheck {
  const trimmed = typed.trim();
  if (trimmed === "") return { ok: false, problem: "empty" };
  if (/\s/.test(trimmed)) return { ok: false, problem: "spaces" };
  const hasScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed);
  const candidate = hasScheme ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, problem: "invalid" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, problem: "scheme" };
  if (url.hostname === "") return { ok: false, problem: "host" };
  if (url.username !== "" || url.password !== "") return { ok: false, problem: "credentials" };
  // Keep what the person typed (path prefix, port) rather than URL's re-serialisation, which
  // adds a trailing slash they did not write.
  return { ok: true, url: candidate };
}

/** Whether two typed addresses name the same server (a trailing slash is no difference). */
export function sameOptimizerUrl(a: string, b: string): boolean {
  const normal = (text: string) => {
    const check = checkOptimizerUrl(text);
    return (check.ok ? check.url : text.trim()).replace(/\/+$/, "");
  };
  return normal(a) === normal(b);
}
