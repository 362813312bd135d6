/**
 * What the crash-torture run expects to find after a restart, as pure functions over what the harness recorded
 * (operations with the moments they were sent and acknowledged) and what the server shows.
 *
 * Times are positions on the harness's own event counter: `sentAt` is taken before a request leaves, `ackedAt` when
 * its ok envelope arrived. An operation P whose `sentAt` is after O's `ackedAt` was started after O had finished,
 * so the server must have applied P after O. Operations overlapping in time may have been applied in either order.
 * A request still in flight at the kill (or answered with an error) is unknown: `ackedAt` null. It may or may not
 * have landed, so its value is accepted and it never rules another value out.
 */

/** A label as the checker compares it: `i:<intentId>`, `none`, `bad` (bad transcript), null (no label). */
export type LabelValue = string | null;

/** One utterance's label set by one operation. */
export interface LabelOp {
  readonly utteranceId: string;
  readonly value: LabelValue;
  readonly sentAt: number;
  /** When the ok envelope arrived; null while unknown (in flight at the kill, or refused). */
  readonly ackedAt: number | null;
  /**
   * True when the operation only may have set this value (a cluster action on a member others label at the same
   * time): it can explain the value found, but never rules another one out.
   */
  readonly weak?: boolean;
  /** What did it, for the report: `client 2 setLabel`, `accept c12`, … */
  readonly what: string;
}

/** An utterance whose label after the restart is not one the acknowledged operations allow. */
export interface LostLabel {
  readonly utteranceId: string;
  readonly observed: LabelValue;
  /** Every value that would have been accepted. */
  readonly acceptable: readonly LabelValue[];
  /** The last acknowledged operation on the utterance, if any. */
  readonly lastAcknowledged: LabelOp | null;
}

/**
 * The values an utterance may hold after a crash: its value at the start (`initial`, as found after the previous
 * restart) or that of any operation, unless an acknowledged operation with another value was sent after that one
 * was acknowledged. Unknown operations are never ruled out (they may have landed last).
 */
export function acceptableValues(initial: LabelValue, ops: readonly LabelOp[]): LabelValue[] {
  const candidates: { value: LabelValue; end: number }[] = [{ value: initial, end: 0 }, ...ops.map((op) => ({ value: op.value, end: op.ackedAt ?? Number.POSITIVE_INFINITY }))];
  const ruling = ops.filter((op) => !op.weak && op.ackedAt !== null);
  const out = new Set<LabelValue>();
  for (const c of candidates) {
    if (!ruling.some((p) => p.sentAt > c.end && p.value !== c.value)) out.add(c.value);
  }
  return [...out];
}

/**
 * Every utterance whose observed label is not acceptable (see `acceptableValues`). `baseline` is the state found
 * after the previous restart (missing = no label, as is a missing utterance in `observed`); utterances nobody touched
 * must still hold their baseline value.
 */
export function findLostLabels(baseline: ReadonlyMap<string, LabelValue>, ops: readonly LabelOp[], observed: ReadonlyMap<string, LabelValue>): LostLabel[] {
  const byUtterance = new Map<string, LabelOp[]>();
  for (const op of ops) {
    let list = byUtterance.get(op.utteranceId);
    if (!list) byUtterance.set(op.utteranceId, (list = []));
    list.push(op);
  }
  const ids = new Set<string>([...baseline.keys(), ...observed.keys(), ...byUtterance.keys()]);
  const lost: LostLabel[] = [];
  for (const id of ids) {
    const initial = baseline.get(id) ?? null;
    const found = observed.get(id) ?? null;
    const list = byUtterance.get(id) ?? [];
    const acceptable = acceptableValues(initial, list);
    if (acceptable.includes(found)) continue;
    const acked = list.filter((op) => op.ackedAt !== null && !op.weak).sort((a, b) => a.ackedAt! - b.ackedAt!);
    lost.push({ utteranceId: id, observed: found, acceptable, lastAcknowledged: acked.at(-1) ?? null });
  }
  return lost;
}

/** An intent as the catalogue check sees it. */
export interface IntentView {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly mergedInto?: string;
}

/** A change of the catalogue the harness asked for. */
export type IntentOp =
  | {
      /** intent.createIntent, discovery.acceptCluster, or an import naming an intent the catalogue lacks. */
      readonly kind: 'create';
      readonly name: string;
      /** The id the acknowledgement named (unknown for imports and unacknowledged creates). */
      readonly id?: string;
      readonly sentAt: number;
      readonly ackedAt: number | null;
    }
  | { readonly kind: 'merge'; readonly sourceId: string; readonly targetId: string; readonly sentAt: number; readonly ackedAt: number | null };

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function isMerged(intent: IntentView | undefined, targetId: string): boolean {
  return intent !== undefined && intent.status === 'deprecated' && intent.mergedInto === targetId;
}

/**
 * The catalogue found after a restart against the one found after the previous restart (`baseline`) and the intent
 * operations since, in words, one line per mismatch: an acknowledged create or merge missing, an intent or a merge
 * nobody asked for, a baseline intent gone or renamed, two active intents with one name.
 */
export function findCatalogueMismatches(baseline: readonly IntentView[], ops: readonly IntentOp[], observed: readonly IntentView[]): string[] {
  const out: string[] = [];
  const found = new Map(observed.map((i) => [i.id, i]));
  const before = new Map(baseline.map((i) => [i.id, i]));
  for (const b of baseline) {
    const now = found.get(b.id);
    if (!now) out.push(`intent ${b.id} ("${b.name}") is gone`);
    else if (now.name !== b.name) out.push(`intent ${b.id} was "${b.name}", is "${now.name}"`);
  }
  for (const op of ops) {
    if (op.ackedAt === null) continue;
    if (op.kind === 'create') {
      const match = observed.find((i) => (op.id !== undefined ? i.id === op.id : sameName(i.name, op.name)));
      if (!match) out.push(`acknowledged intent "${op.name}"${op.id ? ` (${op.id})` : ''} is missing`);
      else if (!sameName(match.name, op.name)) out.push(`acknowledged intent ${op.id} is named "${match.name}", not "${op.name}"`);
    } else if (!isMerged(found.get(op.sourceId), op.targetId)) {
      out.push(`acknowledged merge of ${op.sourceId} into ${op.targetId} is missing`);
    }
  }
  const creates = ops.filter((op) => op.kind === 'create');
  const merges = ops.filter((op) => op.kind === 'merge');
  for (const i of observed) {
    const was = before.get(i.id);
    if (!was && !creates.some((op) => (op.id !== undefined ? op.id === i.id : sameName(op.name, i.name)))) out.push(`intent ${i.id} ("${i.name}") was never created`);
    const unchanged = was ? was.status === i.status && was.mergedInto === i.mergedInto : i.status !== 'deprecated' && i.mergedInto === undefined;
    if (!unchanged && !merges.some((op) => op.sourceId === i.id && isMerged(i, op.targetId))) {
      out.push(`intent ${i.id} changed to ${i.status}${i.mergedInto ? ` (merged into ${i.mergedInto})` : ''} with no merge asked for`);
    }
  }
  const active = observed.filter((i) => i.status !== 'deprecated');
  for (let a = 0; a < active.length; a++) {
    for (let b = a + 1; b < active.length; b++) {
      if (sameName(active[a]!.name, active[b]!.name)) out.push(`two active intents are named "${active[a]!.name}" (${active[a]!.id}, ${active[b]!.id})`);
    }
  }
  return out;
}

/** A durable label change read back from the workspace's label journal. */
export interface JournalChange {
  readonly seq: number;
  readonly utteranceId: string;
  /** The platform's intent for the new label: an id, or null for "none of these". */
  readonly intent: string | null;
  readonly at: number;
}

/** A label as the platform stores it. */
export interface PlatformLabel {
  readonly id: string;
  readonly utteranceId: string;
  readonly intent: string | null;
  readonly annotator: string;
  readonly labeledAt: number;
}

/** An acknowledged label change the platform must hold: one acknowledged setLabel that changed a label. */
export interface AcknowledgedChange {
  readonly utteranceId: string;
  readonly intent: string | null;
  readonly at: number;
}

export interface PlatformCheck {
  /** Acknowledged changes (and durable journal changes) the platform lacks, in words. */
  readonly missing: readonly string[];
  /** Label changes the platform holds more than once, in words. */
  readonly duplicates: readonly string[];
}

function changeKey(utteranceId: string, intent: string | null, at: number): string {
  return `${utteranceId}\u0000${intent ?? ''}\u0000${at}`;
}

/**
 * The platform against the workspace after a final sync. `pushable` are the journal's label changes the outbox
 * sends (docs/sync.md), `acknowledged` the changes the harness saw acknowledged; each must be on the platform, sent
 * by `annotator` under id `<linkId>-<seq>` (missing otherwise). A change is duplicated when the platform holds it
 * more than once: the same id twice, or the same utterance, intent and time under more ids than the journal has such
 * changes.
 */
export function checkPlatformLabels(input: {
  readonly linkId: string;
  readonly annotator: string;
  readonly pushable: readonly JournalChange[];
  readonly acknowledged: readonly AcknowledgedChange[];
  readonly platform: readonly PlatformLabel[];
}): PlatformCheck {
  const ours = input.platform.filter((l) => l.annotator === input.annotator);
  const byId = new Map<string, number>();
  const byKey = new Map<string, number>();
  for (const l of ours) {
    byId.set(l.id, (byId.get(l.id) ?? 0) + 1);
    const key = changeKey(l.utteranceId, l.intent, l.labeledAt);
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const missing: string[] = [];
  for (const c of input.pushable) {
    if (!byId.has(`${input.linkId}-${c.seq}`)) missing.push(`journal change ${c.seq} (${c.utteranceId} → ${c.intent ?? 'none'}) was never delivered`);
  }
  for (const a of input.acknowledged) {
    if (!byKey.has(changeKey(a.utteranceId, a.intent, a.at))) missing.push(`acknowledged label ${a.utteranceId} → ${a.intent ?? 'none'} at ${a.at} is not on the platform`);
  }
  const duplicates: string[] = [];
  for (const [id, n] of byId) if (n > 1) duplicates.push(`label id ${id} is stored ${n} times`);
  const journalCount = new Map<string, number>();
  for (const c of input.pushable) {
    const key = changeKey(c.utteranceId, c.intent, c.at);
    journalCount.set(key, (journalCount.get(key) ?? 0) + 1);
  }
  for (const [key, n] of byKey) {
    const expected = journalCount.get(key) ?? 0;
    if (n > Math.max(1, expected)) duplicates.push(`${key.split('\u0000').join(' ')} is stored ${n} times for ${expected} journal change(s)`);
  }
  return { missing, duplicates };
}

/**
 * The calls of the workspace after the final sync, in words: a call stored twice, platform calls other than the
 * `platformCalls` the feed has, imported calls fewer than the acknowledged imports brought or more than all imports
 * sent could have.
 */
export function findCallMismatches(input: {
  readonly callIds: readonly string[];
  readonly isImported: (callId: string) => boolean;
  readonly platformCalls: number;
  readonly importedAcknowledged: number;
  readonly importedUnknown: number;
}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const id of input.callIds) {
    if (seen.has(id)) out.push(`call ${id} is stored more than once`);
    seen.add(id);
  }
  const imported = [...seen].filter((id) => input.isImported(id)).length;
  const fromPlatform = seen.size - imported;
  if (fromPlatform !== input.platformCalls) out.push(`${fromPlatform} calls from the platform, whose feed has ${input.platformCalls}`);
  if (imported < input.importedAcknowledged) out.push(`${imported} imported calls, fewer than the ${input.importedAcknowledged} acknowledged imports brought`);
  if (imported > input.importedAcknowledged + input.importedUnknown) out.push(`${imported} imported calls, more than the ${input.importedAcknowledged + input.importedUnknown} sent`);
  return out;
}
