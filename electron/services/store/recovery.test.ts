import { appendFile, readdir, readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { makeTestCalls } from './testCalls';
import { openSeededStore, testActionContext, useTempDir } from './testStore';
import { WorkspaceStore } from './workspaceStore';

const ctx = testActionContext;
const none = { kind: 'none' } as const;

const dir = useTempDir('callsift-recovery-');

const seeded = (calls = 20): Promise<WorkspaceStore> => openSeededStore(dir(), calls);

/** Every file under the workspace's recovery folder, relative to the workspace. */
async function recovered(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir(), rel), { withFileTypes: true }).catch(() => [])) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else out.push(path);
    }
  };
  await walk('recovery');
  return out.sort();
}

const journalPath = () => join(dir(), 'labels', 'journal-000001.jsonl');

describe('recovery keeps everything and says exactly what it did', () => {
  it('torn journal tail: the cut bytes go to the recovery folder, acknowledged labels stay, appends go on cleanly', async () => {
    const store = await seeded();
    await store.applyLabelChanges([{ utterance: 0, target: none }], ctx);
    await store.applyLabelChanges([{ utterance: 1, target: none }], ctx);
    await store.abandonAsIfCrashed();
    const whole = (await stat(journalPath())).size;
    const torn = '{"s":3,"a":"ann","at":1,"act":"a1","u":"c1#3","t":"n","p":nu';
    await appendFile(journalPath(), torn);

    const again = await WorkspaceStore.open(dir());
    expect(again.labels.labeledCount).toBe(2);
    expect(again.notices).toHaveLength(1);
    const [moved] = await recovered();
    expect(moved).toMatch(/^recovery\/[^/]+\/labels\/journal-000001\.jsonl\.tail-at-\d+$/);
    expect(await readFile(join(dir(), moved!), 'utf8')).toBe(torn);
    expect(again.notices[0]!.sentences.map((x) => x.key)).toEqual(['journal_tail_line', 'journal_tail_moved', 'journal_tail_change_lost_utterance']);
    expect(again.notices[0]).toEqual({
      file: 'labels/journal-000001.jsonl',
      sentences: expect.any(Array),
      message:
        'labels/journal-000001.jsonl ends in an incomplete line (line 3): what a crash in the middle of a save leaves, or damage to the file. It was not applied. ' +
        `The ${torn.length} bytes were moved to ${moved}. A save cut short by a crash was never shown as saved; if the file was damaged instead, the change it held (utterance c1#3) is lost.`,
    });
    expect((await stat(journalPath())).size).toBe(whole);
    await again.applyLabelChanges([{ utterance: 2, target: none }], ctx);
    await again.abandonAsIfCrashed();
    const third = await WorkspaceStore.open(dir());
    expect(third.labels.labeledCount).toBe(3);
    expect(third.notices).toEqual([]);
    await third.close();
  });

  it('garbled middle line: skipped and named with its utterance, the file kept byte for byte', async () => {
    const store = await seeded();
    for (let i = 0; i < 3; i++) await store.applyLabelChanges([{ utterance: i, target: none }], ctx);
    await store.abandonAsIfCrashed();
    const lines = (await readFile(journalPath(), 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"t":"n"', '"t":#\u0000');
    const damaged = lines.join('\n');
    await writeFile(journalPath(), damaged);

    const again = await WorkspaceStore.open(dir());
    expect(again.labels.isLabeled(0)).toBe(true);
    expect(again.labels.isLabeled(1)).toBe(false);
    expect(again.labels.isLabeled(2)).toBe(true);
    expect(again.notices).toEqual([
      {
        file: 'labels/journal-000001.jsonl',
        sentences: [{ key: 'journal_line_damaged_utterance', params: { line: 2, file: 'labels/journal-000001.jsonl', utterance: 'c0#3' } }],
        message: 'Line 2 of labels/journal-000001.jsonl is damaged and was skipped (a change to utterance c0#3); the change it held is not applied. The file is kept as it is.',
      },
    ]);
    await again.abandonAsIfCrashed();
    expect(await readFile(journalPath(), 'utf8')).toBe(damaged);
    expect(await recovered()).toEqual([]);
  });

  it('truncated snapshot: moved aside, every label rebuilt from the journal', async () => {
    const store = await seeded();
    for (let i = 0; i < 6; i++) await store.applyLabelChanges([{ utterance: i, target: none }], ctx);
    await store.compact();
    for (let i = 6; i < 9; i++) await store.applyLabelChanges([{ utterance: i, target: none }], ctx);
    await store.close();
    const snapshot = join(dir(), 'labels', 'snapshot.json');
    const cut = (await readFile(snapshot, 'utf8')).slice(0, 40);
    await writeFile(snapshot, cut);

    const again = await WorkspaceStore.open(dir());
    expect(again.labels.labeledCount).toBe(9);
    const [moved] = await recovered();
    expect(await readFile(join(dir(), moved!), 'utf8')).toBe(cut);
    expect(again.notices).toHaveLength(1);
    expect(again.notices[0]!.file).toBe('labels/snapshot.json');
    expect(again.notices[0]!.message).toMatch(
      new RegExp(`^The label snapshot could not be used: it is damaged \\(.+\\)\\. It was moved to ${moved!.replace(/[.]/g, '\\.')}, and every label was rebuilt from the journal\\. Every journal segment from the first is present, so nothing was lost\\.$`),
    );
    await again.close();
  });

  it('deleted snapshot: every label rebuilt from the journal segments, and it says so', async () => {
    const store = await seeded();
    for (let i = 0; i < 4; i++) await store.applyLabelChanges([{ utterance: i, target: none }], ctx);
    await store.compact();
    await store.applyLabelChanges([{ utterance: 4, target: none }], ctx);
    await store.close();
    await unlink(join(dir(), 'labels', 'snapshot.json'));
    const again = await WorkspaceStore.open(dir());
    expect(again.labels.labeledCount).toBe(5);
    expect(again.notices).toEqual([
      { file: 'labels/snapshot.json', sentences: [{ key: 'snapshot_missing' }, { key: 'journal_segments_whole' }], message: 'labels/snapshot.json is missing; every label was rebuilt from the journal. Every journal segment from the first is present, so nothing was lost.' },
    ]);
    await again.close();
  });

  it('damaged workspace.json with a previous copy: moved aside, restored, and the intent changes since replayed from the journal', async () => {
    const store = await seeded(2);
    const draft = store.catalogueDraft();
    draft.create({ name: '投诉', description: 'complaint', examples: [] });
    await store.exclusive(() => store.commit({ intents: draft.changes() }, ctx));
    await store.close();
    // workspace.prev.json is one write behind: it lacks 投诉, which only the journal and the damaged file hold.
    expect(await readFile(join(dir(), 'workspace.prev.json'), 'utf8')).not.toContain('投诉');
    const damaged = '{"formatVersion":2,"meta":';
    await writeFile(join(dir(), 'workspace.json'), damaged);

    const again = await WorkspaceStore.open(dir());
    expect(again.intents.map((i) => i.name)).toEqual(['确认本人', '投诉']);
    const moved = await recovered();
    expect(moved).toHaveLength(1);
    expect(await readFile(join(dir(), moved[0]!), 'utf8')).toBe(damaged);
    expect(again.notices).toHaveLength(1);
    expect(again.notices[0]!.message).toMatch(/^workspace\.json could not be used: it is not valid JSON \(.+\)\. It was moved to recovery\/.+\/workspace\.json\. The intent catalogue was restored from workspace\.prev\.json \(last changed .+\) and 1 later intent changes from the label journal\. Labels are kept in the label journal and are not affected\.$/);
    await again.close();
    const third = await WorkspaceStore.open(dir());
    expect(third.notices).toEqual([]);
    expect(third.intents.map((i) => i.name)).toEqual(['确认本人', '投诉']);
    await third.close();
  });

  it('damaged workspace.json and no previous copy: rebuilt from the journal and the labels, with a warning that names what to check', async () => {
    const store = await seeded(4);
    const draft = store.catalogueDraft();
    const created = draft.create({ name: '投诉', description: 'complaint', examples: ['我要投诉'] });
    await store.exclusive(() => store.commit({ intents: draft.changes() }, ctx));
    await store.applyLabelChanges([{ utterance: 0, target: { kind: 'intent', intentId: 'confirm' } }], ctx);
    await store.applyLabelChanges([{ utterance: 1, target: { kind: 'intent', intentId: created.id } }], ctx);
    await store.close();
    await writeFile(join(dir(), 'workspace.json'), 'garbage');
    await unlink(join(dir(), 'workspace.prev.json'));

    const again = await WorkspaceStore.open(dir());
    expect(again.intents.map((i) => [i.id, i.name, i.description])).toEqual([
      [created.id, '投诉', 'complaint'],
      ['confirm', 'confirm', ''],
    ]);
    expect(again.labels.labeledCount).toBe(2);
    expect(again.notices[0]!.message).toMatch(
      /^workspace\.json could not be used: it is not valid JSON \(.+\)\. It was moved to recovery\/.+\/workspace\.json\. There is no previous copy, so the intent catalogue was rebuilt from the label journal: 1 intents from recorded intent changes\. 1 intents that labels use had no record and were recreated with their ids as names and no description or examples \(confirm\); check them in Intents\. The workspace name, languages and annotator list were reset\. Labels are kept in the label journal and are not affected\.$/,
    );
    expect(await recovered()).toHaveLength(1);
    await again.close();
  });

  it('missing or truncated index: rebuilt from its whole shard, nothing lost', async () => {
    const store = await seeded(6);
    await store.applyLabelChanges([{ utterance: 3, target: none }], ctx);
    await store.close();
    const index = join(dir(), 'calls', 'index-000001.json');
    await truncate(index, 30);
    const again = await WorkspaceStore.open(dir());
    expect(again.calls.callCount).toBe(6);
    expect(again.labels.isLabeled(3)).toBe(true);
    expect(again.notices).toHaveLength(1);
    expect(again.notices[0]!.message).toMatch(/^calls\/index-000001\.json is damaged \(.+\); it was rebuilt from calls\/shard-000001\.json \(6 calls\)\. Nothing was lost\.$/);
    await again.close();
    await unlink(index);
    const third = await WorkspaceStore.open(dir());
    expect(third.calls.callCount).toBe(6);
    expect(third.notices).toEqual([{ file: 'calls/index-000001.json', sentences: expect.any(Array), message: 'calls/index-000001.json is missing; it was rebuilt from calls/shard-000001.json (6 calls). Nothing was lost.' }]);
    await third.close();
  });

  it('truncated shard with its index: calls and labels stay, opening a call is an error naming the file, the rest works', async () => {
    const store = await seeded(6);
    await store.calls.appendCalls(makeTestCalls(4, 2, 'more'));
    store.labels.resize(store.calls.utteranceCount);
    await store.applyLabelChanges([{ utterance: 2, target: none }], ctx);
    await store.close();
    const shard = join(dir(), 'calls', 'shard-000001.json');
    await truncate(shard, (await stat(shard)).size - 20);

    const again = await WorkspaceStore.open(dir());
    expect(again.calls.callCount).toBe(10);
    expect(again.labels.isLabeled(2)).toBe(true);
    expect(again.notices).toEqual([
      {
        file: 'calls/shard-000001.json',
        sentences: [{ key: 'shard_damaged', params: expect.objectContaining({ calls: 6, problem: expect.objectContaining({ term: 'wrong_size' }) }) }],
        message: expect.stringMatching(
          /^calls\/shard-000001\.json is damaged \(\d+ bytes instead of \d+\): the transcripts of its 6 calls cannot be opened\. Their utterances and labels are kept and shown; restore the file from a backup to see the whole calls\.$/,
        ),
      },
    ]);
    const error = await again.calls.getCall(0).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).code).toBe('io');
    expect((error as ContractError).details?.file).toBe('calls/shard-000001.json');
    expect((error as ContractError).message).toMatch(/cannot be read.*calls\/shard-000001\.json/);
    expect((await again.calls.getCall(again.calls.findCall('more1')!)).id).toBe('more1');
    await again.applyLabelChanges([{ utterance: 4, target: none }], ctx);
    await again.close();
  });

  it('missing index and truncated shard: both kept in the recovery folder, the other shards open', async () => {
    const store = await seeded(3);
    await store.calls.appendCalls(makeTestCalls(2, 2, 'b'));
    await store.close();
    const shardText = await readFile(join(dir(), 'calls', 'shard-000002.json'), 'utf8');
    await writeFile(join(dir(), 'calls', 'shard-000002.json'), shardText.slice(0, 50));
    await unlink(join(dir(), 'calls', 'index-000002.json'));
    const again = await WorkspaceStore.open(dir());
    expect(again.calls.callCount).toBe(3);
    const moved = await recovered();
    expect(moved).toEqual([expect.stringMatching(/^recovery\/[^/]+\/calls\/shard-000002\.json$/)]);
    expect(await readFile(join(dir(), moved[0]!), 'utf8')).toBe(shardText.slice(0, 50));
    expect(again.notices[0]!.message).toMatch(
      /^calls\/shard-000002\.json is damaged \(.+\) and its index calls\/index-000002\.json is missing, so its calls cannot be read\. It was moved to recovery\/.+\/calls\/shard-000002\.json\. Its calls are not shown\. Labels of those calls are kept\.$/,
    );
    await again.close();
  });

  it('removes the temp files an interrupted write left, and nothing else', async () => {
    const store = await seeded(2);
    await store.close();
    await writeFile(join(dir(), '.workspace.json.123.0.tmp'), 'half');
    await writeFile(join(dir(), 'calls', '.index-000001.json.99.3.tmp'), 'half');
    await writeFile(join(dir(), 'notes.tmp'), 'mine');
    const again = await WorkspaceStore.open(dir());
    expect(await readdir(dir())).not.toContain('.workspace.json.123.0.tmp');
    expect(await readdir(join(dir(), 'calls'))).not.toContain('.index-000001.json.99.3.tmp');
    expect(await readdir(dir())).toContain('notes.tmp');
    await again.close();
  });
});
