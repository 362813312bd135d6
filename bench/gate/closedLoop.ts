import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempRoot } from '../../electron/services/sync/testPlatform';
import { runGateClosedLoop, type CandidateOutcome } from '../../electron/services/sync/testGateLoop';

const RESULTS = resolve(import.meta.dirname, '..', 'results');
const JSON_FILE = join(RESULTS, 'gate.json');
const MD_FILE = join(RESULTS, 'gate.md');
const BEGIN = '<!-- closed-loop:begin -->';
const END = '<!-- closed-loop:end -->';

/** The bench's figures of one candidate, as bench/results/gate.json keeps them. */
function figures(o: CandidateOutcome) {
  const r = (x: number): number => Number(x.toFixed(4));
  return { estimated_delta: r(o.estimate.estimate), ci_low: r(o.estimate.low), ci_high: r(o.estimate.high), true_delta: r(o.trueDelta), passed: o.passed };
}

/**
 * Runs the gate's closed loop (electron/services/sync/testGateLoop.ts, the same run as gateClosedLoop.test.ts)
 * and merges `good` and `bad` ({ estimated_delta, ci_low, ci_high, true_delta, passed }, shares in [−1, 1]) and
 * `closed_loop` (the details) into bench/results/gate.json, keeping its other keys; rewrites its own section of
 * bench/results/gate.md, keeping the rest.
 */
export async function benchClosedLoop(): Promise<void> {
  const temp = await tempRoot('callsift-gate-bench-');
  try {
    const result = await runGateClosedLoop({ root: temp.root, seed: 15, judgments: 200, log: (line) => console.log(line) });
    await mkdir(RESULTS, { recursive: true });
    // Read right before writing: the replay bench writes its keys into the same file.
    const existing = existsSync(JSON_FILE) ? (JSON.parse(await readFile(JSON_FILE, 'utf8')) as Record<string, unknown>) : {};
    const detail = (o: CandidateOutcome) => ({ version: o.version, turns: o.turns, changed: o.changed, judged: o.estimate.judged, judge_calls: o.judgeCalls, broken_cases: o.brokenCases, pinned_cases: o.pinnedCases, reasons: o.reasons });
    const merged = {
      ...existing,
      good: figures(result.good),
      bad: figures(result.bad),
      closed_loop: { seed: 15, seconds: Number(result.seconds.toFixed(1)), flipped_critical_labels: result.flipped, critical_labels: result.criticalLabels, good: detail(result.good), bad: detail(result.bad) },
    };
    await writeFile(JSON_FILE, `${JSON.stringify(merged, null, 2)}\n`);
    const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`;
    const row = (name: string, o: CandidateOutcome): string =>
      `| ${name} | ${o.changed} of ${o.turns} | ${o.estimate.judged} | ${pp(o.estimate.estimate)} [${pp(o.estimate.low)}, ${pp(o.estimate.high)}] | ${pp(o.trueDelta)} | ${o.brokenCases} of ${o.pinnedCases} | ${o.passed ? 'passes' : `stopped (${o.reasons.join(', ')})`} |`;
    const section = [
      BEGIN,
      '## Closed loop with judgments (`bench/gate/closedLoop.ts`)',
      '',
      `Reference platform, simulator truth, seed 15: a first model answers a day of traffic; the good candidate learns every label, the bad one the same with ${result.flipped} of ${result.criticalLabels} critical-intent labels flipped (20%). 200 changed turns of each judged with \`replay.judge\` from the true intents. Net change in accuracy over every replayed turn, points (95% interval); true = measured apart from the replay. ${result.seconds.toFixed(0)} s.`,
      '',
      '| candidate | turns changed | judged | estimated net change | true | pinned broken | gate |',
      '|---|---|---|---|---|---|---|',
      row('good', result.good),
      row('bad', result.bad),
      END,
    ].join('\n');
    const md = existsSync(MD_FILE) ? await readFile(MD_FILE, 'utf8') : '# Release gate bench\n';
    const start = md.indexOf(BEGIN);
    const end = md.indexOf(END);
    const next = start >= 0 && end > start ? `${md.slice(0, start)}${section}${md.slice(end + END.length)}` : `${md.trimEnd()}\n\n${section}\n`;
    await writeFile(MD_FILE, next);
    console.log(`closed loop → ${JSON_FILE}, ${MD_FILE}`);
  } finally {
    await temp.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchClosedLoop();
