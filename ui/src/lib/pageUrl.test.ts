import { describe, expect, it } from "vitest";
import { firstPagePixels, firstPageScale, pageUrl, renderScale } from "./pageUrl";

describe("pageUrl", () => {
  it("addresses a page by handle, index, scale and rotation", () => {
    expect(pageUrl("abc", 4, 1.5, 90)).toBe("pdfpage://localhost/abc/4?scale=1.500&rotation=90");
  });

  it("gives a retry its own address", () => {
    expect(pageUrl("abc", 4, 1.5, 0, 2)).toBe(
      "pdfpage://localhost/abc/4?scale=1.500&rotation=0&attempt=2",
    );
  });
});

describe("renderScale", () => {
  it("renders at the displayed size times the pixel ratio", () => {
    // An A4 page (595 pt) shown 595 CSS pixels wide on a 2x display: 2 pixels per point.
    expect(renderScale(595, 595, 2)).toBe(2);
  });

  it("rounds up to an eighth so nearby widths share renders", () => {
    expect(renderScale(600, 595, 1)).toBe(1.125);
    expect(renderScale(610, 595, 1)).toBe(1.125);
  });

  it("stays within the scales the native side accepts", () => {
    expect(renderScale(100000, 10, 2)).toBe(8);
    expect(renderScale(1, 5000, 1)).toBe(0.125);
  });
});

describe("firstPagePixels", () => {
  it("is the area's width less the viewer's margins, in device pixels", () => {
    expect(firstPagePixels(1032, 2)).toBe(2000);
  });

  it("is unknown before the area is laid out", () => {
    expect(firstPagePixels(0, 1)).toBeNull();
  });
});

describe("firstPageScale", () => {
  it("takes the prepared scale when it is the viewer's own", () => {
    expect(firstPageScale(1.125, 600, 595, 1)).toBe(1.125);
  });

  it("takes a prepared scale one rounding step larger (the area had no scroll bar yet)", () => {
    // Exact 1.0084: the viewer's own is 1.125, the prepared 1.25 is sharp enough.
    expect(firstPageScale(1.25, 600, 595, 1)).toBe(1.25);
  });

  it("refuses a prepared scale that would be blurry or far too large", () => {
    expect(firstPageScale(1, 600, 595, 1)).toBe(1.125);
    expect(firstPageScale(2, 600, 595, 1)).toBe(1.125);
  });

  it("uses the viewer's own scale when nothing was prepared", () => {
    expect(firstPageScale(null, 600, 595, 1)).toBe(1.125);
  });
});
