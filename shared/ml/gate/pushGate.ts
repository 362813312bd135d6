/**
 * The estimated net change in accuracy of a candidate on replayed traffic (from judged changes), with its 95% interval.
 * Supplied by the replay/judge side of the gate; the push gate only reads it.
 */
export interface NetChangeEstimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Judgments it rests on. */
  readonly judged: number;
}

/** Why a push is held back. */
export type PushBlockReason =
  | { readonly kind: 'brokenCases'; readonly broken: number; readonly pinned: number }
  | { readonly kind: 'negativeNetChange'; readonly estimate: number; readonly low: number; readonly high: number };

/** The gate's answer for one candidate. */
export interface PushDecision {
  /** True when the push may go ahead: nothing blocks it, or an override with a note was given. */
  readonly allowed: boolean;
  readonly reasons: readonly PushBlockReason[];
  /** True when reasons were overridden with a note. */
  readonly overridden: boolean;
}

/**
 * Decides whether a candidate may be pushed: blocked when it breaks any pinned case or when a net-change estimate is
 * given and is below zero; an override with a non-blank note lets a blocked push through (and says so). A missing
 * estimate (null) blocks nothing.
 */
export function decidePush(input: {
  readonly brokenCases: number;
  readonly pinnedCases: number;
  readonly netChange: NetChangeEstimate | null;
  readonly overrideNote: string | null;
}): PushDecision {
  const reasons: PushBlockReason[] = [];
  if (input.brokenCases > 0) reasons.push({ kind: 'brokenCases', broken: input.brokenCases, pinned: input.pinnedCases });
  const net = input.netChange;
  if (net !== null && net.estimate < 0) reasons.push({ kind: 'negativeNetChange', estimate: net.estimate, low: net.low, high: net.high });
  const hasNote = input.overrideNote !== null && input.overrideNote.trim().length > 0;
  if (reasons.length === 0) return { allowed: true, reasons, overridden: false };
  return { allowed: hasNote, reasons, overridden: hasNote };
}
