import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { QueueItem } from '../../shared/contract/dto';
import { dispatch } from '../../shared/contract/dispatch';
import { generateDemoWorkspace } from '../../resources/demo/demoGenerator';
import { createServiceHost, type ServiceHost } from './index';
import type { LogRecord } from './log';
import { readLogRecords } from './store/testStore';

// The demo workspace is trained once, into a template that no test opens; each test opens its own copy, so any test
// can run alone or in any order (`--sequence.shuffle`).
let template: string;
const trainingProgress: string[] = [];
const opened: { host: ServiceHost; dataDir: string }[] = [];

beforeAll(async () => {
  template = await mkdtemp(join(tmpdir(), 'callsift-model-template-'));
  const trainer = await createServiceHost({ dataDir: template, retrainAfterLabels: 0 });
  trainer.on('onDidTrainProgress', (p) => trainingProgress.push(`${p.state}:${p.phase}`));
  await trainer.services.model.train({});
  await trainer.model.whenIdle();
  await trainer.close();
});
afterEach(async () => {
  for (const { host, dataDir } of opened.splice(0)) {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  await rm(template, { recursive: true, force: true });
});

/**
 * A describe block's own host on a fresh demo workspace (no retrain after labels): opened before its tests and handed
 * to `started`, closed and deleted after them.
 */
function useOwnDemoHost(prefix: string, started: (host: ServiceHost) => unknown): void {
  let dataDir = '';
  let host: ServiceHost | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    host = await createServiceHost({ dataDir, retrainAfterLabels: 0 });
    await started(host);
  });
  afterAll(async () => {
    await host?.close();
    await rm(dataDir, { recursive: true, force: true });
  });
}

/** A copy of the trained demo workspace (version 1), opened with the rankings restored from the saved version. */
async function openTrained(prepare?: (workspaceFolder: string) => Promise<void>, retrainAfterLabels = 0): Promise<{ host: ServiceHost; dataDir: string; folder: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'callsift-model-'));
  await cp(template, dataDir, { recursive: true });
  const folder = join(dataDir, 'workspaces', 'demo');
  await prepare?.(folder);
  const host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels });
  opened.push({ host, dataDir });
  await host.model.whenReady();
  return { host, dataDir, folder };
}

/** Closes `host` and opens the same data dir again, as a restart does. */
async function reopen(previous: { host: ServiceHost; dataDir: string; folder: string }): Promise<ServiceHost> {
  const entry = opened.find((o) => o.host === previous.host)!;
  await previous.host.close();
  entry.host = await createServiceHost({ dataDir: previous.dataDir, workspaceFolder: previous.folder, retrainAfterLabels: 0 });
  await entry.host.model.whenReady();
  return entry.host;
}

const logRecords = (dataDir: string): Promise<LogRecord[]> => readLogRecords(join(dataDir, 'logs'));

describe('the intent model on the demo workspace', () => {
  it('trains in a worker with progress and keeps a version with its k-fold report', async () => {
    const { host } = await openTrained();
    expect(trainingProgress[0]).toBe('running:preparing');
    expect(trainingProgress).toContain('running:folds');
    expect(trainingProgress.at(-1)).toBe('done:saving');
    const versions = await host.services.model.listVersions({});
    expect(versions.map((v) => v.version)).toEqual([1]);
    const report = await host.services.model.getReport({ version: 1 });
    expect(report.folds).toBe(5);
    expect(report.accuracy).toBeGreaterThan(0.8);
    expect(report.ece).toBeLessThan(0.1);
    expect(report.perIntent.length).toBe(report.intents);
    expect(report.reliability.reduce((n, b) => n + b.count, 0)).toBe(report.examples);
    await expect(host.services.model.getReport({ version: 9 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('ranks the deliberately wrong demo labels first in Likely mislabeled, each with a suggestion', async () => {
    const { host } = await openTrained();
    const wrong = new Set(generateDemoWorkspace().wrongLabelIds);
    const page = await host.services.queue.getPage({ queue: 'mislabeled', offset: 0, limit: 1000 });
    const top = page.items.slice(0, 30);
    // The model reads each reply with the question it answered, so a correct short reply ("是的" to the transaction
    // check, labeled confirm_transaction) is not taken for a mistake: the planted wrong labels fill the top.
    expect(top.filter((i) => wrong.has(i.id)).length).toBeGreaterThanOrEqual(27);
    expect(page.items.filter((i) => wrong.has(i.id)).length).toBeGreaterThan(0.6 * wrong.size);
    for (const item of top) {
      expect(item.reason?.suggestion?.intentId).toBeTruthy();
      expect(item.reason!.suggestion!.intentId).not.toBe((item.label!.target as { intentId: string }).intentId);
    }
  });

  it('shows one consistent set of out-of-fold figures on a review item, never those of the model trained on its label', async () => {
    const { host } = await openTrained();
    // The demo's deliberately wrong labels are memorized by the model trained on them; out of fold they are disputed.
    const wrong = new Set(generateDemoWorkspace().wrongLabelIds);
    for (const queue of ['mislabeled', 'disagreements'] as const) {
      const items = (await host.services.queue.getPage({ queue, offset: 0, limit: 200 })).items.filter((i) => wrong.has(i.id));
      expect(items.length).toBeGreaterThan(10);
      for (const item of items) {
        const r = item.reason!;
        const label = (item.label!.target as { intentId: string }).intentId;
        const quality = r.labelQuality!;
        const [first, second, third] = r.top;
        // The shown top three are one out-of-fold row: the label's probability among them is its quality, best first.
        expect(r.top.length).toBe(3);
        expect(second!.probability).toBeGreaterThanOrEqual(third!.probability);
        expect(first!.probability + second!.probability + third!.probability).toBeLessThanOrEqual(1 + 1e-5);
        for (const c of r.top) if (c.intentId === label) expect(c.probability).toBeCloseTo(quality, 5);
        expect(first!.probability).toBeGreaterThanOrEqual(quality - 1e-6);
        if (second) expect(first!.probability).toBeGreaterThanOrEqual(second.probability);
        expect(r.modelIntent).toBe(first!.intentId);
        if (r.suggestion) {
          expect(r.suggestion.intentId).not.toBe(label);
          expect(r.suggestion.probability!).toBeGreaterThan(quality);
          for (const c of r.top) if (c.intentId === r.suggestion.intentId) expect(c.probability).toBeCloseTo(r.suggestion.probability!, 5);
        }
      }
      // Out of fold, a wrong label is not what the model believes: a "model sure 90%" beside quality <1% cannot appear.
      expect(items.filter((i) => i.reason!.top[0]!.intentId === (i.label!.target as { intentId: string }).intentId).length).toBeLessThan(items.length / 4);
    }
  });

  it('drops an item from Likely mislabeled when its label is kept or changed', async () => {
    const { host } = await openTrained();
    const before = (await host.services.queue.getPage({ queue: 'mislabeled', offset: 0, limit: 2 })).items;
    const [kept, changed] = before as [QueueItem, QueueItem];
    await host.services.label.keepLabel({ utteranceId: kept.id });
    await host.services.label.setLabel({ utteranceId: changed.id, target: { kind: 'intent', intentId: changed.reason!.suggestion!.intentId }, source: 'suggestion' });
    const after = await host.services.queue.getPage({ queue: 'mislabeled', offset: 0, limit: 1000 });
    expect(after.items.map((i) => i.id)).not.toContain(kept.id);
    expect(after.items.map((i) => i.id)).not.toContain(changed.id);
    const history = await host.services.label.getHistory({ utteranceId: kept.id, limit: 5 });
    expect(history[0]).toMatchObject({ source: 'review' });
  });

  it('fills Uncovered with utterances the platform could not place and says why', async () => {
    const { host } = await openTrained();
    const page = await host.services.queue.getPage({ queue: 'uncovered', offset: 0, limit: 50 });
    expect(page.total).toBeGreaterThan(100);
    for (const item of page.items) {
      expect(item.label).toBeNull();
      const platformUnsure = item.predictedIntent === null || (item.predictedConfidence ?? 1) < 0.5;
      expect(platformUnsure || item.reason!.outOfScopeScore >= 0.4).toBe(true);
    }
  });

  it('gives Most informative batches without exact repeats of the same words', async () => {
    const { host } = await openTrained();
    const page = await host.services.queue.getPage({ queue: 'informative', offset: 0, limit: 20 });
    const normalized = page.items.map((i) => i.text.replace(/[\s，,。.!?？、嗯啊哦那个就是um uh]+/g, ''));
    expect(new Set(normalized).size).toBe(normalized.length);
    // The model's top three for each item: three distinct intents, best first.
    for (const item of page.items) {
      const top = item.reason!.top;
      expect(top).toHaveLength(3);
      expect(new Set(top.map((c) => c.intentId)).size).toBe(3);
      expect(top[0]!.probability).toBeGreaterThanOrEqual(top[1]!.probability);
      expect(top[1]!.probability).toBeGreaterThanOrEqual(top[2]!.probability);
    }
    const margins = page.items.map((i) => i.reason!.top[0]!.probability - (i.reason!.top[1]?.probability ?? 0));
    expect(Math.max(...margins)).toBeLessThan(0.5);
  });

  it('restores the rankings from the saved version after a restart', async () => {
    const trained = await openTrained();
    const host = await reopen(trained);
    const queues = await host.services.queue.listQueues({});
    expect(queues.find((q) => q.id === 'mislabeled')).toMatchObject({ ready: true });
    expect(queues.find((q) => q.id === 'uncovered')!.count).toBeGreaterThan(100);
  });

  it('reports the out-of-scope curve, the figures at the chosen threshold and the most confused intents', async () => {
    const { host } = await openTrained();
    const report = await host.services.model.getReport({ version: 1 });
    const curve = report.outOfScopeCurve!;
    expect(curve.map((p) => p.threshold)).toEqual(Array.from({ length: 101 }, (_, i) => i / 100));
    expect(curve[0]).toMatchObject({ inScopeFlagged: 1, oosRecall: 1 });
    curve.slice(1).forEach((p, i) => expect(p.inScopeFlagged).toBeLessThanOrEqual(curve[i]!.inScopeFlagged));
    expect(report.outOfScopeExamples).toBeGreaterThanOrEqual(5);
    const at = report.outOfScopeAtThreshold!;
    expect(at.threshold).toBe(report.outOfScopeThreshold);
    expect(at.oosRecall).toBeGreaterThan(0);
    expect(at.oosPrecision).toBeGreaterThan(0);
    const matrix = report.confusionMatrix!;
    expect(matrix.intents.length).toBeGreaterThan(1);
    expect(matrix.intents.length).toBeLessThanOrEqual(12);
    expect(matrix.counts.every((row) => row.length === matrix.intents.length)).toBe(true);
    const top = report.confusedPairs[0]!;
    const a = matrix.intents.indexOf(top.actual);
    const p = matrix.intents.indexOf(top.predicted);
    expect(matrix.counts[a]![p]).toBe(top.count);
  });

  it('sets the out-of-scope threshold: report, summary and artifact change, Uncovered re-ranks, and it survives reopening', async () => {
    const trained = await openTrained();
    let host = trained.host;
    const changes: number[] = [];
    const off = host.on('onDidModelChange', (e) => changes.push(e.version));
    const uncovered = async () => (await host.services.queue.getPage({ queue: 'uncovered', offset: 0, limit: 1 })).total;
    const strict = await host.services.model.setOutOfScopeThreshold({ version: 1, threshold: 1 });
    expect(strict.outOfScopeThreshold).toBe(1);
    expect(strict.outOfScopeAtThreshold).toMatchObject({ threshold: 1, inScopeFlagged: 0, oosRecall: 0 });
    const strictCount = await uncovered();
    const loose = await host.services.model.setOutOfScopeThreshold({ version: 1, threshold: 0.05 });
    expect(loose.outOfScopeAtThreshold).toEqual(loose.outOfScopeCurve![5]);
    const looseCount = await uncovered();
    expect(looseCount).toBeGreaterThan(strictCount + 50);
    expect(changes).toEqual([1, 1]);
    off();
    expect((await host.services.model.listVersions({}))[0]!.outOfScopeThreshold).toBe(0.05);
    const folder = (await host.services.workspace.getInfo({})).folder;
    const file = JSON.parse(await readFile(join(folder, 'models', 'v0001.json'), 'utf8')) as { artifact: { outOfScopeThreshold: number } };
    expect(file.artifact.outOfScopeThreshold).toBe(0.05);

    host = await reopen(trained);
    expect((await host.services.model.getReport({ version: 1 })).outOfScopeThreshold).toBe(0.05);
    expect(await uncovered()).toBe(looseCount);
  });

  it('rejects a threshold outside [0, 1] and an unknown version', async () => {
    const { host } = await openTrained();
    const bad = await dispatch(host.services, 'model.setOutOfScopeThreshold', { version: 1, threshold: 1.5 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument', details: { field: 'threshold' } } });
    await expect(host.services.model.setOutOfScopeThreshold({ version: 9, threshold: 0.5 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('reports per bot question, most trouble first, adding up to the version’s out-of-fold figures', async () => {
    const { host } = await openTrained();
    const byQuestion = await host.services.model.getQuestionReport({ version: 1 });
    expect(byQuestion).toMatchObject({ version: 1, measured: true });
    expect(await host.services.model.getQuestionReport({})).toEqual(byQuestion);
    expect('questions' in (await host.services.model.getReport({ version: 1 }))).toBe(false);
    const questions = byQuestion.questions;
    expect(byQuestion.total).toBe(questions.length);
    expect(questions.filter((q) => q.node !== null).length).toBeGreaterThanOrEqual(5);
    questions.slice(1).forEach((q, i) => expect(q.trouble).toBeLessThanOrEqual(questions[i]!.trouble));
    const path = join((await host.services.workspace.getInfo({})).folder, 'models', 'v0001.json');
    const doc = JSON.parse(await readFile(path, 'utf8')) as { artifact: { labels: string[] }; training: { utteranceIds: string[]; intentIds: string[]; outOfFoldPrediction: number[] } };
    const t = doc.training;
    const mistaken = t.intentIds.filter((id, r) => doc.artifact.labels[t.outOfFoldPrediction[r]!] !== id).length;
    const sum = (f: (q: (typeof questions)[number]) => number): number => questions.reduce((n, q) => n + f(q), 0);
    expect(sum((q) => q.labeled)).toBe(t.utteranceIds.length);
    expect(sum((q) => q.evaluated)).toBe(t.utteranceIds.length);
    expect(sum((q) => q.confused)).toBe(mistaken);
    for (const q of questions) {
      expect(q.trouble).toBe(q.uncovered + q.confused);
      if (q.accuracy !== null) expect(q.accuracy).toBeCloseTo(1 - q.confused / q.evaluated, 12);
      expect(q.confusedPairs.reduce((n, p) => n + p.count, 0)).toBeLessThanOrEqual(q.confused);
      for (const e of q.examples.filter((x) => x.kind === 'confused')) expect(e.label).not.toBe(e.predicted);
    }
    const worst = questions[0]!;
    const example = worst.examples[0]!;
    const call = await host.services.call.getCall({ callId: example.utteranceId.split('#')[0]! });
    const turn = Number(example.utteranceId.split('#')[1]);
    expect(call.turns[turn]!.text).toBe(example.text);
    const bot = call.turns[turn - 1]!;
    if (worst.node !== null) expect(bot.node).toBe(worst.node);
  });

  it('loads a version saved before the curve and matrix existed, and sets its threshold with the figures unmeasured', async () => {
    const { host } = await openTrained();
    const path = join((await host.services.workspace.getInfo({})).folder, 'models', 'v0001.json');
    const doc = JSON.parse(await readFile(path, 'utf8')) as { report: Record<string, unknown>; training: Record<string, unknown> };
    const { outOfScopeCurve, outOfScopeAtThreshold, outOfScopeExamples, confusionMatrix, questions: _questions, ...oldReport } = doc.report;
    const { outOfScope, ...oldTraining } = doc.training;
    expect([outOfScopeCurve, outOfScopeAtThreshold, outOfScopeExamples, confusionMatrix, outOfScope].every((x) => x !== undefined)).toBe(true);
    await writeFile(path, JSON.stringify({ ...doc, report: oldReport, training: oldTraining }));
    // Versions saved then had no report file beside them: the report is read from the version itself.
    await rm(path.replace(/\.json$/, '.report.json'));
    const old = await host.services.model.getReport({ version: 1 });
    expect(old.outOfScopeCurve).toBeUndefined();
    expect(old.confusionMatrix).toBeUndefined();
    expect(await host.services.model.getQuestionReport({ version: 1 })).toEqual({ version: 1, measured: false, threshold: old.outOfScopeThreshold, total: 0, questions: [] });
    await expect(host.services.model.getQuestionReport({ version: 7 })).rejects.toMatchObject({ code: 'not_found' });
    const set = await host.services.model.setOutOfScopeThreshold({ version: 1, threshold: 0.3 });
    expect(set.outOfScopeThreshold).toBe(0.3);
    expect(set.outOfScopeAtThreshold).toBeNull();
  });

  it.runIf(existsSync(resolve(import.meta.dirname, '../../out/main/trainWorker.js')))('runs the built worker the desktop app ships', async () => {
    const other = await createServiceHost({
      dataDir: await mkdtemp(join(tmpdir(), 'callsift-built-worker-')),
      workerPath: resolve(import.meta.dirname, '../../out/main/trainWorker.js'),
      retrainAfterLabels: 0,
    });
    try {
      await other.services.model.train({});
      await other.model.whenIdle();
      expect((await other.services.model.listVersions({})).length).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('exporting the model report', () => {
  it('writes xlsx with one per-intent row per intent, the numbers of the report and the intent names', async () => {
    const { host, dataDir } = await openTrained();
    const report = await host.services.model.getReport({ version: 1 });
    const names = new Map((await host.services.intent.listIntents({})).map((i) => [i.id, i.name]));
    const path = join(dataDir, 'report.xlsx');
    const written = await host.services.model.exportReportFile({ format: 'xlsx', path });
    expect(written).toEqual({ path, format: 'xlsx', version: 1, rows: report.perIntent.length });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('per_intent')!;
    const rows: unknown[][] = [];
    sheet.eachRow((r, n) => void (n > 1 && rows.push((r.values as unknown[]).slice(1))));
    expect(rows).toHaveLength(report.perIntent.length);
    for (const s of report.perIntent) {
      expect(rows).toContainEqual([names.get(s.intentId), s.intentId, s.precision, s.recall, s.f1, s.support]);
    }
    expect(rows.some((r) => String(r[0]).includes('/'))).toBe(true);
    expect(workbook.getWorksheet('summary')!.getCell('B5').value).toBe(report.accuracy);
  });

  it('returns the report for a download: CSV as text, xlsx as base64', async () => {
    const { host } = await openTrained();
    const csv = await host.services.model.exportReportContent({ version: 1, format: 'csv' });
    expect(csv).toMatchObject({ format: 'csv', version: 1, mimeType: 'text/csv;charset=utf-8' });
    expect(csv.fileName).toMatch(/-model-v1-report\.csv$/);
    expect(csv.content.startsWith('\uFEFFintent,intent_id,precision,recall,f1,support\n')).toBe(true);
    expect(csv.content.trim().split('\n')).toHaveLength(csv.rows + 1);
    const xlsx = await host.services.model.exportReportContent({ format: 'xlsx' });
    expect(xlsx).toMatchObject({ format: 'xlsx', version: 1, content: '', rows: csv.rows });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64!, 'base64') as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('per_intent')!.rowCount).toBe(csv.rows + 1);
  });

  it('refuses an unknown format and a version that does not exist', async () => {
    const { host } = await openTrained();
    const bad = await dispatch(host.services, 'model.exportReportContent', { format: 'pdf' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    await expect(host.services.model.exportReportContent({ version: 9, format: 'csv' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('training while calls arrive', () => {
  let own: ServiceHost;
  useOwnDemoHost('callsift-model-import-', (host) => (own = host));

  it('keeps training when an import adds calls meanwhile', async () => {
    const before = (await own.services.model.listVersions({})).length;
    const states: string[] = [];
    const off = own.on('onDidTrainProgress', (p) => states.push(p.state));
    await own.services.model.train({});
    const call = { id: 'during-training', startedAt: 1_700_000_000_000, turns: [{ speaker: 'user', text: '我想把还款日期往后推几天' }] };
    expect((await own.services.transfer.importContent({ fileName: 'during.jsonl', content: JSON.stringify(call) })).callsImported).toBe(1);
    await own.model.whenIdle();
    off();
    expect(states.at(-1)).toBe('done');
    expect((await own.services.model.listVersions({})).length).toBe(before + 1);
  });
});

describe('versions only for new data, and a chosen threshold kept', () => {
  it('refuses a new version on the same labels, saying which version has them', async () => {
    const { host: own } = await openTrained();
    const err = await own.services.model.train({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_argument', details: { reason: 'unchanged_data' } });
    expect((err as Error).message).toContain('Version 1 was trained on exactly these labels');
    expect((await own.services.model.listVersions({})).map((v) => v.version)).toEqual([1]);
  });

  it("keeps the threshold a user chose on the next version, and says it was kept", async () => {
    const { host: own } = await openTrained();
    const v1 = await own.services.model.getReport({ version: 1 });
    expect(v1.outOfScopeThresholdSource).toBe('measured');
    const chosen = Math.round((v1.outOfScopeThreshold + 0.13) * 100) / 100;
    await own.services.model.setOutOfScopeThreshold({ version: 1, threshold: chosen });
    const page = await own.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 });
    await own.services.label.setLabel({ utteranceId: page.items[0]!.id, target: { kind: 'intent', intentId: (await own.services.intent.listIntents({}))[0]!.id }, source: 'manual' });
    await own.services.model.train({});
    await own.model.whenIdle();
    const v2 = await own.services.model.getReport({ version: 2 });
    expect(v2.outOfScopeThreshold).toBe(chosen);
    expect(v2.outOfScopeThresholdSource).toBe('kept');
    expect(v2.outOfScopeAtThreshold?.threshold).toBe(chosen);
  });

  it('acknowledges a label set while a retrain trains and re-ranks before the new rankings arrive, and ranks Uncovered at the kept threshold', async () => {
    const { host: own } = await openTrained();
    const v1 = await own.services.model.getReport({ version: 1 });
    await own.services.model.setOutOfScopeThreshold({ version: 1, threshold: Math.round((v1.outOfScopeThreshold + 0.13) * 100) / 100 });
    const order: string[] = [];
    const off = own.on('onDidModelChange', ({ version }) => order.push(`rankings v${version}`));
    const [a, b] = (await own.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 2 })).items;
    const intentId = (await own.services.intent.listIntents({}))[1]!.id;
    await own.services.label.setLabel({ utteranceId: a!.id, target: { kind: 'intent', intentId }, source: 'manual' });
    await own.services.model.train({});
    await own.services.label.setLabel({ utteranceId: b!.id, target: { kind: 'intent', intentId }, source: 'manual' });
    order.push('label');
    await own.model.whenIdle();
    off();
    expect(order).toEqual(['label', 'rankings v2']);
    const v2 = await own.services.model.getReport({ version: 2 });
    expect(v2.outOfScopeThresholdSource).toBe('kept');
    const uncovered = (await own.services.queue.getPage({ queue: 'uncovered', offset: 0, limit: 500 })).items;
    expect(uncovered.length).toBeGreaterThan(0);
    for (const item of uncovered) {
      const platformUnsure = item.predictedIntent === null || (item.predictedConfidence !== null && item.predictedConfidence < 0.5);
      expect(platformUnsure || item.reason!.outOfScopeScore >= v2.outOfScopeThreshold).toBe(true);
    }
  });
});

describe('a default threshold that moves says why', () => {
  let own: ServiceHost;
  useOwnDemoHost('callsift-model-threshold-', async (host) => {
    own = host;
    await own.services.model.train({});
    await own.model.whenIdle();
  });

  it('gives the old and new measured thresholds, the labels behind each and what each flags on the new labels', async () => {
    const v1 = await own.services.model.getReport({ version: 1 });
    expect(v1.outOfScopeMeasuredThreshold).toBe(v1.outOfScopeThreshold);
    expect(v1.outOfScopeThresholdChange).toBeUndefined();
    // Version 1 as if it had measured a threshold far from what the labels give now (on the 0.01 grid of the curve).
    const far = v1.outOfScopeThreshold > 0.5 ? Math.round((v1.outOfScopeThreshold - 0.4) * 100) / 100 : Math.round((v1.outOfScopeThreshold + 0.4) * 100) / 100;
    const file = join((await own.services.workspace.getSettings({})).workspaceFolder, 'models', 'v0001.json');
    const doc = JSON.parse(await readFile(file, 'utf8')) as { report: Record<string, unknown> };
    doc.report.outOfScopeMeasuredThreshold = far;
    await writeFile(file, JSON.stringify(doc));
    // The report also lives alone beside the version (what status and the next training read).
    await writeFile(file.replace(/\.json$/, '.report.json'), JSON.stringify(doc.report));

    const page = await own.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 });
    const intentId = (await own.services.intent.listIntents({})).find((i) => i.status !== 'deprecated')!.id;
    await own.services.label.setLabel({ utteranceId: page.items[0]!.id, target: { kind: 'intent', intentId }, source: 'manual' });
    await own.services.model.train({});
    await own.model.whenIdle();
    const v2 = await own.services.model.getReport({ version: 2 });
    const change = v2.outOfScopeThresholdChange!;
    expect(change).toMatchObject({
      previousVersion: 1,
      from: far,
      to: v2.outOfScopeThreshold,
      previousExamples: v1.examples,
      examples: v2.examples,
      previousOutOfScopeExamples: v1.outOfScopeExamples,
      outOfScopeExamples: v2.outOfScopeExamples,
      applied: true,
    });
    expect(v2.examples).toBe(v1.examples + 1);
    // The figures are this version's own: at the new threshold its report's, at the old one its curve's.
    expect(change.atTo).toEqual(v2.outOfScopeAtThreshold);
    const point = v2.outOfScopeCurve!.find((p) => Math.abs(p.threshold - far) < 1e-9)!;
    expect(change.atFrom.inScopeFlagged).toBeCloseTo(point.inScopeFlagged, 9);
    expect(change.atFrom.oosRecall).toBeCloseTo(point.oosRecall!, 9);
    expect((await own.services.model.getStatus({})).latest?.outOfScopeThresholdChange).toEqual(change);
  });
});

describe('a saved model that cannot rank the queues', () => {
  it('records why a saved version cannot score, says so in the status, and ranks again after training', async () => {
    const trained = await openTrained(async (folder) => {
      const path = join(folder, 'models', 'v0001.json');
      const doc = JSON.parse(await readFile(path, 'utf8')) as { artifact: Record<string, unknown> };
      // Readable JSON, but the artifact is not one the scorer can load.
      await writeFile(path, JSON.stringify({ ...doc, artifact: { ...doc.artifact, format: 'not-a-model' } }));
    });
    const { host } = trained;
    const status = await host.services.model.getStatus({});
    expect(status.rankingProblem).toMatchObject({ version: 1, reason: 'cannot_score' });
    expect(status.rankingProblem!.detail.length).toBeGreaterThan(0);
    expect(status.rankedAt).toBeNull();
    expect((await host.services.queue.listQueues({})).find((q) => q.id === 'mislabeled')).toMatchObject({ ready: false });
    const logged = (await logRecords(trained.dataDir)).filter((r) => r.event === 'model.restore');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', version: 1, message: status.rankingProblem!.detail });

    const again = await reopen(trained);
    expect((await again.services.model.getStatus({})).rankingProblem).toMatchObject({ version: 1, reason: 'cannot_score' });

    // Training a new version mends it.
    const page = await again.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 });
    await again.services.label.setLabel({ utteranceId: page.items[0]!.id, target: { kind: 'intent', intentId: (await again.services.intent.listIntents({}))[0]!.id }, source: 'manual' });
    await again.services.model.train({});
    await again.model.whenIdle();
    expect((await again.services.model.getStatus({})).rankingProblem).toBeNull();
    expect((await again.services.queue.listQueues({})).find((q) => q.id === 'mislabeled')).toMatchObject({ ready: true });
  });

  it('records a saved version whose file is damaged, and names the file', async () => {
    const trained = await openTrained(async (folder) => {
      await writeFile(join(folder, 'models', 'v0001.json'), '{"report": {"version": 1');
    });
    const status = await trained.host.services.model.getStatus({});
    expect(status.rankingProblem).toMatchObject({ version: 1, reason: 'damaged' });
    expect(status.rankingProblem!.detail).toContain(join('models', 'v0001.json'));
    const logged = (await logRecords(trained.dataDir)).filter((r) => r.event === 'model.restore');
    expect(logged).toMatchObject([{ level: 'error', version: 1 }]);
  });
});

describe('warm retraining', () => {
  it('says it is due from the label that calls for it until the training it starts is running', async () => {
    const { host } = await openTrained(undefined, 1);
    expect((await host.services.model.getStatus({})).retrainPending).toBe(false);
    const page = await host.services.queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 });
    await host.services.label.setLabel({ utteranceId: page.items[0]!.id, target: { kind: 'intent', intentId: (await host.services.intent.listIntents({}))[0]!.id }, source: 'manual' });
    // Due at once, as the label call returns: nothing in between can see "idle".
    const due = await host.services.model.getStatus({});
    expect(due).toMatchObject({ retrainPending: true, job: null });
    await vi.waitFor(async () => expect((await host.services.model.getStatus({})).retrainPending).toBe(false), { timeout: 30_000, interval: 50 });
    await host.model.whenIdle();
    expect((await host.services.model.listVersions({})).map((v) => v.version)).toEqual([2, 1]);
    expect((await host.services.model.getStatus({})).retrainPending).toBe(false);
  });
});
