/**
 * The VideoID wizard's own state and calls. The flow itself is the desk's one current flow
 * (`flow` of the classic wizard's store), so the classic steps (documents, review, code,
 * result) work unchanged for it; what only VideoID needs lives here: the contact form, the
 * evidences form, the RAO's decision and the follower of the request's status.
 */
import {
  commands,
  type FlowSnapshot,
  type RaoDecider,
  type VideoIdKind,
  type VideoIdStart,
} from "../bindings";
import { applySnapshot, flow, startOver } from "../flow/store.svelte";
import { asFailure, unwrap } from "../ipc";
import { emptyEvidencesForm, type EvidencesFormState, toEvidences } from "./evidencesForm";
import { isFollowed } from "./steps";

export type ContactField = "given_name" | "surname_1" | "email" | "mobile_phone_number";
export const CONTACT_FIELDS: readonly ContactField[] = [
  "mobile_phone_number",
  "email",
  "given_name",
  "surname_1",
];

export interface VideoFormState {
  kind: VideoIdKind;
  contact: Record<ContactField, string>;
  touched: ContactField[];
  submitted: boolean;
  evidences: EvidencesFormState;
  /** External: the recording chosen (path, size). */
  video: { path: string; name: string } | null;
  /** The status is being followed (a wait call is under way). */
  following: boolean;
}

function initialVideoState(): VideoFormState {
  return {
    kind: "eidas",
    contact: { given_name: "", surname_1: "", email: "", mobile_phone_number: "" },
    touched: [],
    submitted: false,
    evidences: emptyEvidencesForm(),
    video: null,
    following: false,
  };
}

export const video = $state<VideoFormState>(initialVideoState());

/** How long the follower waits before trying again when the flow was busy. */
const RETRY_PAUSE_MS = 3000;

/** Whether `snapshot` is a VideoID flow (the VideoID screen shows only those). */
export function isVideoFlow(snapshot: FlowSnapshot | null): snapshot is FlowSnapshot {
  return snapshot !== null && snapshot.kind !== "classic";
}

/** The current flow, when it is a VideoID one. */
export function currentVideoFlow(): FlowSnapshot | null {
  return isVideoFlow(flow.snapshot) ? flow.snapshot : null;
}

/** Back to an empty form (the previous flow stays in the journal and the requests list). */
export function startOverVideo(): void {
  const kind = video.kind;
  startOver();
  Object.assign(video, initialVideoState(), { kind });
}

/**
 * After a cancelled request: the same contact and documents stay in the form, ready to start
 * a new identification (the evidences are the old identification's, so they go).
 */
export function restartVideo(): void {
  const { kind, contact } = video;
  const documents = flow.documents;
  startOver();
  flow.documents = documents;
  Object.assign(video, initialVideoState(), { kind, contact: { ...contact } });
}

/** Opens a VideoID flow where it stands (from the requests list, say). */
export function openVideoFlow(snapshot: FlowSnapshot): void {
  startOver();
  Object.assign(video, initialVideoState(), {
    kind: snapshot.kind === "videoid_external" ? "external" : "eidas",
  });
  applySnapshot(snapshot);
  follow();
}

/** Runs one call for the current flow: clears the last failure, keeps the answer or failure. */
async function perform(call: () => Promise<FlowSnapshot>): Promise<boolean> {
  flow.working = true;
  flow.failure = null;
  try {
    applySnapshot(await call());
    return true;
  } catch (error) {
    flow.failure = asFailure(error);
    const id = flow.snapshot?.id;
    if (id !== undefined) {
      try {
        applySnapshot(await unwrap(commands.flowGet(id)));
      } catch {
        // The failure already shown says more than this one.
      }
    }
    return false;
  } finally {
    flow.working = false;
    follow();
  }
}

function currentId(): number {
  const id = flow.snapshot?.id;
  if (id === undefined) throw new Error("no flow is open");
  return id;
}

/** Creates the identification with what the forms hold. */
export async function startVideoId(start: VideoIdStart): Promise<boolean> {
  const previous = flow.snapshot;
  if (previous && !previous.finished && previous.request_pk === null && isVideoFlow(previous)) {
    await unwrap(commands.flowCancel(previous.id)).catch(() => undefined);
  }
  const documents = flow.documents;
  startOver();
  flow.documents = documents;
  // The code step names the phone the code goes to.
  flow.form.values.mobile_phone_number = start.customer.mobile_phone_number;
  flow.starting = true;
  try {
    return await perform(() => unwrap(commands.videoidStart(start)));
  } finally {
    flow.starting = false;
  }
}

/**
 * Follows the request's status while the identification is open: one wait call at a time
 * (desk-core reads the status back with a slowing schedule, and at once when a webhook names
 * the request); when it returns, the next one starts if the flow still waits. Any action on
 * the flow ends the wait early.
 */
export function follow(): void {
  const snapshot = currentVideoFlow();
  if (!snapshot || video.following || flow.working) return;
  if (snapshot.finished || !isFollowed(snapshot.state) || snapshot.next_action === "wait") return;
  const id = snapshot.id;
  video.following = true;
  void (async () => {
    let pause = 0;
    try {
      const after = await unwrap(commands.videoidWait(id));
      if (flow.snapshot?.id === id) applySnapshot(after);
    } catch {
      // Another call on the flow (a download, say) is running: follow again a little later.
      pause = RETRY_PAUSE_MS;
    } finally {
      video.following = false;
    }
    setTimeout(() => {
      if (flow.snapshot?.id === id) follow();
    }, pause);
  })();
}

/** Reads the status once, now. */
export function checkNow(): Promise<boolean> {
  return perform(() => unwrap(commands.flowRefresh(currentId())));
}

export function approve(decider: RaoDecider): Promise<boolean> {
  return perform(() => unwrap(commands.videoidApprove(currentId(), decider)));
}

export function refuse(decider: RaoDecider, reason: string): Promise<boolean> {
  return perform(() => unwrap(commands.videoidRefuse(currentId(), decider, reason)));
}

/** Sends the evidences (and the recording, when chosen) of an external identification. */
export function provideEvidences(sendEvidences: boolean, sendVideo: boolean): Promise<boolean> {
  const evidences = sendEvidences ? toEvidences(video.evidences) : null;
  const recording = sendVideo ? (video.video?.path ?? null) : null;
  return perform(() => unwrap(commands.videoidProvideEvidences(currentId(), evidences, recording)));
}

/** Gives an approved flow its documents; it goes on with them. */
export function setDocuments(paths: string[]): Promise<boolean> {
  return perform(() => unwrap(commands.videoidSetDocuments(currentId(), paths)));
}

export function cancelVideo(): Promise<boolean> {
  return perform(() => unwrap(commands.flowCancel(currentId())));
}

/** Downloads the recording back for the review and opens it with the computer's player. */
export async function playRecording(): Promise<string> {
  const path = await unwrap(commands.videoidDownloadVideo(currentId()));
  await unwrap(commands.openPath(path));
  return path;
}
