import { describe, expect, it } from "vitest";
import type { FlowSnapshot } from "../bindings";
import { mergeRequest, needsEmployee, sortRequests } from "./list";

function request(id: number, created: string, extra: Partial<FlowSnapshot> = {}): FlowSnapshot {
  return {
    id,
    created_at: created,
    finished: false,
    next_action: "review_identification",
    ...extra,
  } as FlowSnapshot;
}

describe("requests list", () => {
  it("lists the newest first", () => {
    const list = sortRequests([
      request(1, "2026-01-01T10:00:00Z"),
      request(3, "2026-01-01T12:00:00Z"),
      request(2, "2026-01-01T12:00:00Z"),
    ]);
    expect(list.map((r) => r.id)).toEqual([3, 2, 1]);
  });

  it("replaces a request by its newer snapshot and keeps the limit", () => {
    const list = [request(2, "2026-01-01T12:00:00Z"), request(1, "2026-01-01T10:00:00Z")];
    const merged = mergeRequest(list, request(1, "2026-01-01T10:00:00Z", { state: "approved" }), 5);
    expect(merged.map((r) => [r.id, r.state])).toEqual([
      [2, undefined],
      [1, "approved"],
    ]);
    expect(mergeRequest(list, request(9, "2026-01-02T00:00:00Z"), 2).map((r) => r.id)).toEqual([
      9, 2,
    ]);
  });

  it("marks the requests waiting for the employee", () => {
    expect(needsEmployee(request(1, "2026-01-01T00:00:00Z"))).toBe(true);
    expect(
      needsEmployee(request(1, "2026-01-01T00:00:00Z", { next_action: "wait_for_customer" })),
    ).toBe(false);
    expect(needsEmployee(request(1, "2026-01-01T00:00:00Z", { finished: true }))).toBe(false);
  });
});
