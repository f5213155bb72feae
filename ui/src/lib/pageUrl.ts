/** The URI scheme through which the native side serves rendered pages (see src-tauri viewer). */
const SCHEME = "pdfpage";

/**
 * The address of one rendered page. Windows' WebView2 reaches custom schemes as
 * `http://<scheme>.localhost/`; WebKit (Linux, macOS) as `<scheme>://localhost/`. A retry after
 * a failed load (`attempt` > 0) gets its own address, so the webview asks again instead of
 * reusing the failure.
 */
export function pageUrl(
  handle: string,
  page: number,
  scale: number,
  rotation = 0,
  attempt = 0,
): string {
  const windows = typeof navigator !== "undefined" && navigator.userAgent.includes("Windows");
  const base = windows ? `http://${SCHEME}.localhost` : `${SCHEME}://localhost`;
  const retry = attempt > 0 ? `&attempt=${attempt}` : "";
  return `${base}/${handle}/${page}?scale=${scale.toFixed(3)}&rotation=${rotation}${retry}`;
}

/**
 * The render scale (pixels per PDF point) for a page shown `cssWidth` pixels wide on a display
 * with `pixelRatio`, rounded up to an eighth so small resizes reuse the pages already rendered.
 */
export function renderScale(cssWidth: number, pageWidthPoints: number, pixelRatio: number): number {
  const exact = (cssWidth * pixelRatio) / Math.max(pageWidthPoints, 1);
  return Math.min(8, Math.max(0.125, Math.ceil(exact * 8) / 8));
}
