import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runReplayPredictions } from '../electron/services/gate/replayRunner';
import { generateDemoCalls } from '../resources/demo/demoGenerator';
import { sampleStrata } from '../shared/ml/gate/judge';
import { aggregateReplay, transitionRows } from '../shared/ml/gate/replay';
import { toArtifact } from '../shared/ml/modelArtifact';
import { createRng } from '../shared/ml/random';
import { trainIntentModel } from '../shared/ml/train';
import { benchClosedLoop } from './gate/closedLoop';
import { modelTextsOfTurns } from '../shared/ml/turnContext';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const FILE = join(RESULTS, 'gate.json');

/**
 * `tsx bench/gate.bench.ts [--turns 100000] [--runs 3]`: replay of demo user turns with both models, the worst case
 * (no turn carries a stored platform prediction, so the active artifact predicts every turn as the candidate does):
 * worker threads started, texts packed and predicted twice, then compared and sampled as the replay service does.
 * Writes `replay_100k_s` (the median of the runs) into bench/results/gate.json, keeping the file's other keys, and
 * under `replay` the runs and the usual case's (stored predictions on every turn: the candidate alone predicts).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { turns: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
  const want = Number(values.turns);
  const texts: string[] = [];
  const truth: string[] = [];
  for (const record of generateDemoCalls({ seed: 7, calls: want })) {
    const modelTexts = modelTextsOfTurns(record.call.turns);
    let k = 0;
    record.call.turns.forEach((turn, t) => {
      if (turn.speaker !== 'user') return;
      const tr = record.truths[t];
      texts.push(modelTexts[k++]!);
      truth.push(tr?.kind === 'intent' ? tr.intentId : '');
    });
    if (texts.length >= want) break;
  }
  texts.length = want;
  const labeled = (n: number, offset: number) => {
    const t: string[] = [];
    const l: string[] = [];
    for (let i = offset; t.length < n && i < texts.length; i++) {
      if (!truth[i]) continue;
      t.push(texts[i]!);
      l.push(truth[i]!);
    }
    return [t, l] as const;
  };
  console.log(`training the two models on ${texts.length} demo turns…`);
  const candidate = JSON.parse(JSON.stringify(toArtifact(trainIntentModel(...labeled(6000, 0)), 0.55)));
  const active = JSON.parse(JSON.stringify(toArtifact(trainIntentModel(...labeled(1500, 50_000)), 0.55)));
  const built = join(ROOT, 'out', 'main', 'replayWorker.js');
  const workerPath = existsSync(built) ? built : join(ROOT, 'electron', 'workers', 'replayWorker.ts');
  const needOld = new Uint8Array(texts.length).fill(1);
  const loadBefore = loadavg()[0]!;
  const times: number[] = [];
  let last = { changedShare: 0, transitions: 0 };
  for (let run = 0; run < Number(values.runs); run++) {
    const started = performance.now();
    const out = await runReplayPredictions(workerPath, { candidate, active, texts, needOld }, () => undefined).result;
    const names = [...new Set([...out.activeLabels, ...out.candidateLabels])];
    const index = new Map(names.map((n, i) => [n, i]));
    const map = (labels: readonly string[], i: number) => (i < 0 ? -1 : index.get(labels[i]!)!);
    const before = { intent: Int32Array.from(out.active.intent, (i) => map(out.activeLabels, i)), confidence: out.active.confidence };
    const after = { intent: Int32Array.from(out.candidate.intent, (i) => map(out.candidateLabels, i)), confidence: out.candidate.confidence };
    const agg = aggregateReplay(before, after, { threshold: 0.5 });
    const strata = [...transitionRows(before.intent, after.intent).entries()].map(([key, rows]) => ({ key, rows }));
    sampleStrata(strata, 200, createRng(run));
    times.push((performance.now() - started) / 1000);
    last = { changedShare: agg.changedShare, transitions: agg.transitions.length };
    console.log(`run ${run + 1}: ${times.at(-1)!.toFixed(2)} s (changed ${(agg.changedShare * 100).toFixed(1)}%, ${agg.transitions.length} transitions)`);
  }
  // The usual case: the platform stored its prediction with every turn, so only the candidate predicts.
  const stored: number[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    const started = performance.now();
    await runReplayPredictions(workerPath, { candidate, active: null, texts, needOld: new Uint8Array(texts.length) }, () => undefined).result;
    stored.push((performance.now() - started) / 1000);
    console.log(`candidate only, run ${run + 1}: ${stored.at(-1)!.toFixed(2)} s`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  await mkdir(RESULTS, { recursive: true });
  const existing: Record<string, unknown> = existsSync(FILE) ? (JSON.parse(await readFile(FILE, 'utf8')) as Record<string, unknown>) : {};
  const merged = {
    ...existing,
    replay_100k_s: Number(median.toFixed(3)),
    replay: {
      turns: texts.length,
      runs: times.map((t) => Number(t.toFixed(3))),
      candidateOnlyRuns: stored.map((t) => Number(t.toFixed(3))),
      workers: Math.min(2, availableParallelism()),
      worker: existsSync(built) ? 'built' : 'tsx source',
      cpu: cpus()[0]?.model ?? 'unknown',
      loadAverageBefore: Number(loadBefore.toFixed(2)),
      changedShare: Number(last.changedShare.toFixed(4)),
      transitions: last.transitions,
    },
  };
  await writeFile(FILE, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`replay of ${texts.length} turns with both models: ${median.toFixed(2)} s (median of ${times.length}) → ${FILE}`);
}

await main();
// The closed loop with judgments (good/bad keys): bench/gate/closedLoop.ts, also runnable alone.
await benchClosedLoop();
