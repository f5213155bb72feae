import { describe, expect, it } from "vitest";
import { canConfirmReview, remainingItems, reviewItems, withSeen } from "./reviewSeen";

const documents = [
  { name: "Loan agreement.pdf", original_path: "/home/desk/Loan agreement.pdf" },
  { name: "Insurance.pdf", original_path: "/home/desk/Insurance.pdf" },
];

describe("review tracking", () => {
  const items = reviewItems({ path: "/data/flows/7/contract.pdf", label: "Contract" }, documents);

  it("lists the contract first, then every document", () => {
    expect(items.map((item) => item.id)).toEqual(["contract", "document-0", "document-1"]);
    expect(items.map((item) => item.label)).toEqual([
      "Contract",
      "Loan agreement.pdf",
      "Insurance.pdf",
    ]);
  });

  it("says which items remain, in order", () => {
    expect(remainingItems(items, []).length).toBe(3);
    expect(remainingItems(items, ["document-0"]).map((item) => item.id)).toEqual([
      "contract",
      "document-1",
    ]);
  });

  it("marks an item seen once", () => {
    expect(withSeen(withSeen([], "contract"), "contract")).toEqual(["contract"]);
  });

  it("offers signing only when everything was seen and the employee confirmed", () => {
    const all = ["contract", "document-0", "document-1"];
    expect(canConfirmReview(items, all, false)).toBe(false);
    expect(canConfirmReview(items, ["contract", "document-1"], true)).toBe(false);
    expect(canConfirmReview(items, all, true)).toBe(true);
  });

  it("never offers signing without a contract to show", () => {
    const withoutContract = reviewItems({ path: null, label: "Contract" }, documents);
    expect(canConfirmReview(withoutContract, ["document-0", "document-1"], true)).toBe(false);
  });
});
