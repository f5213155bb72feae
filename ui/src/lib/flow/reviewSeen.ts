/**
 * What the customer still has to see before signing: the service contract and every document.
 * A document counts as seen once its viewer reached the last page, or when the employee marks
 * it seen (the customer read it on paper, or scrolled it on the employee's screen).
 */

/** One thing to review: the contract or a document. */
export interface ReviewItem {
  /** `contract`, or `document-<index>`. */
  id: string;
  /** What the employee calls it (the contract's title is worded by the screen). */
  label: string;
  /** The PDF to show. */
  path: string;
}

export const CONTRACT_ID = "contract";

/** The contract first, then the documents in the order they are signed. */
export function reviewItems(
  contract: { path: string | null; label: string },
  documents: readonly { name: string; original_path: string }[],
): ReviewItem[] {
  const items: ReviewItem[] = [];
  if (contract.path) items.push({ id: CONTRACT_ID, label: contract.label, path: contract.path });
  documents.forEach((document, index) =>
    items.push({ id: documentId(index), label: document.name, path: document.original_path }),
  );
  return items;
}

export function documentId(index: number): string {
  return `document-${index}`;
}

/** The items not seen yet, in review order. */
export function remainingItems(
  items: readonly ReviewItem[],
  seen: readonly string[],
): ReviewItem[] {
  return items.filter((item) => !seen.includes(item.id));
}

/** `seen` with `id` added (unchanged when it is there already). */
export function withSeen(seen: readonly string[], id: string): string[] {
  return seen.includes(id) ? [...seen] : [...seen, id];
}

/**
 * Signing may be offered once there is a contract, everything was seen and the employee
 * confirmed it.
 */
export function canConfirmReview(
  items: readonly ReviewItem[],
  seen: readonly string[],
  confirmed: boolean,
): boolean {
  return (
    confirmed &&
    items.some((item) => item.id === CONTRACT_ID) &&
    remainingItems(items, seen).length === 0
  );
}
