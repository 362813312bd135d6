import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateDemoCalls, buildDemoIntents, DEMO_DEFAULT_SEED } from '../resources/demo/demoGenerator';
import type { Call } from '../shared/domain/types';
import type { LabelChange } from '../electron/services/store/workspaceStore';
import { WorkspaceStore } from '../electron/services/store/workspaceStore';

/** Builds a demo-like workspace of about `--utterances` user utterances (with the demo's labels) in `--out`. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { utterances: { type: 'string' }, out: { type: 'string' } } });
  const target = Number(values.utterances);
  const out = values.out!;
  await rm(out, { recursive: true, force: true });
  const store = await WorkspaceStore.open(out, () => ({
    formatVersion: 1,
    meta: { name: `bench ${target}`, languages: ['zh', 'en'], annotators: [], createdAt: Date.now() },
    intents: buildDemoIntents(),
  }));
  let utterances = 0;
  let batch: Call[] = [];
  let labels: { id: string; target: LabelChange['target']; annotator: string }[] = [];
  const flush = async () => {
    await store.calls.appendCalls(batch);
    store.labels.resize(store.calls.utteranceCount);
    const changes: LabelChange[] = [];
    for (const l of labels) {
      const u = store.calls.findUtterance(l.id);
      if (u !== undefined) changes.push({ utterance: u, target: l.target });
    }
    await store.applyLabelChanges(changes, { annotator: 'demo-seed', source: 'import', actionId: 'bench' });
    batch = [];
    labels = [];
  };
  for (const rec of generateDemoCalls({ seed: DEMO_DEFAULT_SEED, calls: Number.MAX_SAFE_INTEGER })) {
    batch.push(rec.call);
    for (const l of rec.labels) labels.push({ id: l.utteranceId, target: l.target, annotator: l.annotator });
    for (const t of rec.call.turns) if (t.speaker === 'user') utterances++;
    if (batch.length >= 5000) await flush();
    if (utterances >= target) break;
  }
  await flush();
  await store.close();
  console.log(JSON.stringify({ utterances: store.calls.utteranceCount, calls: store.calls.callCount, labeled: store.labels.labeledCount }));
}

void main();
