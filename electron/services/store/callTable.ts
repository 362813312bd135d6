import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryNotice } from '../../../shared/contract/dto';
import type { RecoverySentence } from '../../../shared/contract/recovery';
import { ContractError } from '../../../shared/contract/errors';
import { sentence, term, type ErrorTermRef } from '../../../shared/contract/errorWords';
import { toUtteranceId, type Call, type Utterance } from '../../../shared/domain/types';
import { contextualText, type TurnContext } from '../../../shared/ml/turnContext';
import { CorruptFileError, DurableJsonFile, writeError, writeFileAtomic } from '../../../lib/durable/durableFile';
import type { RecoveryFolder } from './recoveryFolder';
import { fileProblemTerm, problemTerm, problemWords, recoveryNotice, type FileProblem } from './recoveryNotice';
import { StringTable } from './stringTable';
import { log } from '../log';

/** Utterances per shard: one shard is one lowdb document, rewritten only when it is created. */
export const SHARD_UTTERANCES = 10_000;
const SHARD_CACHE_SIZE = 8;

/** The full transcripts of a shard's calls, read only when a call is opened. */
interface ShardDoc {
  readonly v: 1;
  readonly calls: readonly Call[];
  /** The import action this shard belongs to: the shard exists only if the action's journal commit does. */
  readonly txn?: string;
}

/**
 * The columnar index of a shard, read at open, written after the shard itself. Without `txn` the index is the
 * commit point of its shard (calls pulled from the platform); with `txn` the shard belongs to an import action and
 * counts only once that action's journal commit is on disk (see resolveStaged).
 */
interface ShardIndexDoc {
  readonly v: 1;
  readonly txn?: string;
  /** Size of the shard file as written, to notice a truncated shard at open. */
  readonly shardBytes?: number;
  readonly calls: {
    readonly id: string[];
    readonly startedAt: number[];
    readonly campaign: string[];
    readonly language: (string | null)[];
    readonly turns: number[];
  };
  /** Predicted intent ids used in this shard. */
  readonly predictions: string[];
  /** Bot prompts used in this shard (absent in indexes written before context: those are rebuilt at open). */
  readonly prompts?: string[];
  /** Flow nodes of those prompts used in this shard. */
  readonly nodes?: string[];
  readonly utt: {
    readonly call: number[];
    readonly turn: number[];
    readonly text: string[];
    /** Index into `predictions`, or -1 for "no match". */
    readonly pred: number[];
    readonly conf: (number | null)[];
    readonly asr: (number | null)[];
    /** Index into `prompts` of the bot turn right before the utterance, or -1 when none. */
    readonly prompt?: number[];
    /** Index into `nodes` of that bot turn's flow node, or -1 when none. */
    readonly node?: number[];
  };
}

const shardName = (n: number) => `shard-${String(n).padStart(6, '0')}.json`;
const indexName = (n: number) => `index-${String(n).padStart(6, '0')}.json`;
const INDEX_PATTERN = /^index-(\d{6})\.json$/;
const SHARD_PATTERN = /^shard-(\d{6})\.json$/;

/** A shard whose import action was not known to be committed when the table was loaded. */
interface StagedShard {
  readonly n: number;
  readonly txn: string;
  /** Its index, or null when the index is missing or damaged (it is then rebuilt from the shard). */
  readonly index: ShardIndexDoc | null;
}

/** Calls written for an import action that is not committed yet (see stageCalls). */
export interface StagedCalls {
  readonly shards: readonly { readonly n: number; readonly index: ShardIndexDoc }[];
  readonly calls: number;
  readonly utterances: number;
  readonly skipped: number;
  /** For each input call its index in the table, or -1 when it was skipped. */
  readonly indexes: Int32Array;
  readonly callsBefore: number;
  readonly utterancesBefore: number;
}

/**
 * Every call and user utterance of a workspace, held in columns so a million utterances
 * fit in a few hundred megabytes, with full transcripts read lazily from sharded documents.
 */
export class CallTable {
  readonly campaigns = new StringTable();
  readonly predictions = new StringTable();
  /** Bot prompts the utterances answered, shared across shards. */
  readonly prompts = new StringTable();
  /** Flow nodes of those prompts. */
  readonly nodes = new StringTable();

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
  /** The bot prompt before each utterance, as an index into `prompts`, or -1. */
  uttPrompt = new Int32Array(0);
  /** The flow node of that prompt, as an index into `nodes`, or -1. */
  uttNode = new Int32Array(0);

  private nextShard = 1;
  /** Grows whenever utterances are added or taken out: equal generations mean the same utterances. */
  private generation_ = 0;
  private readonly shardCache = new Map<number, Promise<readonly Call[]>>();

  private constructor(private readonly dir: string) {}

  get callCount(): number {
    return this.callIds.length;
  }

  get utteranceCount(): number {
    return this.uttText.length;
  }

  /** Grows whenever utterances are added or taken out (a cache of column reads is valid while it holds). */
  get generation(): number {
    return this.generation_;
  }

  /** Shards of import actions whose commit was not seen yet; settled by resolveStaged once the journal is read. */
  private staged: StagedShard[] = [];
  /** Shards whose file is missing or shorter than written: their calls are listed but cannot be opened. */
  private readonly damagedShards = new Map<number, FileProblem>();

  /**
   * Loads every shard index in `dir`. Nothing is deleted: an index that is missing or damaged is rebuilt from its
   * shard when the shard is whole; a shard that cannot be read without an index is moved to the recovery folder;
   * shards of import actions wait for resolveStaged. Every step is reported in `notices`.
   */
  static async load(dir: string, notices: RecoveryNotice[], recovery: RecoveryFolder): Promise<CallTable> {
    await mkdir(dir, { recursive: true });
    const table = new CallTable(dir);
    const names = await readdir(dir);
    const numbers = (pattern: RegExp) => new Set(names.map((n) => pattern.exec(n)?.[1]).filter((n): n is string => !!n).map(Number));
    const indexed = numbers(INDEX_PATTERN);
    const sharded = numbers(SHARD_PATTERN);
    const all = [...new Set([...indexed, ...sharded])].sort((a, b) => a - b);
    const docs = await Promise.all(all.map((n) => table.readIndexOrRebuild(n, indexed.has(n), sharded.has(n), notices, recovery)));
    for (const [i, n] of all.entries()) {
      const doc = docs[i]!;
      table.nextShard = Math.max(table.nextShard, n + 1);
      if (!doc) continue;
      if ('staged' in doc) table.staged.push(doc.staged);
      else table.addShardIndex(n, doc.index);
    }
    return table;
  }

  /** Reads shard n's index; rebuilds it from the shard when it is missing or damaged; moves an unreadable pair aside. */
  private async readIndexOrRebuild(
    n: number,
    hasIndex: boolean,
    hasShard: boolean,
    notices: RecoveryNotice[],
    recovery: RecoveryFolder,
  ): Promise<{ index: ShardIndexDoc } | { staged: StagedShard } | null> {
    const shardFile = `calls/${shardName(n)}`;
    const indexFile = `calls/${indexName(n)}`;
    let problem: FileProblem = { kind: 'missing' };
    if (hasIndex) {
      try {
        const index = await new DurableJsonFile<ShardIndexDoc>(join(this.dir, indexName(n))).read();
        if (index && index.v === 1 && Array.isArray(index.calls?.id) && Array.isArray(index.utt?.text)) {
          if (index.txn) return { staged: { n, txn: index.txn, index } };
          await this.checkShardFile(n, index, hasShard, notices);
          return { index: await this.withContextColumns(n, index, hasShard) };
        }
        problem = { kind: 'unknown_shape' };
      } catch (err) {
        if (!(err instanceof CorruptFileError)) throw err;
        problem = { kind: 'damaged', detail: err.reason };
      }
    }
    if (!hasShard) {
      const moved = await recovery.moveAside(indexFile);
      notices.push(recoveryNotice(indexFile, { key: 'index_without_shard', params: { index: indexFile, problem: problemTerm(problem), shard: shardFile, movedTo: moved } }));
      return null;
    }
    let shard: ShardDoc | null = null;
    let shardProblem: FileProblem = { kind: 'unknown_shape' };
    try {
      shard = await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(n))).read();
      if (!shard || shard.v !== 1 || !Array.isArray(shard.calls)) shard = null;
    } catch (err) {
      if (!(err instanceof CorruptFileError)) throw err;
      shardProblem = { kind: 'damaged', detail: err.reason };
    }
    if (!shard) {
      const movedShard = await recovery.moveAside(shardFile);
      const movedIndex = hasIndex ? await recovery.moveAside(indexFile) : null;
      notices.push(
        recoveryNotice(
          shardFile,
          { key: 'shard_unreadable', params: { shard: shardFile, shardProblem: problemTerm(shardProblem), index: indexFile, problem: problemTerm(problem), movedTo: movedShard } },
          ...(movedIndex ? [{ key: 'shard_index_moved', params: { movedTo: movedIndex } } as const] : []),
          { key: 'shard_calls_hidden' },
        ),
      );
      return null;
    }
    const index = buildShardIndex(shard.calls);
    if (shard.txn) return { staged: { n, txn: shard.txn, index: null } };
    await writeFileAtomic(join(this.dir, indexName(n)), JSON.stringify(index));
    notices.push(recoveryNotice(indexFile, { key: 'index_rebuilt', params: { index: indexFile, problem: problemTerm(problem), shard: shardFile, calls: shard.calls.length } }));
    return { index };
  }

  /**
   * An index written before the context columns (bot prompt and node per utterance) existed, rebuilt from its shard
   * and rewritten atomically, once. When the shard cannot be read the index is used as it is: its utterances have
   * no context, and the shard's own problem is reported by checkShardFile.
   */
  private async withContextColumns(n: number, index: ShardIndexDoc, hasShard: boolean): Promise<ShardIndexDoc> {
    if (Array.isArray(index.utt.prompt) || !hasShard || this.damagedShards.has(n)) return index;
    let shard: ShardDoc | null;
    try {
      shard = await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(n))).read();
    } catch (err) {
      if (err instanceof CorruptFileError) return index;
      throw err;
    }
    if (!shard || shard.v !== 1 || !Array.isArray(shard.calls)) return index;
    const upgraded: ShardIndexDoc = { ...buildShardIndex(shard.calls), ...(index.shardBytes === undefined ? {} : { shardBytes: index.shardBytes }) };
    await writeFileAtomic(join(this.dir, indexName(n)), JSON.stringify(upgraded));
    return upgraded;
  }

  /** Notes a shard file that is missing or shorter than when it was written: its calls cannot be opened. */
  private async checkShardFile(n: number, index: ShardIndexDoc, hasShard: boolean, notices: RecoveryNotice[]): Promise<void> {
    const shardFile = `calls/${shardName(n)}`;
    const size = hasShard ? (await stat(join(this.dir, shardName(n)))).size : -1;
    let problem: FileProblem | null = null;
    if (size < 0) problem = { kind: 'missing' };
    else if (index.shardBytes !== undefined && size !== index.shardBytes) problem = { kind: 'wrong_size', size, expected: index.shardBytes };
    if (!problem) return;
    this.damagedShards.set(n, problem);
    notices.push(recoveryNotice(shardFile, { key: 'shard_damaged', params: { shard: shardFile, problem: problemTerm(problem), calls: index.calls.id.length } }));
  }

  /** Numbers of the shards waiting for resolveStaged. */
  stagedShardNumbers(): number[] {
    return this.staged.map((s) => s.n);
  }

  /**
   * Settles the shards of import actions found at load: those whose action committed (`isCommitted`) join the table
   * (an index missing is rebuilt; the index is rewritten as committed), the others, left by an import interrupted
   * before it was saved, are moved to the recovery folder. Returns whether any joined.
   */
  async resolveStaged(isCommitted: (n: number, txn: string) => boolean, notices: RecoveryNotice[], recovery: RecoveryFolder): Promise<boolean> {
    const staged = this.staged;
    this.staged = [];
    let joined = false;
    for (const s of staged) {
      const shardFile = `calls/${shardName(s.n)}`;
      if (!isCommitted(s.n, s.txn)) {
        const moved = await recovery.moveAside(shardFile).catch(() => null);
        const movedIndex = s.index ? await recovery.moveAside(`calls/${indexName(s.n)}`).catch(() => null) : null;
        const interrupted: RecoverySentence =
          moved === null
            ? { key: 'import_interrupted_not_moved', params: { shard: shardFile } }
            : s.index
              ? { key: 'import_interrupted', params: { shard: shardFile, calls: s.index.calls.id.length, movedTo: moved } }
              : { key: 'import_interrupted_unknown_size', params: { shard: shardFile, movedTo: moved } };
        notices.push(
          recoveryNotice(
            shardFile,
            interrupted,
            ...(movedIndex ? [{ key: 'shard_index_moved', params: { movedTo: movedIndex } } as const] : []),
            { key: 'import_interrupted_end' },
          ),
        );
        continue;
      }
      let index = s.index;
      if (!index) {
        const shard = await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(s.n))).read();
        index = buildShardIndex(shard?.calls ?? []);
      }
      const { txn: _txn, ...committed } = index;
      await writeFileAtomic(join(this.dir, indexName(s.n)), JSON.stringify(committed)).catch((err: unknown) => log.warn('store.commitIndex', err, { shard: s.n }));
      this.addShardIndex(s.n, committed);
      joined = true;
    }
    return joined;
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
    this.uttPrompt = grow(this.uttPrompt, utterances, i32);
    this.uttNode = grow(this.uttNode, utterances, i32);
  }

  private addShardIndex(shard: number, doc: ShardIndexDoc): void {
    this.generation_++;
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
    const promptIds = (doc.prompts ?? []).map((p) => this.prompts.intern(p));
    const nodeIds = (doc.nodes ?? []).map((n) => this.nodes.intern(n));
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
      const prompt = u.prompt?.[j] ?? -1;
      this.uttPrompt[idx] = prompt < 0 ? -1 : (promptIds[prompt] ?? -1);
      const node = u.node?.[j] ?? -1;
      this.uttNode[idx] = node < 0 ? -1 : (nodeIds[node] ?? -1);
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

  /** Text of the bot turn right before utterance `idx`, if any (from the index columns; no shard is read). */
  botPrompt(idx: number): string | null {
    const prompt = this.uttPrompt[idx]!;
    return prompt < 0 ? null : this.prompts.values[prompt]!;
  }

  /** The text the intent model reads for utterance `idx`: its words with its context (`contextualText`). */
  modelText(idx: number): string {
    return contextualText(this.uttText[idx]!, this.contextOf(idx));
  }

  /**
   * What the model reads of utterance `idx` besides its words (`shared/ml/turnContext.ts`): the bot prompt before
   * it, that prompt's flow node, and the user's previous turn in the same call. From the index columns.
   */
  contextOf(idx: number): TurnContext {
    const prompt = this.uttPrompt[idx]!;
    const node = this.uttNode[idx]!;
    const previous = idx > 0 && this.uttCall[idx - 1] === this.uttCall[idx] ? this.uttText[idx - 1]! : '';
    return {
      prompt: prompt < 0 ? '' : this.prompts.values[prompt]!,
      node: node < 0 ? '' : this.nodes.values[node]!,
      previous,
    };
  }

  campaignOf(call: number): string {
    return this.campaigns.values[this.callCampaign[call]!]!;
  }

  /** The full call at index `call`, read from its shard (cached; concurrent readers share one read). A damaged shard is an io error naming the file. */
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
    if (!found) throw this.shardError(shard, `call ${this.callIds[call]} is missing from it`, term('file_lacks_call', { call: this.callIds[call]! }));
    return found;
  }

  private async readShard(shard: number): Promise<readonly Call[]> {
    const known = this.damagedShards.get(shard);
    if (known) throw this.shardError(shard, `it ${problemWords(known)}`, fileProblemTerm(known));
    try {
      const doc = await new DurableJsonFile<ShardDoc>(join(this.dir, shardName(shard))).read();
      if (!doc || !Array.isArray(doc.calls)) throw this.shardError(shard, `it ${problemWords({ kind: doc ? 'unknown_shape' : 'missing' })}`, term(doc ? 'file_unknown_shape' : 'file_missing'));
      return doc.calls;
    } catch (err) {
      if (err instanceof CorruptFileError) throw this.shardError(shard, `it ${problemWords({ kind: 'damaged', detail: err.reason })}`, term('file_damaged'));
      throw err;
    }
  }

  private shardError(shard: number, reason: string, problem: ErrorTermRef): ContractError {
    const file = `calls/${shardName(shard)}`;
    return new ContractError(
      'io',
      sentence('transcript_unreadable', { file, problem }),
      { file, reason: 'damaged_file' },
      `This call's transcript cannot be read: ${reason} (${file}). Its utterances and labels are kept; restore the file from a backup to see the whole call.`,
    );
  }

  /**
   * Adds calls not already present (by id), writing them as new shards whose indexes commit them. Returns how many
   * calls and utterances were added, and for each input call its index in the table, or -1 when it was skipped
   * (present already, or repeated in `calls`). Durable when it resolves.
   */
  async appendCalls(calls: readonly Call[]): Promise<{ calls: number; utterances: number; skipped: number; indexes: Int32Array }> {
    return this.writeCalls(calls, undefined);
  }

  /**
   * Like appendCalls, for an import action `txn`: the shards are written and the calls are in the table, but they
   * count only once the action's journal commit (naming the shards) is on disk; then call commitStaged. If the
   * commit fails, discardStaged takes them out again. A crash in between is settled at the next open (resolveStaged).
   */
  stageCalls(calls: readonly Call[], txn: string): Promise<StagedCalls> {
    return this.writeCalls(calls, txn);
  }

  /** Marks staged shards as committed in their indexes (best effort: the journal commit already decides). */
  async commitStaged(staged: StagedCalls): Promise<void> {
    for (const { n, index } of staged.shards) {
      const { txn: _txn, ...committed } = index;
      await writeFileAtomic(join(this.dir, indexName(n)), JSON.stringify(committed)).catch((err: unknown) => log.warn('store.commitIndex', err, { shard: n }));
    }
  }

  /** Takes staged calls whose action failed out of the table and removes their files (never acknowledged). */
  async discardStaged(staged: StagedCalls): Promise<void> {
    this.generation_++;
    for (let c = staged.callsBefore; c < this.callIds.length; c++) this.callIndex.delete(this.callIds[c]!);
    this.callIds.length = staged.callsBefore;
    this.callLanguage.length = staged.callsBefore;
    this.uttText.length = staged.utterancesBefore;
    for (const { n } of staged.shards) {
      this.shardCache.delete(n);
      await unlink(join(this.dir, indexName(n))).catch(() => undefined);
      await unlink(join(this.dir, shardName(n))).catch(() => undefined);
    }
  }

  private async writeCalls(calls: readonly Call[], txn: string | undefined): Promise<StagedCalls> {
    const seen = new Set<string>();
    const freshAt: number[] = [];
    calls.forEach((c, i) => {
      if (this.callIndex.has(c.id) || seen.has(c.id)) return;
      seen.add(c.id);
      freshAt.push(i);
    });
    const callsBefore = this.callIds.length;
    const utterancesBefore = this.uttText.length;
    const indexes = new Int32Array(calls.length).fill(-1);
    freshAt.forEach((i, k) => (indexes[i] = callsBefore + k));
    const fresh = freshAt.map((i) => calls[i]!);
    const shards: { n: number; index: ShardIndexDoc }[] = [];
    let utterances = 0;
    let start = 0;
    try {
      while (start < fresh.length) {
        let end = start;
        let count = 0;
        while (end < fresh.length && (count === 0 || count + userTurns(fresh[end]!) <= SHARD_UTTERANCES)) {
          count += userTurns(fresh[end]!);
          end++;
        }
        const part = fresh.slice(start, end);
        const n = this.nextShard++;
        const shardText = JSON.stringify(txn ? { v: 1, calls: part, txn } : { v: 1, calls: part });
        const index: ShardIndexDoc = { ...buildShardIndex(part), ...(txn ? { txn } : {}), shardBytes: Buffer.byteLength(shardText, 'utf8') };
        await this.writeShardFiles(n, shardText, index);
        this.addShardIndex(n, index);
        shards.push({ n, index });
        utterances += count;
        start = end;
      }
    } catch (err) {
      // Nothing of a failed write is kept: shards written before it are taken out again (an import is all or nothing
      // per action; calls from the platform resume from the saved cursor).
      await this.discardStaged({ shards, calls: 0, utterances: 0, skipped: 0, indexes, callsBefore, utterancesBefore });
      throw writeError(err, 'what_calls', 'calls/');
    }
    return { shards, calls: fresh.length, utterances, skipped: calls.length - fresh.length, indexes, callsBefore, utterancesBefore };
  }

  private async writeShardFiles(n: number, shardText: string, index: ShardIndexDoc): Promise<void> {
    try {
      await writeFileAtomic(join(this.dir, shardName(n)), shardText);
      await writeFileAtomic(join(this.dir, indexName(n)), JSON.stringify(index));
    } catch (err) {
      await unlink(join(this.dir, shardName(n))).catch(() => undefined);
      throw err;
    }
  }
}

function userTurns(call: Call): number {
  let n = 0;
  for (const t of call.turns) if (t.speaker === 'user') n++;
  return n;
}

function buildShardIndex(calls: readonly Call[]): ShardIndexDoc {
  const predictions = new StringTable();
  const prompts = new StringTable();
  const nodes = new StringTable();
  const promptColumn: number[] = [];
  const nodeColumn: number[] = [];
  const doc: ShardIndexDoc = {
    v: 1,
    calls: { id: [], startedAt: [], campaign: [], language: [], turns: [] },
    predictions: predictions.values,
    prompts: prompts.values,
    nodes: nodes.values,
    utt: { call: [], turn: [], text: [], pred: [], conf: [], asr: [], prompt: promptColumn, node: nodeColumn },
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
      const before = call.turns[t - 1];
      const bot = before?.speaker === 'bot' ? before : null;
      promptColumn.push(bot ? prompts.intern(bot.text) : -1);
      nodeColumn.push(bot?.node ? nodes.intern(bot.node) : -1);
    });
  });
  return doc;
}
