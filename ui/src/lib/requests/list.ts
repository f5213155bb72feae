/** The requests list: newest first, updated in place by each flow change. */
import type { FlowSnapshot } from "../bindings";

/** Newest first (by start time, then by id for flows started in the same instant). */
export function sortRequests(requests: readonly FlowSnapshot[]): FlowSnapshot[] {
  return [...requests].sort(
    (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id,
  );
}

/** The list with `snapshot` replacing its earlier self, or added when new (at most `limit`). */
export function mergeRequest(
  requests: readonly FlowSnapshot[],
  snapshot: FlowSnapshot,
  limit: number,
): FlowSnapshot[] {
  const others = requests.filter((request) => request.id !== snapshot.id);
  return sortRequests([snapshot, ...others]).slice(0, limit);
}

/** Whether the request waits for the employee (a review, a decision, a problem to solve). */
export function needsEmployee(request: FlowSnapshot): boolean {
  if (request.finished) return false;
  return request.next_action !== "wait" && request.next_action !== "wait_for_customer";
}
