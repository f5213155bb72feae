import { describe, expect, it } from "vitest";
import { baseName, looksLikePdf, looksLikePhoto, parentFolder } from "./paths";

describe("paths", () => {
  it("finds the file name and folder of Unix and Windows paths", () => {
    expect(baseName("/home/ana/signed/Loan.pdf")).toBe("Loan.pdf");
    expect(parentFolder("/home/ana/signed/Loan.pdf")).toBe("/home/ana/signed");
    expect(baseName("C:\\Users\\ana\\Loan.pdf")).toBe("Loan.pdf");
    expect(parentFolder("C:\\Users\\ana\\Loan.pdf")).toBe("C:\\Users\\ana");
    expect(parentFolder("/Loan.pdf")).toBe("/");
  });

  it("sorts dropped files by their extension", () => {
    expect(looksLikePdf("/x/Contract.PDF")).toBe(true);
    expect(looksLikePhoto("/x/front.JPG")).toBe(true);
    expect(looksLikePhoto("/x/front.jpeg")).toBe(true);
    expect(looksLikePhoto("/x/front.pdf")).toBe(false);
  });
});
