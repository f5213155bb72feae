/**
 * The wizard's steps as the stepper shows them, and which one a flow's state belongs to. The
 * flow's own milestones are finer (created, uploaded, ...); the employee sees five steps.
 */
import type { FlowState } from "../bindings";

export const FLOW_STEPS = ["customer", "sending", "review", "code", "result"] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];

/** The step a flow in `state` is at (`customer` before any flow exists). */
export function stepOfState(state: FlowState | null): FlowStep {
  switch (state) {
    case null:
      return "customer";
    case "draft":
    case "video_pending":
    case "video_incomplete":
    case "video_error":
    case "video_review":
    case "approved":
    case "created":
    case "uploaded":
      return "sending";
    case "contract_fetched":
      return "review";
    case "reviewed":
    case "otp_sent":
      return "code";
    case "signed":
    case "retrieved":
    case "verified":
    case "cleaned":
    case "done":
    case "cancelled":
    case "refused":
      return "result";
  }
}

/** Where `step` stands relative to the flow's `current` step. */
export function stepStatus(step: FlowStep, current: FlowStep): "done" | "current" | "upcoming" {
  const index = FLOW_STEPS.indexOf(step);
  const at = FLOW_STEPS.indexOf(current);
  return index < at ? "done" : index === at ? "current" : "upcoming";
}

/**
 * Steps the employee may go back to and look at while the flow waits for them: the customer's
 * details (read-only once the request exists) and, until the customer signed, the documents.
 */
export function canLookBack(step: FlowStep, state: FlowState | null): boolean {
  if (state === null || state === "cancelled") return false;
  const current = stepOfState(state);
  if (stepStatus(step, current) !== "done") return false;
  return step === "customer" || (step === "review" && current === "code");
}
