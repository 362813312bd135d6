import { basename } from 'node:path';
import type { ExportContent, ExportFormat, ExportReport, ImportMapping, ImportPreview, ImportReport, RowError } from '../../shared/contract/dto';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { EventMap, TransferService } from '../../shared/contract/services';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { Call, LabelTarget } from '../../shared/domain/types';
import type { CatalogueDraft } from './store/catalogue';
import { SHARD_UTTERANCES } from './store/callTable';
import type { LabelChange, WorkspaceStore } from './store/workspaceStore';
import { BAD_TRANSCRIPT_LABEL, NONE_OF_THESE_LABEL, renderLabelExport, renderLabelXlsx, renderRasa, writeLabelExport, type ExportRow } from './transfer/exportLabels';
import { CSV_MIME, safeFileStem, XLSX_MIME } from './transfer/exportWriter';
import { bufferByteSource, fileByteSource } from './transfer/byteSource';
import { autoMapping, RememberedMappings } from './transfer/columnMapping';
import { previewPrepared, refusedPreview } from './transfer/importPreview';
import {
  importFileInfo,
  mappingWith,
  prepareImport,
  readImportBytes,
  readImportContent,
  readImportFile,
  type ImportedCall,
  type ImportHandlers,
  type ImportInput,
  type ImportOptions,
  type ImportSummary,
  type PreparedImport,
} from './transfer/importRecords';
import type { WorkspaceSession } from './workspaceSession';
import { log } from './log';

const MAX_LISTED_ERRORS = 1000;
/** A batch is written as one shard, so it is sized like one. */
const BATCH_UTTERANCES = SHARD_UTTERANCES;
const EXTENSIONS: Record<ExportFormat, string> = { jsonl: 'jsonl', csv: 'csv', rasa: 'yml', xlsx: 'xlsx' };
const MIME_TYPES: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson;charset=utf-8',
  csv: CSV_MIME,
  rasa: 'text/yaml;charset=utf-8',
  xlsx: XLSX_MIME,
};
/** Progress events are at most ten a second. */
const PROGRESS_INTERVAL_MS = 100;

/** TransferService: streaming import into the store in batches, and label export. */
export class TransferController implements TransferService {
  private readonly mappings: RememberedMappings;

  constructor(private readonly session: WorkspaceSession) {
    this.mappings = new RememberedMappings(session.dataDir);
  }

  async importFile(arg: MethodArgs<'transfer.importFile'>): Promise<ImportReport> {
    return this.runImport(arg.path, arg, (handlers, options) => readImportFile(arg.path, handlers, options));
  }

  async importContent(arg: MethodArgs<'transfer.importContent'>): Promise<ImportReport> {
    if (arg.dataBase64 !== undefined) {
      const data = Buffer.from(arg.dataBase64, 'base64');
      return this.runImport(arg.fileName, arg, (handlers, options) => readImportBytes(arg.fileName, data, handlers, options));
    }
    const content = arg.content ?? '';
    return this.runImport(arg.fileName, arg, (handlers, options) => readImportContent(arg.fileName, content, handlers, options));
  }

  async previewImport(arg: MethodArgs<'transfer.previewImport'>): Promise<ImportPreview> {
    let input: ImportInput;
    if (arg.path !== undefined) {
      const { size } = await importFileInfo(arg.path);
      input = { fileName: arg.path, bytes: fileByteSource(arg.path, size) };
    } else if (arg.dataBase64 !== undefined) {
      input = { fileName: arg.fileName ?? 'upload', bytes: bufferByteSource(Buffer.from(arg.dataBase64, 'base64')) };
    } else {
      input = { fileName: arg.fileName ?? 'upload', text: arg.content ?? '' };
    }
    const file = basename(input.fileName);
    const totalBytes = 'bytes' in input ? input.bytes.totalBytes : Buffer.byteLength(input.text);
    let prep: PreparedImport | null = null;
    try {
      prep = await prepareImport(input, arg);
      return await previewPrepared(prep, {
        ...(arg.sheet !== undefined ? { sheet: arg.sheet } : {}),
        limit: arg.rows,
        resolve: (headers) => this.resolveMapping(headers, arg.mapping),
      });
    } catch (err) {
      if (err instanceof ContractError && err.code === 'bad_input' && err.details?.issue !== undefined) return refusedPreview(file, totalBytes, err, prep);
      throw err;
    }
  }

  /** The mapping of a table's headers: the given one over the automatic one, else the one remembered for them, else automatic. */
  private async resolveMapping(headers: readonly string[], given: ImportMapping | undefined): Promise<{ mapping: ImportMapping; source: ImportPreview['mappingSource'] }> {
    if (given !== undefined) return { mapping: mappingWith(headers, given), source: 'given' };
    const remembered = await this.mappings.find(headers).catch((err: unknown) => {
      log.warn('import.rememberedMapping', err);
      return null;
    });
    if (remembered !== null) return { mapping: remembered, source: 'remembered' };
    return { mapping: autoMapping(headers), source: 'auto' };
  }

  async exportFile(arg: MethodArgs<'transfer.exportFile'>): Promise<ExportReport> {
    const { rows } = await writeLabelExport(arg.path, arg.format, this.exportRows());
    return { path: arg.path, format: arg.format, rows };
  }

  async exportContent(arg: MethodArgs<'transfer.exportContent'>): Promise<ExportContent> {
    const stem = safeFileStem(this.session.store.meta.name, 'labels');
    const fileName = arg.format === 'rasa' ? 'nlu.yml' : `${stem}-labels.${EXTENSIONS[arg.format]}`;
    const answer = { fileName, format: arg.format, mimeType: MIME_TYPES[arg.format] };
    if (arg.format === 'xlsx') {
      const { bytes, rows } = await renderLabelXlsx(this.exportRows());
      return { ...answer, rows, content: '', contentBase64: bytes.toString('base64') };
    }
    if (arg.format === 'rasa') {
      const { content, rows } = renderRasa(this.exportRows());
      return { ...answer, rows, content };
    }
    const rows = [...this.exportRows()];
    return { ...answer, rows: rows.length, content: renderLabelExport(arg.format, rows) };
  }

  private async runImport(
    file: string,
    arg: Pick<ImportOptions, 'encoding' | 'sheet' | 'delimiter' | 'mapping'>,
    read: (handlers: ImportHandlers, options: ImportOptions) => Promise<ImportSummary>,
  ): Promise<ImportReport> {
    const store = this.session.store;
    const errors: RowError[] = [];
    let errorCount = 0;
    let callsRead = 0;
    const onError = (err: RowError): void => {
      errorCount++;
      if (errors.length < MAX_LISTED_ERRORS) errors.push(err);
    };
    const batch = new ImportBatch(store, this.session.annotator, basename(file), onError);
    let mappingSource = 'auto' as ImportPreview['mappingSource'];
    const options: ImportOptions = {
      ...(arg.encoding !== undefined ? { encoding: arg.encoding } : {}),
      ...(arg.sheet !== undefined ? { sheet: arg.sheet } : {}),
      ...(arg.delimiter !== undefined ? { delimiter: arg.delimiter } : {}),
      resolveMapping: async (headers) => {
        const resolved = await this.resolveMapping(headers, arg.mapping);
        mappingSource = resolved.source;
        return resolved.mapping;
      },
    };
    const progress = new ProgressThrottle(basename(file), PROGRESS_INTERVAL_MS, (payload) => this.session.events.emit('onDidImportProgress', payload));
    let summary: ImportSummary;
    try {
      summary = await read(
        {
          onCall: (rec) => {
            callsRead++;
            const added = batch.add(rec);
            return progress.takeYield() ? Promise.resolve(added).then(yieldToEventLoop) : added;
          },
          onError,
        },
        { ...options, onProgress: (bytesRead, totalBytes) => progress.report(bytesRead, totalBytes, callsRead + errorCount) },
      );
      progress.finish(summary.rows);
      await batch.flush();
    } catch (err) {
      throw batch.stoppedBy(err);
    } finally {
      if (batch.intentsCreated > 0) this.session.events.emit('onDidChangeIntents', {});
      if (batch.calls > 0) this.session.events.emit('onDidChangeWorkspace', {});
      if (batch.labels > 0) this.session.events.emit('onDidChangeLabels', { count: batch.labels });
    }
    if (summary.header !== null && mappingSource === 'given') await this.mappings.remember(summary.header.headers, summary.header.mapping);
    const kept = batch.rowsNew + batch.rowsUpdated + batch.rowsUnchanged;
    return {
      file: basename(file),
      rows: summary.rows,
      rowsNew: batch.rowsNew,
      rowsUpdated: batch.rowsUpdated,
      rowsUnchanged: batch.rowsUnchanged,
      rowsSkipped: Math.max(0, summary.rows - kept),
      callsNew: batch.calls,
      callsUpdated: batch.callsUpdated,
      callsUnchanged: batch.callsUnchanged,
      callsImported: batch.calls,
      utterancesImported: batch.utterances,
      labelsImported: batch.labels,
      format: summary.format,
      encoding: summary.encoding,
      errors,
      moreErrors: errorCount - errors.length,
    };
  }

  private *exportRows(): Generator<ExportRow> {
    const store = this.session.store;
    const names = new Map(store.intents.map((i) => [i.id, i.name]));
    for (const idx of store.reads.labeledRows().utterances) {
      const label = store.labels.labelOf(idx);
      if (!label) continue;
      const turn = store.reads.turn(idx);
      const t = label.target;
      const context = turn.context;
      yield {
        utteranceId: label.utteranceId,
        callId: turn.callId,
        turnIndex: turn.turnIndex,
        text: turn.text,
        label: t.kind === 'intent' ? (names.get(t.intentId) ?? t.intentId) : t.kind === 'none' ? NONE_OF_THESE_LABEL : BAD_TRANSCRIPT_LABEL,
        intentId: t.kind === 'intent' ? t.intentId : null,
        annotator: label.annotator,
        labeledAt: label.at,
        source: label.source,
        campaign: turn.campaign,
        botText: context.prompt || null,
        node: context.node || null,
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

/**
 * Collects imported calls and writes them to the store a batch at a time (bounded memory). Each batch is one action:
 * its calls, their labels and the intents they introduce are committed together, or not at all.
 */
class ImportBatch {
  calls = 0;
  callsUpdated = 0;
  callsUnchanged = 0;
  rowsNew = 0;
  rowsUpdated = 0;
  rowsUnchanged = 0;
  utterances = 0;
  labels = 0;
  intentsCreated = 0;
  private pending: ImportedCall[] = [];
  private pendingUtterances = 0;

  constructor(
    private readonly store: WorkspaceStore,
    private readonly annotator: string,
    private readonly fileName: string,
    private readonly onError: (err: RowError) => void,
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
    await this.store.exclusive(async () => {
      const draft = this.store.catalogueDraft();
      const calls = recs.map((r) => withPredictionIds(r.call, draft));
      const actionId = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const { staged, events } = await this.store.importCalls(
        calls,
        (added) => {
          const labels: LabelChange[] = [];
          for (const [i, rec] of recs.entries()) {
            // A call already in the workspace keeps its transcript and labels (a re-import never overrides people's
            // work); its unlabeled turns take the file's labels, which makes it "updated".
            const fresh = added.indexes[i]! >= 0;
            const c = fresh ? added.indexes[i]! : this.store.calls.findCall(rec.call.id);
            if (c === undefined) continue;
            if (!fresh && !this.sameUserTurns(c, rec)) {
              this.onError({
                line: rec.line,
                field: 'call_id',
                reason: `call "${rec.call.id}" is already in the workspace with other user turns; the workspace's version was kept`,
                code: 'call_differs',
                params: { line: rec.line, callId: rec.call.id },
              });
              continue;
            }
            let set = 0;
            for (const label of rec.labels) {
              const utterance = this.store.calls.findUtteranceInCall(c, label.turnIndex);
              if (utterance === undefined || this.store.labels.isLabeled(utterance)) continue;
              labels.push({ utterance, target: this.toTarget(label.target, draft), annotator: label.annotator ?? this.annotator });
              set++;
            }
            if (fresh) this.rowsNew += rec.rows;
            else if (set > 0) {
              this.callsUpdated++;
              this.rowsUpdated += rec.rows;
            } else {
              this.callsUnchanged++;
              this.rowsUnchanged += rec.rows;
            }
          }
          const intents = draft.changes();
          this.intentsCreated += intents.length;
          return { labels, intents };
        },
        { annotator: this.annotator, source: 'import', actionId },
      );
      this.calls += staged.calls;
      this.utterances += staged.utterances;
      this.labels += events.length;
    });
  }

  /** True when the workspace's call `c` has the same user turns, in order, as the imported one. */
  private sameUserTurns(c: number, rec: ImportedCall): boolean {
    const calls = this.store.calls;
    const first = calls.callFirstUtt[c]!;
    const count = calls.callUttCount[c]!;
    const texts = rec.call.turns.filter((t) => t.speaker === 'user').map((t) => t.text);
    if (texts.length !== count) return false;
    return texts.every((t, k) => this.store.reads.text(first + k) === t);
  }

  /** The error an import ends with when a batch could not be saved: what was saved before it stays, and it says so. */
  stoppedBy(err: unknown): unknown {
    // Only a failed write (which has a reason) stops an import midway; errors reading the file say so themselves.
    if (!(err instanceof ContractError) || err.code !== 'io' || err.details?.reason === undefined) return err;
    const progress =
      this.calls === 0
        ? `Nothing from ${this.fileName} was imported.`
        : `The import stopped there: ${this.calls} calls from ${this.fileName} were saved before it and are kept; import the file again to add the rest (calls already in the workspace are skipped).`;
    const stopped = this.calls === 0 ? sentence('import_stopped_nothing', { file: this.fileName }) : sentence('import_stopped_partly', { calls: this.calls, file: this.fileName });
    return new ContractError('io', [...(err.sentences ?? []), stopped], err.details, `${err.message} ${progress}`);
  }

  /** An imported label's target; an intent named for the first time is created (in this batch's action). */
  private toTarget(t: ImportedCall['labels'][number]['target'], draft: CatalogueDraft): LabelTarget {
    if (t.kind !== 'intent') return t;
    const known = draft.find(t.intentName) ?? draft.findByName(t.intentName);
    if (known) return { kind: 'intent', intentId: known.id };
    const id = /^[\p{L}\p{N}_.-]{1,80}$/u.test(t.intentName) ? t.intentName : undefined;
    const created = draft.create({ ...(id ? { id } : {}), name: t.intentName, description: `Imported from ${this.fileName}`, examples: [] });
    return { kind: 'intent', intentId: created.id };
  }
}

/** Import files name the platform's predictions by intent name or id; the store keeps ids. */
function withPredictionIds(call: Call, draft: CatalogueDraft): Call {
  if (!call.turns.some((t) => typeof t.predictedIntent === 'string')) return call;
  const turns = call.turns.map((t) => {
    if (typeof t.predictedIntent !== 'string') return t;
    const known = draft.find(t.predictedIntent) ?? draft.findByName(t.predictedIntent);
    return known ? { ...t, predictedIntent: known.id } : t;
  });
  return { ...call, turns };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
