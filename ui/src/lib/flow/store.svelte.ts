/**
 * The "New signature" wizard's state. It lives outside the screens so nothing is lost when the
 * employee goes back a step or looks at another part of the window: the form, the chosen
 * photos and documents, the flow's latest snapshot and transfers, and what was reviewed.
 */
import { commands, events, type ClassicStart, type FlowSnapshot, type SignAuth } from "../bindings";
import { asFailure, type DeskFailure, unwrap } from "../ipc";
import { parseTime } from "./countdown";
import { emptyCustomerForm, type CustomerFormState } from "./customerForm";
import type { FlowStep } from "./steps";
import { type TransferMap, withTransfer } from "./transfers";

export type PhotoSlot = "front" | "rear" | "selfie";
export const PHOTO_SLOTS: readonly PhotoSlot[] = ["front", "rear", "selfie"];

/** A checked ID photo with its preview. */
export interface PhotoEntry {
  path: string;
  thumbnail: string;
  width: number;
  height: number;
  size: number;
}

/** A checked PDF to sign. */
export interface DocumentEntry {
  path: string;
  name: string;
  size: number;
}

interface FlowState {
  form: CustomerFormState;
  photos: Record<PhotoSlot, PhotoEntry | null>;
  documents: DocumentEntry[];
  /** The flow, once it exists (from the start call or its first event). */
  snapshot: FlowSnapshot | null;
  transfers: TransferMap;
  /** Review items the customer has seen (`contract`, `document-0`, ...). */
  seen: string[];
  reviewConfirmed: boolean;
  /** A finished step the employee went back to look at; `null`: the flow's own step. */
  lookingAt: FlowStep | null;
  /** A start call is under way (its flow's first event is adopted). */
  starting: boolean;
  /** The flow the form's details were sent with; a flow continued from an earlier session
   * has its details on the Optimizer only, so the form has nothing to show for it. */
  formFor: number | null;
  /** A call made from this window is under way. */
  working: boolean;
  /** The last call's failure (the snapshot's `last_error` says the same for flow steps). */
  failure: DeskFailure | null;
  /** Flows left unfinished by an earlier session, offered to continue. */
  unfinished: FlowSnapshot[];
  /** A practice session against the bundled simulator. */
  practice: boolean;
}

function initialState(): FlowState {
  return {
    form: emptyCustomerForm(),
    photos: { front: null, rear: null, selfie: null },
    documents: [],
    snapshot: null,
    transfers: {},
    seen: [],
    reviewConfirmed: false,
    lookingAt: null,
    starting: false,
    formFor: null,
    working: false,
    failure: null,
    unfinished: [],
    practice: false,
  };
}

export const flow = $state<FlowState>(initialState());

/** Back to an empty form for the next customer (the finished flow stays in the journal). */
export function startOver(): void {
  const practice = flow.practice;
  Object.assign(flow, initialState(), { practice });
}

/**
 * After a cancelled request: the same customer, photos and documents stay in the form, ready
 * to start again (the details can be corrected first).
 */
export function startAgainWithSameDetails(): void {
  const { form, photos, documents, practice } = flow;
  Object.assign(flow, initialState(), {
    form: { ...form, submitted: false },
    photos,
    documents,
    practice,
  });
}

/** Takes a newer snapshot of the current flow. */
export function applySnapshot(snapshot: FlowSnapshot): void {
  const previous = flow.snapshot;
  if (previous && previous.id !== snapshot.id) {
    flow.transfers = {};
    flow.seen = [];
    flow.reviewConfirmed = false;
  }
  // The contract is downloaded twice (for review, then signed): keep the bars apart.
  if (previous && !isSigned(previous) && isSigned(snapshot)) flow.transfers = {};
  flow.snapshot = snapshot;
  if (flow.starting) flow.formFor = snapshot.id;
}

function isSigned(snapshot: FlowSnapshot): boolean {
  return ["signed", "retrieved", "verified", "cleaned", "done"].includes(snapshot.state);
}

let listening = false;

/** Follows desk events for the current flow (once per window) and learns the session kind. */
export async function startFlowEvents(): Promise<void> {
  if (listening) return;
  listening = true;
  await events.deskEventMessage.listen(({ payload }) => {
    if (payload.type === "flow_changed") {
      const ours = flow.snapshot?.id === payload.snapshot.id;
      if (ours || (flow.starting && !flow.snapshot)) applySnapshot(payload.snapshot);
    } else if (payload.type === "transfer" && payload.flow === flow.snapshot?.id) {
      flow.transfers = withTransfer(flow.transfers, payload);
    }
  });
  const info = await commands.appInfo();
  flow.practice = info.practice;
}

/** Runs one call for the flow: clears the last failure, keeps the answer or the failure. */
async function perform(call: () => Promise<FlowSnapshot>): Promise<boolean> {
  flow.working = true;
  flow.failure = null;
  try {
    applySnapshot(await call());
    return true;
  } catch (error) {
    flow.failure = asFailure(error);
    await refresh();
    return false;
  } finally {
    flow.working = false;
  }
}

/** Reads the flow again (after a failure its snapshot carries the error and what to do). */
export async function refresh(): Promise<void> {
  const id = flow.snapshot?.id;
  if (id === undefined) return;
  try {
    applySnapshot(await unwrap(commands.flowGet(id)));
  } catch {
    // The failure already shown says more than this one.
  }
}

/**
 * Starts the classic flow with what the form holds. A flow that never reached the Optimizer
 * (no request yet) is cancelled first, so the corrected details are the ones sent.
 */
export async function startClassic(start: ClassicStart): Promise<boolean> {
  const previous = flow.snapshot;
  if (previous && !previous.finished && previous.request_pk === null) {
    const cancelled = await perform(() => unwrap(commands.flowCancel(previous.id)));
    if (!cancelled) return false;
  }
  flow.snapshot = null;
  flow.transfers = {};
  flow.seen = [];
  flow.reviewConfirmed = false;
  flow.lookingAt = null;
  flow.starting = true;
  const startedAt = Date.now();
  try {
    const started = await perform(() => unwrap(commands.flowStartClassic(start)));
    if (!started && !flow.snapshot) await adoptJournaledStart(startedAt);
    return started;
  } finally {
    flow.starting = false;
  }
}

/**
 * A start that failed after the flow was journaled (the Optimizer could not be reached, say)
 * left a flow to resume or cancel. Its events normally tell the window its id; should the
 * answer overtake them, the flow is found among the unfinished ones by its start time.
 */
async function adoptJournaledStart(startedAt: number): Promise<void> {
  try {
    const flows = await unwrap(commands.flowsUnfinished());
    const ours = flows
      .filter((snapshot) => parseTime(snapshot.created_at) >= startedAt - 1000)
      .sort((a, b) => b.id - a.id)[0];
    if (ours && !flow.snapshot) applySnapshot(ours);
  } catch {
    // The start's own failure is already shown.
  }
}

function currentId(): number {
  const id = flow.snapshot?.id;
  if (id === undefined) throw new Error("no flow is open");
  return id;
}

export function confirmReview(): Promise<boolean> {
  return perform(() => unwrap(commands.flowConfirmReview(currentId())));
}

export function sendOtp(delivery: string | null): Promise<boolean> {
  return perform(() => unwrap(commands.flowSendOtp(currentId(), delivery)));
}

export function sign(auth: SignAuth): Promise<boolean> {
  return perform(() => unwrap(commands.flowSign(currentId(), auth)));
}

export function resume(recreate: boolean): Promise<boolean> {
  return perform(() => unwrap(commands.flowResume(currentId(), recreate)));
}

export function cancelFlow(): Promise<boolean> {
  flow.lookingAt = null;
  return perform(() => unwrap(commands.flowCancel(currentId())));
}

/** Stops the running step (an upload, say); the flow waits to be resumed or cancelled. */
export async function interrupt(): Promise<void> {
  const id = flow.snapshot?.id;
  if (id !== undefined) await unwrap(commands.flowInterrupt(id)).catch(() => false);
}

/** Flows an earlier session left unfinished (offered on the empty form). */
export async function loadUnfinished(): Promise<void> {
  try {
    const flows = await unwrap(commands.flowsUnfinished());
    flow.unfinished = flows.filter((snapshot) => snapshot.kind === "classic");
  } catch {
    flow.unfinished = [];
  }
}

/** Continues a flow left unfinished: it becomes the current flow, from its snapshot. */
export function adopt(snapshot: FlowSnapshot): void {
  startOver();
  applySnapshot(snapshot);
}
