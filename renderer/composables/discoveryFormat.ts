import type { CleanupReport, ClusterUtterance, DiscoveryPhase, ExpansionCandidate, LabeledText } from '../../shared/contract/dto';

/** A similarity or cohesion in [0, 1] with two decimals, e.g. 0.8734 → "0.87". */
export function formatScore(x: number): string {
  return (Number.isFinite(x) ? x : 0).toFixed(2);
}

/**
 * The width of a cluster's traffic bar in percent of the bar's track, relative to the biggest share shown
 * (so the biggest cluster fills the track); never below 2 so a tiny cluster still shows a sliver.
 */
export function shareBarWidth(share: number, maxShare: number): number {
  if (!(maxShare > 0) || !(share > 0)) return 2;
  return Math.max(2, Math.min(100, Math.round((share / maxShare) * 100)));
}

/** An utterance as a list shows it: its text with "×n" when near-duplicates were folded into it. */
export function foldedText(u: Pick<ClusterUtterance, 'text' | 'count'>): string {
  return u.count > 1 ? `${u.text} ×${u.count}` : u.text;
}

/**
 * The id `delta` steps from `current` in `ids`, clamped to the ends; the first id when `current` is not in the list,
 * null for an empty list.
 */
export function stepSelection(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at < 0) return ids[0]!;
  return ids[Math.min(ids.length - 1, Math.max(0, at + delta))]!;
}

/**
 * What to select after the list changed from `before` to `after`: `current` if it is still there, else the id that
 * followed it before (or the one before it, at the end), else the first; null for an empty list.
 */
export function selectionAfterChange(before: readonly string[], after: readonly string[], current: string | null): string | null {
  if (after.length === 0) return null;
  if (current !== null && after.includes(current)) return current;
  const at = current === null ? -1 : before.indexOf(current);
  if (at >= 0) {
    const present = new Set(after);
    for (let i = at + 1; i < before.length; i++) if (present.has(before[i]!)) return before[i]!;
    for (let i = at - 1; i >= 0; i--) if (present.has(before[i]!)) return before[i]!;
  }
  return after[0]!;
}

/** The intents of a conflicting-duplicate group other than `item`'s own, in first-seen order: what `item` could be relabeled to. */
export function relabelChoices(items: readonly LabeledText[], item: LabeledText): string[] {
  const out: string[] = [];
  for (const other of items) if (other.intentId !== item.intentId && !out.includes(other.intentId)) out.push(other.intentId);
  return out;
}

/**
 * A conflicting-duplicate group's items by intent, the intent with most items first (ties in first-seen order),
 * each with its distinct texts in first-seen order.
 */
export function groupByIntent(items: readonly LabeledText[]): { intentId: string; items: LabeledText[]; texts: string[] }[] {
  const groups: { intentId: string; items: LabeledText[]; texts: string[] }[] = [];
  for (const item of items) {
    let group = groups.find((g) => g.intentId === item.intentId);
    if (!group) {
      group = { intentId: item.intentId, items: [], texts: [] };
      groups.push(group);
    }
    group.items.push(item);
    if (!group.texts.includes(item.text)) group.texts.push(item.text);
  }
  return groups.map((g, i) => ({ g, i })).sort((x, y) => y.g.items.length - x.g.items.length || x.i - y.i).map(({ g }) => g);
}

/** The candidates left once `done` (accepted or skipped utterance ids) leave the list, in their order. */
export function remainingCandidates(candidates: readonly ExpansionCandidate[], done: ReadonlySet<string>): ExpansionCandidate[] {
  return candidates.filter((c) => !done.has(c.utteranceId));
}

/** Expansion candidates with the same text, shown as one row; accepting it labels them all. */
export interface FoldedCandidate {
  readonly text: string;
  /** The highest similarity among them. */
  readonly similarity: number;
  readonly callId: string;
  /** Utterance ids, the first one the row's key. */
  readonly ids: readonly string[];
}

/** Folds candidates with identical text into one row each, in the order of their first (most similar) occurrence. */
export function foldCandidates(candidates: readonly ExpansionCandidate[]): FoldedCandidate[] {
  const rows = new Map<string, { text: string; similarity: number; callId: string; ids: string[] }>();
  for (const c of candidates) {
    const row = rows.get(c.text);
    if (row) {
      row.ids.push(c.utteranceId);
      row.similarity = Math.max(row.similarity, c.similarity);
    } else rows.set(c.text, { text: c.text, similarity: c.similarity, callId: c.callId, ids: [c.utteranceId] });
  }
  return [...rows.values()];
}

/** Confused intent pairs with their confusions in both directions added up, most confusions first. */
export function rankConfusedPairs(pairs: CleanupReport['confusedPairs']): { a: string; b: string; count: number; rate: number }[] {
  return pairs.map((p) => ({ a: p.a, b: p.b, count: p.aToB + p.bToA, rate: p.rate })).sort((x, y) => y.count - x.count || y.rate - x.rate);
}

/** The weight of each clustering phase in the overall progress bar, in run order. */
const phaseWeights: readonly [DiscoveryPhase, number][] = [
  ['preparing', 0.15],
  ['clustering', 0.6],
  ['describing', 0.2],
  ['saving', 0.05],
];

/** Overall progress of a clustering job in [0, 1] from its phase and the share of that phase done. */
export function discoveryProgress(phase: DiscoveryPhase, done: number): number {
  let before = 0;
  for (const [p, w] of phaseWeights) {
    if (p === phase) return Math.min(1, before + w * Math.min(1, Math.max(0, done)));
    before += w;
  }
  return 0;
}
