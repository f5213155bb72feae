/**
 * Transfer progress from desk events, per file. Uploads travel up to ten documents in one
 * call, reported under their names joined by ", "; the bytes of such a batch are shared out
 * over its documents in order and by size (a multipart body carries its files one after the
 * other), which is what a per-file bar needs.
 */
import type { TransferDirection, TransferProgress } from "../bindings";

export interface Transfer {
  done: number;
  total: number | null;
}

/** The latest progress of every transfer of one flow, by `direction:file`. */
export type TransferMap = Record<string, Transfer>;

export function transferKey(direction: TransferDirection, file: string): string {
  return `${direction}:${file}`;
}

/** `transfers` with this event's progress. */
export function withTransfer(transfers: TransferMap, event: TransferProgress): TransferMap {
  return {
    ...transfers,
    [transferKey(event.direction, event.file)]: { done: event.done, total: event.total },
  };
}

/** 0..1, or `null` when the size is not known yet. */
export function fractionOf(transfer: Transfer | undefined): number | null {
  if (!transfer || !transfer.total) return null;
  return Math.min(1, Math.max(0, transfer.done / transfer.total));
}

/**
 * How far each document's upload is (0..1), `null` where nothing was reported for it. Batch
 * labels are matched against runs of consecutive documents.
 */
export function uploadFractions(
  documents: readonly { name: string; size: number }[],
  transfers: TransferMap,
): (number | null)[] {
  const result: (number | null)[] = documents.map(() => null);
  for (let start = 0; start < documents.length; start += 1) {
    let label = "";
    for (let end = start; end < documents.length; end += 1) {
      label = end === start ? (documents[end]?.name ?? "") : `${label}, ${documents[end]?.name}`;
      const transfer = transfers[transferKey("upload", label)];
      if (transfer) share(documents, start, end, transfer, result);
    }
  }
  return result;
}

function share(
  documents: readonly { name: string; size: number }[],
  start: number,
  end: number,
  transfer: Transfer,
  result: (number | null)[],
) {
  const batch = documents.slice(start, end + 1);
  const files = batch.reduce((sum, document) => sum + document.size, 0);
  // The body holds a little more than the files (part headers); scale to the files' bytes.
  const sent = transfer.total ? (transfer.done / transfer.total) * files : transfer.done;
  let before = 0;
  batch.forEach((document, offset) => {
    const own = document.size > 0 ? (sent - before) / document.size : sent >= before ? 1 : 0;
    result[start + offset] = Math.min(1, Math.max(0, own));
    before += document.size;
  });
}
