/**
 * The VideoID wizard's steps as the stepper shows them, and which one a flow's state belongs
 * to. The identification and the RAO's decision come first; the classic flow's steps follow.
 */
import type { FlowState } from "../bindings";

export const VIDEO_STEPS = [
  "customer",
  "identification",
  "decision",
  "documents",
  "review",
  "code",
  "result",
] as const;
export type VideoStep = (typeof VIDEO_STEPS)[number];

/** The step a VideoID flow in `state` is at (`customer` before any flow exists). */
export function videoStepOfState(state: FlowState | null): VideoStep {
  switch (state) {
    case null:
      return "customer";
    case "draft":
    case "video_pending":
    case "video_incomplete":
    case "video_error":
      return "identification";
    case "video_review":
      return "decision";
    case "approved":
    case "created":
    case "uploaded":
      return "documents";
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
export function videoStepStatus(
  step: VideoStep,
  current: VideoStep,
): "done" | "current" | "upcoming" {
  const index = VIDEO_STEPS.indexOf(step);
  const at = VIDEO_STEPS.indexOf(current);
  return index < at ? "done" : index === at ? "current" : "upcoming";
}

/** States in which the identification is open: the desk follows the request's status. */
export function isFollowed(state: FlowState): boolean {
  return (
    state === "video_pending" ||
    state === "video_incomplete" ||
    state === "video_error" ||
    state === "video_review"
  );
}

/** States in which the request can still be withdrawn (nothing signed yet). */
export function isCancellable(state: FlowState): boolean {
  return [
    "draft",
    "video_pending",
    "video_incomplete",
    "video_error",
    "video_review",
    "approved",
    "created",
    "uploaded",
    "contract_fetched",
    "reviewed",
    "otp_sent",
  ].includes(state);
}
