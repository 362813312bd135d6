import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryNotice } from '../../../shared/contract/dto';
import { toUtteranceId, type Call, type Utterance } from '../../../shared/domain/types';
import { CorruptFileError, DurableJsonFile } from './durableFile';
import { StringTable } from './stringTable';

/** Utterances per shard: one shard is one lowdb document, rewritten only when it is created. */
export const SHARD_UTTERANCES = 10_000;
const SHARD_CACHE_SIZE = 8;

/** The full transcripts of a shard's calls, read only when a call is opened. */
interface ShardDoc {
  readonly v: 1;
  readonly calls: readonly Call[];
}

/**
 * The columnar index of a shard, read at open. Written after the shard itself: an index file is
 * the commit point, so a shard without one (a crash mid-import) is ignored and removed.
 */
interface ShardIndexDoc {
  readonly v: 1;
  readonly calls: {
    readonly id: string[];
    readonly startedAt: number[];
    readonly campaign: string[];
    readonly language: (string | null)[];
    readonly turns: number[];
  };
  /** Predicted intent ids used in this shard. */
  readonly predictions: string[];
  readonly utt: {
    readonly call: number[];
    readonly turn: number[];
    readonly text: string[];
    /** Index into `predictions`, or -1 for "no match". */
    readonly pred: number[];
    readonly conf: (number | null)[];
    readonly asr: (number | null)[];
  };
}

const shardName = (n: number) => `shard-${String(n).padStart(6, '0')}.json`;
const indexName = (n: number) => `index-${String(n).padStart(6, '0')}.json`;
const INDEX_PATTERN = /^index-(\d{6})\.json$/;
const SHARD_PATTERN = /^shard-(\d{6})\.json$/;

/**
 * Every call and user utterance of a workspace, held in columns so a million utterances
 * fit in a few hundred megabytes, with full transcripts read lazily from sharded documents.
 */
export class CallTable {
  readonly campaigns = new StringTable();
  readonly predictions = new StringTable();

  // Numeric columns are typed arrays with spare capacity (indexes below callCount / utteranceCount are valid):
  // a million plain-array pushes per column costs seconds on a laptop, typed arrays a fraction of that.
  readonly callIds: string[] = [];
  callStartedAt = new Float64Array(0);
  callCampaign = new Int32Array(0);
  private readonly callLanguage: (string | null)[] = [];
  private callShard = new Int32Array(0);
  private callShardPos = new Int32Array(0);
  callFirstUtt = new Int32Array(0);
  callUttCount = new Int32Array(0);
  private readonly callIndex = new Map<string, number>();

  uttCall = new Int32Array(0);
  uttTurn = new Int32Array(0);
  readonly uttText: string[] = [];
  /** Predicted intent id as an index into `predictions`, or -1 for "no match". */
  uttPred = new Int32Array(0);
  /** Platform confidence, NaN when absent. */
  uttConf = new Float64Array(0);
  private uttAsr = new Float64Array(0);

  private nextShard = 1;
  private readonly shardCache = new Map<number, Promise<readonly Call[]>>();

  private constructor(private readonly dir: string) {}

  get callCount(): number {
    return this.callIds.length;
  }

  get utteranceCount(): number {
    return this.uttText.length;
  }

  /** Loads every shard index in `dir`; damaged or uncommitted shards are reported and skipped. */
  static async load(dir: string, notices: RecoveryNotice[]): Promise<CallTable> {
    await mkdir(dir, { recursive: true });
    const table = new CallTable(dir);
    const names = await readdir(dir);
    const indexed = names.map((n) => INDEX_PATTERN.exec(n)?.[1]).filter((n): n is string => !!n).map(Number).sort((a, b) => a - b);
    const indexedSet = new Set(indexed);
    for (const name of names) {
      const n = SHARD_PATTERN.exec(name)?.[1];
      if (n !== undefined && !indexedSet.has(Number(n))) {
        await unlink(join(dir, name)).catch(() => undefined);
        notices.push({ file: `calls/${name}`, message: 'An import was interrupted before this part was finished; the part was removed. Import the file again to add its calls.' });
      }
    }
    const docs = await Promise.all(
      indexed.map(async (n) => {
        try {
          return { n, doc: await new DurableJsonFile<ShardIndexDoc>(join(dir, indexName(n))).read() };
        } catch (err) {
          const reason = err instanceof CorruptFileError ? 'is damaged' : 'cannot be read';
          notices.push({ file: `calls/${indexName(n)}`, message: `This call index ${reason}; its calls are not shown. (${(err as Error).message})` });
          return { n, doc: null };
        }
      }),
    );
    for (const { n, doc } of docs) {
      if (doc) table.addShardIndex(n, doc);
      table.nextShard = Math.max(table.nextShard, n + 1);
    }
    return table;
  }

  /** Grows the numeric columns (doubling) so they hold at least `calls` calls and `utterances` utterances. */
  private reserve(calls: number, utterances: number): void {
    const grow = <T extends Int32Array | Float64Array>(a: T, n: number, make: (len: number) => T): T => {
      if (a.length >= n) return a;
      const next = make(Math.max(n, a.length * 2, 1024));
      next.set(a);
      return next;
    };
    const i32 = (len: number) => new Int32Array(len);
    const f64 = (len: number) => new Float64Array(len);
    this.callStartedAt = grow(this.callStartedAt, calls, f64);
    this.callCampaign = grow(this.callCampaign, calls, i32);
    this.callShard = grow(this.callShard, calls, i32);
    this.callShardPos = grow(this.callShardPos, calls, i32);
    this.callFirstUtt = grow(this.callFirstUtt, calls, i32);
    this.callUttCount = grow(this.callUttCount, calls, i32);
    this.uttCall = grow(this.uttCall, utterances, i32);
    this.uttTurn = grow(this.uttTurn, utterances, i32);
    this.uttPred = grow(this.uttPred, utterances, i32);
    this.uttConf = grow(this.uttConf, utterances, f64);
    this.uttAsr = grow(this.uttAsr, utterances, f64);
  }

  private addShardIndex(shard: number, doc: ShardIndexDoc): void {
    const firstCall = this.callIds.length;
    this.reserve(firstCall + doc.calls.id.length, this.uttText.length + doc.utt.text.length);
    const callMap = new Int32Array(doc.calls.id.length);
    for (let i = 0; i < doc.calls.id.length; i++) {
      const id = doc.calls.id[i]!;
      if (this.callIndex.has(id)) {
        callMap[i] = -1;
        continue;
      }
      const c = this.callIds.length;
      callMap[i] = c;
      this.callIndex.set(id, c);
      this.callIds.push(id);
      this.callStartedAt[c] = doc.calls.startedAt[i] ?? 0;
      this.callCampaign[c] = this.campaigns.intern(doc.calls.campaign[i] ?? '');
      this.callLanguage.push(doc.calls.language[i] ?? null);
      this.callShard[c] = shard;
      this.callShardPos[c] = i;
      this.callFirstUtt[c] = -1;
      this.callUttCount[c] = 0;
    }
    const predictionIds = doc.predictions.map((p) => this.predictions.intern(p));
    const u = doc.utt;
    for (let j = 0; j < u.text.length; j++) {
      const c = callMap[u.call[j]!] ?? -1;
      if (c < firstCall) continue;
      const idx = this.uttText.length;
      if (this.callFirstUtt[c] === -1) this.callFirstUtt[c] = idx;
      this.callUttCount[c]! += 1;
      this.uttCall[idx] = c;
      this.uttTurn[idx] = u.turn[j]!;
      this.uttText.push(u.text[j]!);
      const pred = u.pred[j] ?? -1;
      this.uttPred[idx] = pred < 0 ? -1 : (predictionIds[pred] ?? -1);
      this.uttConf[idx] = u.conf[j] ?? NaN;
      this.uttAsr[idx] = u.asr[j] ?? NaN;
    }
  }

  /** Index of a call by id. */
  findCall(id: string): number | undefined {
    return this.callIndex.get(id);
  }

  /** Index of the utterance that is turn `turnIndex` of call index `call`. */
  findUtteranceInCall(call: number, turnIndex: number): number | undefined {
    const first = this.callFirstUtt[call];
    if (first === undefined || first < 0) return undefined;
    const end = first + this.callUttCount[call]!;
    for (let i = first; i < end; i++) if (this.uttTurn[i] === turnIndex) return i;
    return undefined;
  }

  /** Index of an utterance by its id (`callId#turn`). */
  findUtterance(id: string): number | undefined {
    const at = id.lastIndexOf('#');
    if (at <= 0) return undefined;
    const call = this.callIndex.get(id.slice(0, at));
    const turn = Number(id.slice(at + 1));
    if (call === undefined || !Number.isInteger(turn)) return undefined;
    return this.findUtteranceInCall(call, turn);
  }

  utteranceId(idx: number): string {
    return toUtteranceId(this.callIds[this.uttCall[idx]!]!, this.uttTurn[idx]!);
  }

  /** How sure the platform was of utterance `idx`: 0 for "no match", 1 when it named an intent without a confidence. */
  platformConfidence(idx: number): number {
    if (this.uttPred[idx]! < 0) return 0;
    const conf = this.uttConf[idx]!;
    return Number.isNaN(conf) ? 1 : conf;
  }

  /** The utterance at `idx` as a DTO. */
  utterance(idx: number): Utterance {
    const call = this.uttCall[idx]!;
    const pred = this.uttPred[idx]!;
    const conf = this.uttConf[idx]!;
    const asr = this.uttAsr[idx]!;
    return {
      id: toUtteranceId(this.callIds[call]!, this.uttTurn[idx]!),
      callId: this.callIds[call]!,
      turnIndex: this.uttTurn[idx]!,
      text: this.uttText[idx]!,
      predictedIntent: pred < 0 ? null : this.predictions.values[pred]!,
      predictedConfidence: Number.isNaN(conf) ? null : conf,
      asrConfidence: Number.isNaN(asr) ? null : asr,
    };
  }

  /** Text of the bot turn right before utterance `idx`, if any (reads the call's shard, cached). */
  async botPrompt(idx: number): Promise<string | null> {
    const call = await this.getCall(this.uttCall[idx]!);
    const before = call.turns[this.uttTurn[idx]! - 1];
    return before?.speaker === 'bot' ? before.text : null;
  }

  campaignOf(call: number): string {
    return this.campaigns.values[this.callCampaign[call]!]!;
  }

  /** The full call at index `call`, read from its shard (cached; concurrent readers share one read). */
  async getCall(call: number): Promise<Call> {
    const shard = this.callShard[call]!;
    let calls = this.shardCache.get(shard);
    if (!calls) {
      calls = this.readShard(shard);
      this.shardCache.set(shard, calls);
      calls.catch(() => this.shardCache.delete(shard));
      if (this.shardCache.size > SHARD_CACHE_SIZE) this.shardCache.delete(this.shardCache.keys().next().value!);
    }
    const found = (await calls)[this.callShardPos[call]!];
    if (!found) throw new CorruptFileError(`calls/${shardName(shard)}`, `call ${this.callIds[call]} is missing`);
    return found;
  }

  private async readShard(shard: number): Promise<readonly Call[]> {
    const doc = await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(shard))).read();
    if (!doc) throw new CorruptFileError(`calls/${shardName(shard)}`, 'the file is missing');
    return doc.calls;
  }

  /**
   * Adds calls not already present (by id), writing them as new shards. Returns how many calls and utterances were
   * added, and for each input call its index in the table, or -1 when it was skipped (present already, or repeated
   * in `calls`). Durable when it resolves.
   */
  async appendCalls(calls: readonly Call[]): Promise<{ calls: number; utterances: number; skipped: number; indexes: Int32Array }> {
    const seen = new Set<string>();
    const freshAt: number[] = [];
    calls.forEach((c, i) => {
      if (this.callIndex.has(c.id) || seen.has(c.id)) return;
      seen.add(c.id);
      freshAt.push(i);
    });
    const indexes = new Int32Array(calls.length).fill(-1);
    const firstNew = this.callIds.length;
    freshAt.forEach((i, k) => (indexes[i] = firstNew + k));
    const fresh = freshAt.map((i) => calls[i]!);
    let utterances = 0;
    let start = 0;
    while (start < fresh.length) {
      let end = start;
      let count = 0;
      while (end < fresh.length && (count === 0 || count + userTurns(fresh[end]!) <= SHARD_UTTERANCES)) {
        count += userTurns(fresh[end]!);
        end++;
      }
      const part = fresh.slice(start, end);
      const shard = this.nextShard++;
      const index = buildShardIndex(part);
      await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(shard))).write({ v: 1, calls: part });
      await new DurableJsonFile<ShardIndexDoc>(join(this.dir, indexName(shard))).write(index);
      this.addShardIndex(shard, index);
      utterances += count;
      start = end;
    }
    return { calls: fresh.length, utterances, skipped: calls.length - fresh.length, indexes };
  }
}

function userTurns(call: Call): number {
  let n = 0;
  for (const t of call.turns) if (t.speaker === 'user') n++;
  return n;
}

function buildShardIndex(calls: readonly Call[]): ShardIndexDoc {
  const predictions = new StringTable();
  const doc: ShardIndexDoc = {
    v: 1,
    calls: { id: [], startedAt: [], campaign: [], language: [], turns: [] },
    predictions: predictions.values,
    utt: { call: [], turn: [], text: [], pred: [], conf: [], asr: [] },
  };
  calls.forEach((call, c) => {
    doc.calls.id.push(call.id);
    doc.calls.startedAt.push(call.startedAt);
    doc.calls.campaign.push(call.campaign);
    doc.calls.language.push(call.language ?? null);
    doc.calls.turns.push(call.turns.length);
    call.turns.forEach((turn, t) => {
      if (turn.speaker !== 'user') return;
      doc.utt.call.push(c);
      doc.utt.turn.push(t);
      doc.utt.text.push(turn.text);
      doc.utt.pred.push(turn.predictedIntent == null ? -1 : predictions.intern(turn.predictedIntent));
      doc.utt.conf.push(turn.predictedConfidence ?? null);
      doc.utt.asr.push(turn.asrConfidence ?? null);
    });
  });
  return doc;
}
