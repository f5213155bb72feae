import { describe, expect, it } from "vitest";
import { canLookBack, stepOfState, stepStatus } from "./steps";

describe("steps", () => {
  it("maps every state to the step the employee sees", () => {
    expect(stepOfState(null)).toBe("customer");
    expect(stepOfState("draft")).toBe("sending");
    expect(stepOfState("uploaded")).toBe("sending");
    expect(stepOfState("contract_fetched")).toBe("review");
    expect(stepOfState("reviewed")).toBe("code");
    expect(stepOfState("otp_sent")).toBe("code");
    expect(stepOfState("verified")).toBe("result");
    expect(stepOfState("done")).toBe("result");
  });

  it("orders steps", () => {
    expect(stepStatus("customer", "review")).toBe("done");
    expect(stepStatus("review", "review")).toBe("current");
    expect(stepStatus("result", "review")).toBe("upcoming");
  });

  it("lets the employee look back at the customer and, before signing, the documents", () => {
    expect(canLookBack("customer", "contract_fetched")).toBe(true);
    expect(canLookBack("review", "otp_sent")).toBe(true);
    expect(canLookBack("review", "done")).toBe(false);
    expect(canLookBack("sending", "otp_sent")).toBe(false);
    expect(canLookBack("customer", null)).toBe(false);
    expect(canLookBack("customer", "cancelled")).toBe(false);
  });
});
