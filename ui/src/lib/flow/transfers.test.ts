import { describe, expect, it } from "vitest";
import { fractionOf, transferKey, uploadFractions, withTransfer } from "./transfers";

const documents = [
  { name: "a.pdf", size: 100 },
  { name: "b, c.pdf", size: 300 },
  { name: "d.pdf", size: 600 },
];

describe("transfers", () => {
  it("keeps the latest progress per direction and file", () => {
    let map = withTransfer(
      {},
      {
        flow: 1,
        file: "contract",
        direction: "download",
        done: 10,
        total: 100,
      },
    );
    map = withTransfer(map, {
      flow: 1,
      file: "contract",
      direction: "download",
      done: 50,
      total: 100,
    });
    expect(fractionOf(map[transferKey("download", "contract")])).toBe(0.5);
  });

  it("has no fraction while the size is unknown", () => {
    expect(fractionOf({ done: 10, total: null })).toBeNull();
    expect(fractionOf(undefined)).toBeNull();
  });

  it("shares a batch's bytes over its documents in order", () => {
    const label = "a.pdf, b, c.pdf, d.pdf";
    // Half of a body of 1000 bytes of files plus 100 of headers: 500 bytes of files sent.
    const map = { [transferKey("upload", label)]: { done: 550, total: 1100 } };
    expect(uploadFractions(documents, map)).toEqual([1, 1, expect.closeTo(100 / 600, 5)]);
  });

  it("reads single-document uploads by their own name", () => {
    const map = { [transferKey("upload", "d.pdf")]: { done: 300, total: 600 } };
    expect(uploadFractions(documents, map)).toEqual([null, null, 0.5]);
  });

  it("tells names with commas from batches", () => {
    const map = { [transferKey("upload", "b, c.pdf")]: { done: 300, total: 300 } };
    expect(uploadFractions(documents, map)).toEqual([null, 1, null]);
  });
});
