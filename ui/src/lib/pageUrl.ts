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

/** CSS pixels the viewer leaves beside the widest page at 100 % (its page area's margins). */
export const FIT_MARGIN = 32;

/**
 * About how many device pixels wide page 1 will be shown in a viewer filling an area
 * `areaWidth` CSS pixels wide: told to the native side when a document opens, so page 1 starts
 * rendering before the viewer exists. `null` while the area is not laid out.
 */
export function firstPagePixels(areaWidth: number, pixelRatio: number): number | null {
  if (!(areaWidth > 0)) return null;
  return Math.max(200, areaWidth - FIT_MARGIN) * pixelRatio;
}

/**
 * The scale to ask page 1 at: the one the native side prepared while the document opened
 * (`prepared`) when it is at least as sharp as needed and at most one step of rounding larger,
 * otherwise the viewer's own.
 */
export function firstPageScale(
  prepared: number | null,
  cssWidth: number,
  pageWidthPoints: number,
  pixelRatio: number,
): number {
  const own = renderScale(cssWidth, pageWidthPoints, pixelRatio);
  if (prepared === null) return own;
  const exact = (cssWidth * pixelRatio) / Math.max(pageWidthPoints, 1);
  return prepared >= exact - 1e-6 && prepared <= own + 0.125 + 1e-6 ? prepared : own;
}
