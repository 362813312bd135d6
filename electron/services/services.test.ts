import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ServiceHost } from './index';
import { makeTestCalls, makeTestIntents } from './store/testCalls';
import { closeTestHost, openTestHost } from './testServiceHost';

let root: string;
let host: ServiceHost;

beforeEach(async () => {
  ({ root, host } = await openTestHost(
    'callsift-services-',
    makeTestIntents([
      { id: 'confirm', name: '确认本人', description: '用户确认是本人 confirms identity', examples: ['是我', '对是我'] },
      { id: 'busy', name: '在忙', description: 'busy, call later', examples: ['我在开会'] },
      { id: 'busy_old', name: '没空', examples: ['没空'] },
    ]),
    makeTestCalls(20),
  ));
});
afterEach(() => closeTestHost(host, root));

describe('labels', () => {
  it('labels, moves the item between queues, and undoes', async () => {
    const { label, queue } = host.services;
    const first = (await queue.getPage({ queue: 'unlabeled', offset: 0, limit: 1 })).items[0]!;
    expect(first.botPrompt).toBe('请问是张先生吗？(0)');
    const res = await label.setLabel({ utteranceId: first.id, target: { kind: 'intent', intentId: 'confirm' }, source: 'manual' });
    expect(res.changed).toBe(1);
    expect((await queue.listQueues({})).slice(0, 2)).toEqual([
      { id: 'unlabeled', count: 39, ready: true },
      { id: 'recent', count: 1, ready: true },
    ]);
    const recent = await queue.getPage({ queue: 'recent', offset: 0, limit: 10 });
    expect(recent.items.map((i) => i.id)).toEqual([first.id]);
    const undo = await label.undoAction({ actionId: res.actionId });
    expect(undo.reverted).toEqual([first.id]);
    expect((await queue.listQueues({}))[1]!.count).toBe(0);
    const history = await label.getHistory({ utteranceId: first.id, limit: 10 });
    expect(history.map((e) => [e.source, e.before?.kind ?? null, e.after?.kind ?? null])).toEqual([
      ['undo', 'intent', null],
      ['manual', null, 'intent'],
    ]);
  });

  it('leaves alone on undo an utterance relabeled after the action', async () => {
    const { label } = host.services;
    const a = await label.bulkLabel({ utteranceIds: ['c0#1', 'c1#1'], target: { kind: 'none' } });
    await label.setLabel({ utteranceId: 'c1#1', target: { kind: 'badTranscript' }, source: 'manual' });
    const undo = await label.undoAction({ actionId: a.actionId });
    expect(undo.reverted).toEqual(['c0#1']);
    expect(undo.skipped).toEqual(['c1#1']);
  });

  it('refuses unknown and deprecated intents with errors naming the field', async () => {
    const { label, intent } = host.services;
    await expect(label.setLabel({ utteranceId: 'c0#1', target: { kind: 'intent', intentId: 'nope' }, source: 'manual' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await intent.updateIntent({ id: 'busy_old', status: 'deprecated' });
    await expect(label.setLabel({ utteranceId: 'c0#1', target: { kind: 'intent', intentId: 'busy_old' }, source: 'manual' })).rejects.toMatchObject({
      code: 'invalid_argument',
      details: { field: 'target.intentId' },
    });
  });

  it('reports progress for the current annotator', async () => {
    await host.services.workspace.updateSettings({ annotator: 'lin' });
    await host.services.label.bulkLabel({ utteranceIds: ['c0#1', 'c0#3', 'c2#1'], target: { kind: 'none' } });
    expect(await host.services.label.getProgress({})).toEqual({ annotator: 'lin', labeledTotal: 3, unlabeled: 37, lastHour: 3 });
  });
});

describe('queue pages', () => {
  it('pages Unlabeled by offset and skip with the right total, reading only as far as the page', async () => {
    const { label, queue } = host.services;
    const all = (await queue.getPage({ queue: 'unlabeled', offset: 0, limit: 100 })).items.map((i) => i.id);
    expect(all.length).toBe(40);
    await label.setLabel({ utteranceId: all[3]!, target: { kind: 'intent', intentId: 'confirm' }, source: 'manual' });
    const rest = all.filter((_, i) => i !== 3);
    const page = await queue.getPage({ queue: 'unlabeled', offset: 5, limit: 4 });
    expect(page.total).toBe(39);
    expect(page.items.map((i) => i.id)).toEqual(rest.slice(5, 9));
    // A skipped unlabeled item leaves the total; a skipped labeled one (all[3]) changes nothing.
    const skipped = await queue.getPage({ queue: 'unlabeled', offset: 0, limit: 3, skip: [rest[0]!, rest[2]!, all[3]!] });
    expect(skipped.total).toBe(37);
    expect(skipped.items.map((i) => i.id)).toEqual([rest[1], rest[3], rest[4]]);
    const end = await queue.getPage({ queue: 'unlabeled', offset: 37, limit: 10 });
    expect(end.items.map((i) => i.id)).toEqual(rest.slice(37));
    expect((await queue.getPage({ queue: 'unlabeled', offset: 0, limit: 5, search: '不存在的话' })).total).toBe(0);
  });
});

describe('intents', () => {
  it('merges one intent into another, relabeling members, and undoes the merge', async () => {
    const { label, intent } = host.services;
    await label.bulkLabel({ utteranceIds: ['c0#1', 'c1#1', 'c2#1'], target: { kind: 'intent', intentId: 'busy_old' } });
    const merge = await intent.mergeIntents({ sourceId: 'busy_old', targetId: 'busy' });
    expect(merge.relabeled).toBe(3);
    expect(merge.target.examples).toEqual(['我在开会', '没空']);
    let list = await intent.listIntents({});
    expect(list.find((i) => i.id === 'busy')).toMatchObject({ labeled: 3 });
    expect(list.find((i) => i.id === 'busy_old')).toMatchObject({ status: 'deprecated', mergedInto: 'busy', labeled: 0 });
    await label.undoAction({ actionId: merge.actionId });
    list = await intent.listIntents({});
    expect(list.find((i) => i.id === 'busy_old')).toMatchObject({ status: 'active', labeled: 3 });
    expect(list.find((i) => i.id === 'busy')).toMatchObject({ labeled: 0, examples: ['我在开会'] });
  });

  it('creates, renames and refuses duplicate names', async () => {
    const { intent } = host.services;
    const created = await intent.createIntent({ name: 'Ask for invoice', description: '', examples: ['能开发票吗', '能开发票吗'], status: 'active' });
    expect(created).toMatchObject({ id: 'ask_for_invoice', examples: ['能开发票吗'] });
    await expect(intent.createIntent({ name: 'ask FOR invoice', description: '', examples: [], status: 'active' })).rejects.toMatchObject({ code: 'conflict' });
    const renamed = await intent.updateIntent({ id: created.id, name: '开发票' });
    expect(renamed.name).toBe('开发票');
  });

  it('adds intents from the built-in library in both languages and from another workspace', async () => {
    const { intent } = host.services;
    const zh = await intent.listLibrary({ language: 'zh' });
    const en = await intent.listLibrary({ language: 'en' });
    expect(zh.length).toBeGreaterThanOrEqual(16);
    expect(en.map((i) => i.key).sort()).toEqual(zh.map((i) => i.key).sort());
    const added = await intent.addFromLibrary({ language: 'en', keys: [en[0]!.key, en[1]!.key] });
    expect(added).toHaveLength(2);
    expect(added[0]!.examples.length).toBeGreaterThan(0);
    const other = join(root, 'ws');
    const listed = await intent.listFromWorkspace({ folder: other });
    expect(listed.map((i) => i.id)).toContain('confirm');
    await expect(intent.listFromWorkspace({ folder: join(root, 'nowhere') })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('calls', () => {
  it('searches calls by user text, filters by campaign, and opens one with its labels', async () => {
    const { call, label } = host.services;
    const hits = await call.searchCalls({ query: '用户回答 7-', offset: 0, limit: 10, onlyUnlabeled: false });
    expect(hits.items.map((c) => c.id)).toEqual(['c7']);
    const insurance = await call.searchCalls({ query: '', campaign: 'insurance', offset: 0, limit: 100, onlyUnlabeled: false });
    expect(insurance.total).toBe(10);
    expect(insurance.items[0]!.id).toBe('c18');
    await label.setLabel({ utteranceId: 'c7#3', target: { kind: 'none' }, source: 'manual' });
    const detail = await call.getCall({ callId: 'c7' });
    expect(detail.turns).toHaveLength(4);
    expect(Object.keys(detail.labels)).toEqual(['3']);
    expect((await call.listCampaigns({})).map((c) => c.calls)).toEqual([10, 10]);
  });
});

describe('import and export', () => {
  it('imports a CSV, keeps the good rows, names each bad row, and exports to JSONL, CSV and Rasa', async () => {
    const { transfer, workspace } = host.services;
    const csv = [
      'call_id,speaker,text,intent,predicted_confidence',
      'x1,bot,您好，请问是王女士吗？,,',
      'x1,user,对，是我,confirm,0.9',
      'x2,user,,busy,0.5',
      'x3,user,我现在开车,busy,1.7',
      'x4,robot,hello,,',
      'x5,user,"Can I pay in instalments, please?",instalment_plan,0.3',
    ].join('\n');
    const file = join(root, 'calls.csv');
    await writeFile(file, csv);
    const report = await transfer.importFile({ path: file });
    expect(report.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(report.callsImported).toBe(2);
    expect(report.labelsImported).toBe(2);
    expect((await workspace.getInfo({})).calls).toBe(22);
    const again = await transfer.importFile({ path: file });
    expect(again.callsImported).toBe(0);

    const jsonl = await transfer.exportContent({ format: 'jsonl' });
    expect(jsonl.rows).toBe(2);
    expect(jsonl.content.split('\n').filter(Boolean).map((l) => JSON.parse(l).intent).sort()).toEqual(['instalment_plan', '确认本人']);
    const rasa = await transfer.exportContent({ format: 'rasa' });
    const nlu = parseYaml(rasa.content) as { nlu: { intent: string; examples: string }[] };
    expect(nlu.nlu.map((n) => n.intent).sort()).toEqual(['instalment_plan', '确认本人']);
    const out = join(root, 'labels.csv');
    const written = await transfer.exportFile({ path: out, format: 'csv' });
    expect(written.rows).toBe(2);
    expect(await readFile(out, 'utf8')).toContain('"Can I pay in instalments, please?"');
    const xlsx = await transfer.exportContent({ format: 'xlsx' });
    expect(xlsx).toMatchObject({ rows: 2, content: '', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(xlsx.fileName).toMatch(/-labels\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.contentBase64!, 'base64') as unknown as ArrayBuffer);
    const texts = workbook.worksheets[0]!.getColumn(4).values.slice(2);
    expect(texts).toContain('Can I pay in instalments, please?');
    expect(jsonl.contentBase64).toBeUndefined();
  });
});
