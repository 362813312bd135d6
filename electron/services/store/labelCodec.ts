import { parseJsonObject } from './jsonLine';
import type { LabelEvent, LabelSource, LabelTarget } from '../../../shared/domain/types';

/** A label target in one short string: `i:<intentId>`, `n` (none of these), `b` (bad transcript). */
export type EncodedTarget = string;

/** Encodes a label target for the journal and snapshots. */
export function encodeTarget(target: LabelTarget | null): EncodedTarget | null {
  if (target === null) return null;
  if (target.kind === 'intent') return `i:${target.intentId}`;
  return target.kind === 'none' ? 'n' : 'b';
}

/** Decodes a target written by encodeTarget; undefined when the text is not one. */
export function decodeTarget(code: unknown): LabelTarget | null | undefined {
  if (code === null) return null;
  if (typeof code !== 'string') return undefined;
  if (code === 'n') return { kind: 'none' };
  if (code === 'b') return { kind: 'badTranscript' };
  if (code.startsWith('i:') && code.length > 2) return { kind: 'intent', intentId: code.slice(2) };
  return undefined;
}

/** One journal line: a label change, written before it is acknowledged. */
export interface JournalEntry {
  readonly s: number;
  readonly u: string;
  readonly t: EncodedTarget | null;
  readonly p: EncodedTarget | null;
  readonly a: string;
  readonly at: number;
  readonly src: LabelSource;
  readonly act: string;
}

const sources: ReadonlySet<string> = new Set<LabelSource>(['manual', 'bulk', 'suggestion', 'import', 'undo', 'merge', 'review', 'discovery']);

/** Parses one journal line; null when it is not a well-formed entry. */
export function parseJournalLine(line: string): JournalEntry | null {
  const e = parseJsonObject(line);
  if (!e) return null;
  const ok =
    Number.isInteger(e.s) &&
    typeof e.u === 'string' &&
    decodeTarget(e.t) !== undefined &&
    decodeTarget(e.p) !== undefined &&
    typeof e.a === 'string' &&
    typeof e.at === 'number' &&
    typeof e.src === 'string' &&
    sources.has(e.src) &&
    typeof e.act === 'string';
  return ok ? (e as unknown as JournalEntry) : null;
}

/** Converts a journal entry to the contract's LabelEvent. */
export function toLabelEvent(e: JournalEntry): LabelEvent {
  return {
    seq: e.s,
    utteranceId: e.u,
    before: decodeTarget(e.p) ?? null,
    after: decodeTarget(e.t) ?? null,
    annotator: e.a,
    at: e.at,
    source: e.src,
    actionId: e.act,
  };
}
