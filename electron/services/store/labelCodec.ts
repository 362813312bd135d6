import { parseJsonObject } from './jsonLine';
import type { ClusterStatus } from '../../../shared/contract/dto';
import type { Intent, LabelEvent, LabelSource, LabelTarget } from '../../../shared/domain/types';

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

/** Fields every journal record has. `x: 1` marks a record of a multi-record action: it counts only once its commit record is read. */
interface RecordBase {
  readonly s: number;
  readonly a: string;
  readonly at: number;
  readonly act: string;
  readonly x?: 1;
}

/** A label change (the original record kind; it has no `k`). */
export interface JournalEntry extends RecordBase {
  readonly u: string;
  readonly t: EncodedTarget | null;
  readonly p: EncodedTarget | null;
  readonly src: LabelSource;
}

/** An intent of the catalogue as it is after the action (`intent`), or its removal (`intent: null`, by `id`). */
export interface IntentRecord extends RecordBase {
  readonly k: 'intent';
  readonly id: string;
  readonly intent: Intent | null;
}

/** What a lead decided about a discovered cluster of run `run`. */
export interface ClusterRecord extends RecordBase {
  readonly k: 'cluster';
  readonly run: string;
  readonly c: string;
  readonly st: ClusterStatus;
  readonly i: string | null;
}

/** An imported shard of calls (calls/shard-NNNNNN.json) that belongs to the action: it exists only if the action committed. */
export interface ShardRecord extends RecordBase {
  readonly k: 'shard';
  readonly n: number;
}

/** The last record of a multi-record action: `n` records of action `act` come before it. */
export interface CommitRecord {
  readonly s: number;
  readonly k: 'commit';
  readonly act: string;
  readonly n: number;
}

export type JournalRecord = JournalEntry | IntentRecord | ClusterRecord | ShardRecord | CommitRecord;

const sources: ReadonlySet<string> = new Set<LabelSource>(['manual', 'bulk', 'suggestion', 'import', 'undo', 'merge', 'review', 'discovery']);
const clusterStatuses: ReadonlySet<string> = new Set<ClusterStatus>(['open', 'accepted', 'merged', 'dismissed']);

/** True for a label-change record. */
export function isLabelRecord(r: JournalRecord): r is JournalEntry {
  return !('k' in r);
}

function hasBase(e: Record<string, unknown>): boolean {
  return Number.isInteger(e.s) && typeof e.a === 'string' && typeof e.at === 'number' && typeof e.act === 'string' && (e.x === undefined || e.x === 1);
}

function isIntent(v: unknown, id: unknown): v is Intent {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as Record<string, unknown>;
  return i.id === id && typeof i.name === 'string' && typeof i.description === 'string' && Array.isArray(i.examples) && typeof i.status === 'string';
}

/** Parses one journal line; null when it is not a well-formed record. */
export function parseJournalRecord(line: string): JournalRecord | null {
  const e = parseJsonObject(line);
  if (!e) return null;
  switch (e.k) {
    case undefined: {
      const ok =
        hasBase(e) &&
        typeof e.u === 'string' &&
        decodeTarget(e.t) !== undefined &&
        decodeTarget(e.p) !== undefined &&
        typeof e.src === 'string' &&
        sources.has(e.src);
      return ok ? (e as unknown as JournalEntry) : null;
    }
    case 'intent':
      return hasBase(e) && typeof e.id === 'string' && (e.intent === null || isIntent(e.intent, e.id)) ? (e as unknown as IntentRecord) : null;
    case 'cluster':
      return hasBase(e) && typeof e.run === 'string' && typeof e.c === 'string' && typeof e.st === 'string' && clusterStatuses.has(e.st) && (e.i === null || typeof e.i === 'string')
        ? (e as unknown as ClusterRecord)
        : null;
    case 'shard':
      return hasBase(e) && Number.isInteger(e.n) ? (e as unknown as ShardRecord) : null;
    case 'commit':
      return Number.isInteger(e.s) && typeof e.act === 'string' && Number.isInteger(e.n) ? (e as unknown as CommitRecord) : null;
    default:
      return null;
  }
}

/** Parses one journal line that must be a label change; null otherwise. */
export function parseJournalLine(line: string): JournalEntry | null {
  const r = parseJournalRecord(line);
  return r && isLabelRecord(r) ? r : null;
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

/** The utterance a damaged line was about, when enough of it is readable; for recovery messages. */
export function utteranceOfDamagedLine(line: string): string | null {
  const m = /"u":"((?:[^"\\]|\\.)*)"/.exec(line);
  if (!m) return null;
  try {
    return JSON.parse(`"${m[1]}"`) as string;
  } catch {
    return null;
  }
}
