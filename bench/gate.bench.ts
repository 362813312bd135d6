import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { runReplay } from '../electron/services/gate/replayRunner';
import { scanInChunks } from '../electron/services/model/scanInChunks';
import { generateDemoCalls } from '../resources/demo/demoGenerator';
import type { StoredColumns } from '../shared/ml/gate/replayCompare';
import { distinctTextCollector } from '../shared/ml/gate/replayPredict';
import { toArtifact, type ModelArtifact } from '../shared/ml/modelArtifact';
import { trainIntentModel } from '../shared/ml/train';
import { benchClosedLoop } from './gate/closedLoop';
import { modelTextsOfTurns } from '../shared/ml/turnContext';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = join(ROOT, 'bench', 'results');
const FILE = join(RESULTS, 'gate.json');
const MARKDOWN = join(RESULTS, 'gate.md');

/** One timed replay: seconds end to end, the load average before it, ms per step, the longest hold of this thread. */
interface Run {
  readonly seconds: number;
  readonly loadBefore: number;
  readonly steps: Record<string, number>;
  readonly longestHoldMs: number;
  /** CPU seconds of the whole process (this thread and the workers) during the run: the work, whatever the load. */
  readonly cpuS: number;
  readonly changedShare: number;
  readonly transitions: number;
}

/**
 * `tsx bench/gate.bench.ts [--turns 100000] [--runs 3]`: replay of demo user turns as the replay service runs it
 * (texts reduced to distinct ones in chunks on this thread, packed, predicted in up to two worker threads, compared
 * and sampled in the leading worker). The worst case: no turn carries a stored platform prediction, so the active
 * artifact predicts every distinct text as the candidate does. The usual case: the platform stored its prediction
 * with every turn, so the candidate alone predicts. Each run records the load average before it, its steps and the
 * longest hold of this thread's event loop. Writes `replay_100k_s` (median of the worst case) and `replay` into
 * bench/results/gate.json, keeping the file's other keys, and its table between markers in gate.md.
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
  const candidate = JSON.parse(JSON.stringify(toArtifact(trainIntentModel(...labeled(6000, 0)), 0.55))) as ModelArtifact;
  const active = JSON.parse(JSON.stringify(toArtifact(trainIntentModel(...labeled(1500, 50_000)), 0.55))) as ModelArtifact;
  const built = join(ROOT, 'out', 'main', 'replayWorker.js');
  const workerPath = existsSync(built) ? built : join(ROOT, 'electron', 'workers', 'replayWorker.ts');
  const n = texts.length;
  // Worst case: nothing stored. Usual case: a stored prediction per turn (intents of the demo's truth, else no match).
  const none: StoredColumns = { intent: new Int32Array(n).fill(-1), confidence: new Float32Array(n).fill(Number.NaN), needOld: new Uint8Array(n).fill(1), labels: [] };
  const intents = [...new Set(truth.filter(Boolean))];
  const indexOf = new Map(intents.map((id, i) => [id, i]));
  const all: StoredColumns = {
    intent: Int32Array.from(truth, (t) => (t ? indexOf.get(t)! : -1)),
    confidence: Float32Array.from(truth, (_, r) => 0.3 + ((r * 37) % 70) / 100),
    needOld: new Uint8Array(n),
    labels: intents,
  };
  const replay = async (stored: StoredColumns, withActive: boolean, run: number): Promise<Run> => {
    const loadBefore = loadavg()[0]!;
    const hold = monitorEventLoopDelay({ resolution: 5 });
    hold.enable();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const collect = distinctTextCollector(texts, stored.needOld);
    await scanInChunks(n, (s, e) => collect.add(s, e), { chunk: 2048 });
    const dedupe = performance.now() - started;
    const compare = { threshold: 0.5, examples: 3, sampleSize: 200, seed: 20261204, version: run + 1 };
    const out = await runReplay(workerPath, { candidate, active: withActive ? active : null, distinct: collect.result(), stored, compare }, () => undefined).result;
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    hold.disable();
    const steps = { dedupe, ...out.timings };
    return { seconds, loadBefore, steps, longestHoldMs: hold.max / 1e6, cpuS: (used.user + used.system) / 1e6, changedShare: out.comparison.changedShare, transitions: out.comparison.transitions.length };
  };
  const runs = Number(values.runs);
  const both: Run[] = [];
  const candidateOnly: Run[] = [];
  for (let run = 0; run < runs; run++) {
    const r = await replay(none, true, run);
    both.push(r);
    console.log(`both models, run ${run + 1}: ${r.seconds.toFixed(2)} s (cpu ${r.cpuS.toFixed(2)} s), load ${r.loadBefore.toFixed(2)} (changed ${(r.changedShare * 100).toFixed(1)}%, ${r.transitions} transitions) ${describe(r.steps)}, longest hold ${r.longestHoldMs.toFixed(0)} ms`);
  }
  for (let run = 0; run < runs; run++) {
    const r = await replay(all, false, run);
    candidateOnly.push(r);
    console.log(`candidate only, run ${run + 1}: ${r.seconds.toFixed(2)} s (cpu ${r.cpuS.toFixed(2)} s), load ${r.loadBefore.toFixed(2)} ${describe(r.steps)}, longest hold ${r.longestHoldMs.toFixed(0)} ms`);
  }
  const median = (rs: readonly Run[]) => [...rs].sort((a, b) => a.seconds - b.seconds)[Math.floor(rs.length / 2)]!;
  const distinct = new Set(texts).size;
  const summary = (rs: readonly Run[]) =>
    rs.map((r) => ({ s: round(r.seconds, 3), cpuS: round(r.cpuS, 3), loadBefore: round(r.loadBefore, 2), longestHoldMs: round(r.longestHoldMs, 0), stepsMs: Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, round(v, 0)])) }));
  await mkdir(RESULTS, { recursive: true });
  // Read just before writing: another bench may add its own keys meanwhile.
  const existing: Record<string, unknown> = existsSync(FILE) ? (JSON.parse(await readFile(FILE, 'utf8')) as Record<string, unknown>) : {};
  const merged = {
    ...existing,
    replay_100k_s: round(median(both).seconds, 3),
    replay: {
      turns: n,
      distinctTexts: distinct,
      bothModels: summary(both),
      candidateOnly: summary(candidateOnly),
      candidateOnlyMedianS: round(median(candidateOnly).seconds, 3),
      workers: Math.min(2, availableParallelism()),
      worker: existsSync(built) ? 'built' : 'tsx source',
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      changedShare: round(both.at(-1)!.changedShare, 4),
      transitions: both.at(-1)!.transitions,
    },
  };
  await writeFile(FILE, `${JSON.stringify(merged, null, 2)}\n`);
  await writeMarkdown(n, distinct, both, candidateOnly, existsSync(built) ? 'built' : 'tsx source');
  console.log(`replay of ${n} turns with both models: ${median(both).seconds.toFixed(2)} s (median of ${both.length}) → ${FILE}`);
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function describe(steps: Record<string, number>): string {
  return `[${Object.entries(steps)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ')} ms]`;
}

const BEGIN = '<!-- replay: written by bench/gate.bench.ts -->';
const END = '<!-- /replay -->';

/** The replay table in gate.md, between its markers; the rest of the file is kept. */
async function writeMarkdown(turns: number, distinct: number, both: readonly Run[], candidateOnly: readonly Run[], worker: string): Promise<void> {
  const stepNames = [...new Set([...both, ...candidateOnly].flatMap((r) => Object.keys(r.steps)))];
  const row = (kind: string, r: Run, k: number) =>
    `| ${kind} | ${k + 1} | ${r.seconds.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.loadBefore.toFixed(2)} | ${r.longestHoldMs.toFixed(0)} | ${stepNames.map((s) => (r.steps[s] === undefined ? '–' : r.steps[s]!.toFixed(0))).join(' | ')} |`;
  const table = [
    BEGIN,
    `## Replay of ${turns.toLocaleString('en')} user turns (${distinct.toLocaleString('en')} distinct texts)`,
    '',
    `\`npm run bench:gate\`, ${new Date().toISOString().slice(0, 16)} UTC, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown'}), worker ${worker}. ` +
      'Both models: no stored platform prediction, the active artifact predicts every distinct text too (worst case); candidate only: the platform stored a prediction with every turn. ' +
      'Steps in ms: `dedupe` and `pack` on the service thread (in chunks), `wK.*` in worker K (`w0` leads: joins, compares and samples). cpu s: CPU time of the whole process (all threads) during the run, the work whatever the load. Longest hold: the longest event-loop delay of the service thread during the run.',
    '',
    `| case | run | s | cpu s | load avg before | longest hold (ms) | ${stepNames.join(' | ')} |`,
    `|---|---|---|---|---|---|${stepNames.map(() => '---').join('|')}|`,
    ...both.map((r, k) => row('both models', r, k)),
    ...candidateOnly.map((r, k) => row('candidate only', r, k)),
    END,
  ].join('\n');
  const existing = existsSync(MARKDOWN) ? await readFile(MARKDOWN, 'utf8') : '# Release gate bench\n';
  const a = existing.indexOf(BEGIN);
  const b = existing.indexOf(END);
  const next = a >= 0 && b > a ? existing.slice(0, a) + table + existing.slice(b + END.length) : `${existing.trimEnd()}\n\n${table}\n`;
  await writeFile(MARKDOWN, next);
}

await main();
// The closed loop with judgments (good/bad keys): bench/gate/closedLoop.ts, also runnable alone.
await benchClosedLoop();
