import { describe, expect, it } from "vitest";
import { A4, estimatedSizes, keptPages, pageAt, pageTops } from "./pageLayout";

describe("estimatedSizes", () => {
  it("fills the unknown pages with the first known size", () => {
    const first = { width: 612, height: 792 };
    expect(estimatedSizes([first], 3)).toEqual([first, first, first]);
  });

  it("falls back to A4 when no size is known", () => {
    expect(estimatedSizes([], 2)).toEqual([A4, A4]);
  });
});

describe("pageTops and pageAt", () => {
  const sizes = [
    { width: 100, height: 100 },
    { width: 100, height: 200 },
    { width: 100, height: 100 },
  ];

  it("stacks pages with a gap after each", () => {
    expect(pageTops(sizes, 2, 10)).toEqual({ tops: [0, 210, 620], end: 830 });
  });

  it("finds the page at a height", () => {
    const { tops } = pageTops(sizes, 2, 10);
    expect(pageAt(tops, 0)).toBe(0);
    expect(pageAt(tops, 209)).toBe(0);
    expect(pageAt(tops, 210)).toBe(1);
    expect(pageAt(tops, 5000)).toBe(2);
    expect(pageAt([], 10)).toBe(0);
  });
});

describe("keptPages", () => {
  it("keeps more pages ahead of the scrolling than behind it", () => {
    expect(keptPages(10, 11, 100, 1, 3, 1)).toEqual({ from: 9, to: 14 });
    expect(keptPages(10, 11, 100, -1, 3, 1)).toEqual({ from: 7, to: 12 });
  });

  it("stays within the document", () => {
    expect(keptPages(0, 1, 3, 1, 3, 1)).toEqual({ from: 0, to: 2 });
  });
});
