/**
 * Where the viewer's pages sit in its scroll area. Page sizes arrive a run at a time after a
 * long document opens, so the layout starts from estimates and is recomputed as they come; the
 * page under the reader is kept in place across such corrections.
 */

export interface Size {
  width: number;
  height: number;
}

/** An A4 page in points: the estimate when not even page 1's size is known. */
export const A4: Size = { width: 595, height: 842 };

/** `count` sizes: the known ones first, then the first known size (or A4) as the estimate. */
export function estimatedSizes(known: Size[], count: number): Size[] {
  const estimate = known[0] ?? A4;
  const sizes = known.slice(0, count);
  while (sizes.length < count) sizes.push(estimate);
  return sizes;
}

/** Top of each page in CSS pixels at `scale`, each page followed by `gap`; and the total. */
export function pageTops(
  sizes: Size[],
  scale: number,
  gap: number,
): { tops: number[]; end: number } {
  const tops: number[] = [];
  let top = 0;
  for (const size of sizes) {
    tops.push(top);
    top += size.height * scale + gap;
  }
  return { tops, end: top };
}

/** The last page whose top is at or above `y` (0 for an empty layout). */
export function pageAt(tops: number[], y: number): number {
  let low = 0;
  let high = tops.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((tops[middle] ?? 0) <= y) low = middle;
    else high = middle - 1;
  }
  return Math.max(0, low);
}

/**
 * The pages whose images the viewer keeps: those on screen, `ahead` more in the direction of
 * scrolling (rendered before the reader gets there) and `behind` in the other.
 */
export function keptPages(
  first: number,
  last: number,
  count: number,
  direction: 1 | -1,
  ahead: number,
  behind: number,
): { from: number; to: number } {
  const before = direction > 0 ? behind : ahead;
  const after = direction > 0 ? ahead : behind;
  return { from: Math.max(0, first - before), to: Math.min(count - 1, last + after) };
}
