import { describe, expect, it } from "vitest";
import { isCancellable, isFollowed, videoStepOfState, videoStepStatus } from "./steps";

describe("VideoID steps", () => {
  it("puts the identification and the decision before the classic tail", () => {
    expect(videoStepOfState(null)).toBe("customer");
    expect(videoStepOfState("video_pending")).toBe("identification");
    expect(videoStepOfState("video_incomplete")).toBe("identification");
    expect(videoStepOfState("video_review")).toBe("decision");
    expect(videoStepOfState("approved")).toBe("documents");
    expect(videoStepOfState("contract_fetched")).toBe("review");
    expect(videoStepOfState("otp_sent")).toBe("code");
    expect(videoStepOfState("refused")).toBe("result");
  });

  it("orders the steps", () => {
    expect(videoStepStatus("identification", "decision")).toBe("done");
    expect(videoStepStatus("decision", "decision")).toBe("current");
    expect(videoStepStatus("result", "decision")).toBe("upcoming");
  });

  it("follows the status only while the identification is open", () => {
    expect(isFollowed("video_pending")).toBe(true);
    expect(isFollowed("video_review")).toBe(true);
    expect(isFollowed("approved")).toBe(false);
    expect(isCancellable("video_review")).toBe(true);
    expect(isCancellable("signed")).toBe(false);
    expect(isCancellable("refused")).toBe(false);
  });
});
