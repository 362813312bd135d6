import { basename } from 'node:path';
import type { ExportContent, ExportReport, ImportReport, RowError } from '../../shared/contract/dto';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { EventMap, TransferService } from '../../shared/contract/services';
import type { Call, Intent, LabelTarget } from '../../shared/domain/types';
import { SHARD_UTTERANCES } from './store/callTable';
import type { LabelChange, WorkspaceStore } from './store/workspaceStore';
import { BAD_TRANSCRIPT_LABEL, NONE_OF_THESE_LABEL, renderLabelExport, writeLabelExport, type ExportRow } from './transfer/exportLabels';
import {
  readImportContent,
  readImportFile,
  type ImportedCall,
  type ImportHandlers,
  type ImportOptions,
  type ImportSummary,
} from './transfer/importRecords';
import type { WorkspaceSession } from './workspaceSession';

const MAX_LISTED_ERRORS = 1000;
/** A batch is written as one shard, so it is sized like one. */
const BATCH_UTTERANCES = SHARD_UTTERANCES;
const EXTENSIONS: Record<string, string> = { jsonl: 'jsonl', csv: 'csv', rasa: 'yml' };
/** Progress events are at most ten a second. */
const PROGRESS_INTERVAL_MS = 100;

/** TransferService: streaming import into the store in batches, and label export. */
export class TransferController implements TransferService {
  constructor(private readonly session: WorkspaceSession) {}

  async importFile(arg: MethodArgs<'transfer.importFile'>): Promise<ImportReport> {
    return this.runImport(arg.path, (handlers, options) => readImportFile(arg.path, handlers, options));
  }

  async importContent(arg: MethodArgs<'transfer.importContent'>): Promise<ImportReport> {
    return this.runImport(arg.fileName, (handlers, options) => readImportContent(arg.fileName, arg.content, handlers, options));
  }

  async exportFile(arg: MethodArgs<'transfer.exportFile'>): Promise<ExportReport> {
    const { rows } = await writeLabelExport(arg.path, arg.format, this.exportRows());
    return { path: arg.path, format: arg.format, rows };
  }

  async exportContent(arg: MethodArgs<'transfer.exportContent'>): Promise<ExportContent> {
    const rows = [...this.exportRows()];
    const stem = this.session.store.meta.name.replace(/[\\/:*?"<>|]+/g, '_') || 'labels';
    const fileName = arg.format === 'rasa' ? 'nlu.yml' : `${stem}-labels.${EXTENSIONS[arg.format]}`;
    return { fileName, format: arg.format, rows: rows.length, content: renderLabelExport(arg.format, rows) };
  }

  private async runImport(file: string, read: (handlers: ImportHandlers, options: ImportOptions) => Promise<ImportSummary>): Promise<ImportReport> {
    const store = this.session.store;
    const batch = new ImportBatch(store, this.session.annotator, (name) => this.resolveIntent(store, name, file));
    const errors: RowError[] = [];
    let errorCount = 0;
    let callsRead = 0;
    const progress = new ProgressThrottle(basename(file), PROGRESS_INTERVAL_MS, (payload) => this.session.events.emit('onDidImportProgress', payload));
    const summary = await read(
      {
        onCall: (rec) => {
          callsRead++;
          const added = batch.add(rec);
          return progress.takeYield() ? Promise.resolve(added).then(yieldToEventLoop) : added;
        },
        onError: (err) => {
          errorCount++;
          if (errors.length < MAX_LISTED_ERRORS) errors.push(err);
        },
      },
      { onProgress: (bytesRead, totalBytes) => progress.report(bytesRead, totalBytes, callsRead + errorCount) },
    );
    progress.finish(summary.rows);
    await batch.flush();
    if (batch.newIntents.length > 0) {
      const added = batch.newIntents;
      await store.updateDoc((doc) => doc.intents.push(...added));
      this.session.events.emit('onDidChangeIntents', {});
    }
    this.session.events.emit('onDidChangeWorkspace', {});
    if (batch.labels > 0) this.session.events.emit('onDidChangeLabels', { count: batch.labels });
    return {
      file: basename(file),
      rows: summary.rows,
      callsImported: batch.calls,
      utterancesImported: batch.utterances,
      labelsImported: batch.labels,
      errors,
      moreErrors: errorCount - errors.length,
    };
  }

  /** Finds an intent by id or name (case-insensitive), or creates it for this import. */
  private resolveIntent(store: WorkspaceStore, name: string, file: string): { intent: Intent; created: boolean } {
    const lower = name.toLowerCase();
    const found = store.intents.find((i) => i.id === name) ?? store.intents.find((i) => i.name.toLowerCase() === lower && i.status !== 'deprecated');
    if (found) return { intent: found, created: false };
    const now = Date.now();
    const id = uniqueId(store, name);
    return { intent: { id, name, description: `Imported from ${basename(file)}`, examples: [], status: 'active', createdAt: now, updatedAt: now }, created: true };
  }

  private *exportRows(): Generator<ExportRow> {
    const store = this.session.store;
    const names = new Map(store.intents.map((i) => [i.id, i.name]));
    const n = store.calls.utteranceCount;
    for (let idx = 0; idx < n; idx++) {
      const label = store.labels.labelOf(idx);
      if (!label) continue;
      const call = store.calls.uttCall[idx]!;
      const t = label.target;
      yield {
        utteranceId: label.utteranceId,
        callId: store.calls.callIds[call]!,
        turnIndex: store.calls.uttTurn[idx]!,
        text: store.calls.uttText[idx]!,
        label: t.kind === 'intent' ? (names.get(t.intentId) ?? t.intentId) : t.kind === 'none' ? NONE_OF_THESE_LABEL : BAD_TRANSCRIPT_LABEL,
        intentId: t.kind === 'intent' ? t.intentId : null,
        annotator: label.annotator,
        labeledAt: label.at,
        source: label.source,
        campaign: store.calls.campaignOf(call),
      };
    }
  }
}

type ImportProgress = EventMap['onDidImportProgress'];

/** Passes on import progress at most once per interval; the end of the file always gets through, once. */
class ProgressThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private totalBytes = 0;
  private finished = false;
  private emittedSinceYield = false;

  constructor(
    private readonly file: string,
    private readonly intervalMs: number,
    private readonly emit: (payload: ImportProgress) => void,
  ) {}

  report(bytesRead: number, totalBytes: number, rows: number): void {
    this.totalBytes = totalBytes;
    if (bytesRead >= totalBytes || this.finished) return;
    const now = Date.now();
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    this.emittedSinceYield = true;
    this.emit({ file: this.file, bytesRead, totalBytes, rows });
  }

  /** True once after each event: the import should then let the event loop run, so the event reaches the UI while it goes on. */
  takeYield(): boolean {
    const due = this.emittedSinceYield;
    this.emittedSinceYield = false;
    return due;
  }

  finish(rows: number): void {
    if (this.finished) return;
    this.finished = true;
    this.emit({ file: this.file, bytesRead: this.totalBytes, totalBytes: this.totalBytes, rows });
  }
}

/** Collects imported calls and writes them to the store a batch at a time (bounded memory). */
class ImportBatch {
  calls = 0;
  utterances = 0;
  labels = 0;
  readonly newIntents: Intent[] = [];
  private pending: ImportedCall[] = [];
  private pendingUtterances = 0;
  private readonly created = new Map<string, Intent>();

  constructor(
    private readonly store: WorkspaceStore,
    private readonly annotator: string,
    private readonly resolve: (name: string) => { intent: Intent; created: boolean },
  ) {}

  add(rec: ImportedCall): Promise<void> | void {
    this.pending.push(rec);
    for (const t of rec.call.turns) if (t.speaker === 'user') this.pendingUtterances++;
    if (this.pendingUtterances >= BATCH_UTTERANCES) return this.flush();
  }

  async flush(): Promise<void> {
    const recs = this.pending;
    this.pending = [];
    this.pendingUtterances = 0;
    if (recs.length === 0) return;
    const added = await this.store.calls.appendCalls(recs.map((r) => this.withPredictionIds(r.call)));
    this.store.labels.resize(this.store.calls.utteranceCount);
    this.calls += added.calls;
    this.utterances += added.utterances;
    const byAnnotator = new Map<string, LabelChange[]>();
    for (const [i, rec] of recs.entries()) {
      // Calls already in the workspace keep their labels: a re-import never overrides people's work.
      const c = added.indexes[i]!;
      if (c < 0) continue;
      for (const label of rec.labels) {
        const utterance = this.store.calls.findUtteranceInCall(c, label.turnIndex);
        if (utterance === undefined || this.store.labels.isLabeled(utterance)) continue;
        const target = this.toTarget(label.target);
        const who = label.annotator ?? this.annotator;
        const list = byAnnotator.get(who) ?? [];
        list.push({ utterance, target });
        byAnnotator.set(who, list);
      }
    }
    for (const [annotator, changes] of byAnnotator) {
      const events = await this.store.applyLabelChanges(changes, { annotator, source: 'import', actionId: `import-${Date.now().toString(36)}` });
      this.labels += events.length;
    }
  }

  /** Import files name the platform's predictions by intent name or id; the store keeps ids. */
  private withPredictionIds(call: Call): Call {
    if (!call.turns.some((t) => typeof t.predictedIntent === 'string')) return call;
    const turns = call.turns.map((t) => {
      if (typeof t.predictedIntent !== 'string') return t;
      const lower = t.predictedIntent.toLowerCase();
      const known =
        this.store.intents.find((i) => i.id === t.predictedIntent) ??
        this.store.intents.find((i) => i.name.toLowerCase() === lower) ??
        this.created.get(lower);
      return known ? { ...t, predictedIntent: known.id } : t;
    });
    return { ...call, turns };
  }

  private toTarget(t: ImportedCall['labels'][number]['target']): LabelTarget {
    if (t.kind !== 'intent') return t;
    const known = this.created.get(t.intentName.toLowerCase());
    if (known) return { kind: 'intent', intentId: known.id };
    const { intent, created } = this.resolve(t.intentName);
    if (created) {
      const taken = new Set(this.newIntents.map((i) => i.id));
      const unique = taken.has(intent.id) ? { ...intent, id: `${intent.id}_${this.newIntents.length + 1}` } : intent;
      this.newIntents.push(unique);
      this.created.set(t.intentName.toLowerCase(), unique);
      return { kind: 'intent', intentId: unique.id };
    }
    this.created.set(t.intentName.toLowerCase(), intent);
    return { kind: 'intent', intentId: intent.id };
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function uniqueId(store: WorkspaceStore, name: string): string {
  const ids = new Set(store.intents.map((i) => i.id));
  if (!ids.has(name) && /^[\p{L}\p{N}_.-]{1,80}$/u.test(name)) return name;
  const base = name.normalize('NFKC').replace(/[^\p{L}\p{N}_.-]+/gu, '_').slice(0, 60) || 'intent';
  for (let n = 2; ; n++) if (!ids.has(`${base}_${n}`)) return `${base}_${n}`;
}
