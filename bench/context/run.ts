/**
 * Context benchmark (issue #14): does reading the bot's question (and the previous user turn, and the flow node) help
 * the intent model on dialogues? Ours with the utterance alone, with the prompt (and node), and with the prompt, node
 * and previous user turn (what the app trains), against scikit-learn's LinearSVC (TF-IDF word 1–2 + char_wb 2–5) on
 * the utterance alone and on utterance + prompt word 1–2-grams, trained and tested in the same run.
 * Accuracy overall and on short replies (≤ 4 words, or ≤ 4 characters for Chinese).
 *
 *   tsx bench/context/run.ts [--data FILE.jsonl ...] [--demo-calls N] [--no-peer]
 *
 * Data: dialogue JSON Lines, one call per line: {"id", "turns": [{"speaker": "user"|"bot", "text", "intent"?, "node"?}]}
 * (the SGD file in ../shared/datasets, or a demo export). A call whose id starts with "test/" is test data and one
 * starting "train/" or "val/" training data; without such prefixes 20% of calls (seeded) are test data. Without
 * --data: SGD and the built-in demo (its ground truth; uncovered turns left out).
 * Writes bench/results/context.json and context.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argmaxRows } from '../../shared/ml/metrics';
import { chooseThresholdFromScores, predictWithOutOfScope } from '../../shared/ml/outOfScope';
import { runTraining } from '../../shared/ml/trainingRun';
import { createRng, mixSeed } from '../../shared/ml/random';
import { predictTexts, trainIntentModel } from '../../shared/ml/train';
import { contextualText, modelTextsOfTurns, splitModelText, type TurnContext } from '../../shared/ml/turnContext';
import { generateDemoCalls } from '../../resources/demo/demoGenerator';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const SGD = resolve(ROOT, '../shared/datasets/sgd/sgd_dialogues.jsonl');
const DEMO_SEED = 20261124;

/** One labeled user turn with what came before it. */
interface TurnRow {
  readonly text: string;
  readonly intent: string;
  readonly context: TurnContext;
  readonly test: boolean;
}

interface DialogueTurn {
  readonly speaker: string;
  readonly text: string;
  readonly intent?: string;
  readonly node?: string;
}

/** Accuracy overall and on short replies. */
interface Scores {
  readonly acc: number;
  readonly short_acc: number;
}

/**
 * What the app would answer: trained as the app trains (k folds, out-of-scope threshold chosen on the out-of-fold
 * scores as the training worker does), the share of test turns it covers (out-of-scope score under the threshold)
 * and its accuracy on them; and, for the context model, its accuracy on the same share of its most confident turns
 * as the utterance model covers (a fair comparison: a model that covers more turns covers harder ones).
 */
interface Covered {
  readonly threshold: number;
  readonly coverage: number;
  readonly covered_acc: number;
  readonly acc_at_utterance_coverage?: number;
}

interface DatasetFigures {
  readonly train: number;
  readonly test: number;
  readonly test_short: number;
  readonly ours_utterance: Scores;
  readonly ours_prompt: Scores;
  readonly ours_context: Scores;
  readonly peer_utterance?: Scores;
  readonly peer_context?: Scores;
  readonly covered: { readonly utterance: Covered; readonly context: Covered };
  readonly seconds: { readonly ours_context_fit: number; readonly peer?: number; readonly total: number };
}

/** Turns of one call into rows: each labeled user turn with the bot turn before it, its node and the previous user turn. */
function rowsOfCall(turns: readonly DialogueTurn[], test: boolean, out: TurnRow[]): void {
  let prompt = '';
  let node = '';
  let previous = '';
  for (const turn of turns) {
    if (turn.speaker !== 'user') {
      prompt = turn.text;
      node = turn.node ?? '';
      continue;
    }
    if (turn.intent) out.push({ text: turn.text, intent: turn.intent, context: { prompt, previous, node }, test });
    previous = turn.text;
  }
}

function readDialogues(file: string): TurnRow[] {
  const rows: TurnRow[] = [];
  const rng = createRng(mixSeed(DEMO_SEED, 7));
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const call = JSON.parse(line) as { id?: unknown; turns?: DialogueTurn[] };
    const id = String(call.id ?? '');
    const split = /^(train|val|test)\//u.exec(id)?.[1];
    rowsOfCall(call.turns ?? [], split ? split === 'test' : rng.chance(0.2), rows);
  }
  return rows;
}

/** The demo's calls with their ground truth (uncovered turns left out: no intent covers them). */
function demoRows(calls: number): TurnRow[] {
  const rows: TurnRow[] = [];
  const rng = createRng(mixSeed(DEMO_SEED, 7));
  for (const record of generateDemoCalls({ seed: DEMO_SEED, calls })) {
    const turns: DialogueTurn[] = record.call.turns.map((turn, i) => {
      const truth = record.truths[i];
      const node = (turn as { node?: unknown }).node;
      return { speaker: turn.speaker, text: turn.text, ...(truth?.kind === 'intent' ? { intent: truth.intentId } : {}), ...(typeof node === 'string' ? { node } : {}) };
    });
    rowsOfCall(turns, rng.chance(0.2), rows);
  }
  return rows;
}

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/** A short reply: at most 4 words, or at most 4 letters and digits when it holds Chinese. */
export function isShortReply(text: string): boolean {
  if (CJK.test(text)) return [...text].filter((ch) => /[\p{L}\p{N}]/u.test(ch)).length <= 4;
  return text.trim().split(/\s+/u).filter(Boolean).length <= 4;
}

function score(test: readonly TurnRow[], predicted: readonly string[]): Scores {
  let right = 0;
  let shortRight = 0;
  let short = 0;
  test.forEach((row, i) => {
    const hit = predicted[i] === row.intent;
    if (hit) right++;
    if (isShortReply(row.text)) {
      short++;
      if (hit) shortRight++;
    }
  });
  return { acc: round(right / test.length), short_acc: round(short ? shortRight / short : 0) };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function oursPredict(train: readonly TurnRow[], test: readonly TurnRow[], textOf: (row: TurnRow) => string): string[] {
  const model = trainIntentModel(train.map(textOf), train.map((r) => r.intent), { calibrationFolds: 0 });
  const probs = predictTexts(model, test.map(textOf));
  return [...argmaxRows(probs, model.classes)].map((c) => model.labels[c]!);
}

const COVERED_FOLDS = 5;

/** The app's training run on `train`, its threshold, and each test turn's prediction and out-of-scope score. */
function oursCovered(train: readonly TurnRow[], test: readonly TurnRow[], textOf: (row: TurnRow) => string): { hits: boolean[]; outOfScope: Float32Array; threshold: number } {
  const out = runTraining({ texts: train.map(textOf), labels: train.map((r) => r.intent), score: test.map(textOf), folds: COVERED_FOLDS, seed: DEMO_SEED });
  const threshold = chooseThresholdFromScores(out.inScopeOutOfScope, out.outOfScopeExamples, { inScopeMissed: out.inScopeMissed });
  const hits = test.map((row, i) => out.model.labels[out.scored.first[i]!] === row.intent);
  return { hits, outOfScope: out.scoredOutOfScope, threshold };
}

/** Accuracy on the `share` of turns with the lowest out-of-scope score. */
function accuracyOfMostConfident(run: { hits: boolean[]; outOfScope: Float32Array }, share: number): number {
  const order = [...run.outOfScope.keys()].sort((a, b) => run.outOfScope[a]! - run.outOfScope[b]! || a - b);
  const n = Math.round(share * order.length);
  let right = 0;
  for (let k = 0; k < n; k++) if (run.hits[order[k]!]) right++;
  return n ? right / n : 0;
}

function coveredFigures(run: { hits: boolean[]; outOfScope: Float32Array; threshold: number }): Covered {
  let covered = 0;
  let right = 0;
  run.hits.forEach((hit, i) => {
    if (run.outOfScope[i]! >= run.threshold) return;
    covered++;
    if (hit) right++;
  });
  return { threshold: round(run.threshold), coverage: round(covered / run.hits.length), covered_acc: round(covered ? right / covered : 0) };
}

/** Intents the closed loop's first model does not know yet (as electron/services/sync/closedLoop.test.ts). */
const LOOP_MISSING = ['goodbye', 'ask_repeat', 'busy_call_later', 'ask_who_is_calling', 'wrong_person'];

interface LoopFigures {
  readonly coverage: number;
  readonly covered_acc: number;
  /** Covered and right, among all turns. */
  readonly understood: number;
  /** Accuracy on as many of its most confident turns as the utterance model covers. */
  readonly acc_at_utterance_coverage: number;
}

/**
 * The demo closed loop's first model (as the closed-loop test runs it): trained like the app on the labels of the
 * first 700 demo calls without five intents ("none" labels as out-of-scope examples), measured on the next 600
 * calls' user turns (uncovered ones included) at its own threshold: reading the utterance, the prompt, or the context.
 */
function demoLoop(): Record<'utterance' | 'prompt' | 'context', LoopFigures> {
  const turnsOf = (startAt: number, calls: number): { model: string; intent: string | null }[] => {
    const out: { model: string; intent: string | null }[] = [];
    for (const record of generateDemoCalls({ seed: DEMO_SEED, calls, startAt })) {
      const texts = modelTextsOfTurns(record.call.turns);
      let u = 0;
      record.call.turns.forEach((turn, t) => {
        if (turn.speaker !== 'user') return;
        const truth = record.truths[t];
        out.push({ model: texts[u++]!, intent: truth?.kind === 'intent' ? truth.intentId : null });
      });
    }
    return out;
  };
  const labeled = turnsOf(0, 700).filter((t) => t.intent === null || !LOOP_MISSING.includes(t.intent));
  const traffic = turnsOf(700, 600);
  const modes = {
    utterance: (m: string) => splitModelText(m).utterance,
    prompt: (m: string) => {
      const p = splitModelText(m);
      return contextualText(p.utterance, { prompt: p.prompt, node: p.node });
    },
    context: (m: string) => m,
  };
  const runs = Object.entries(modes).map(([mode, textOf]) => {
    const inScope = labeled.filter((t) => t.intent !== null);
    const out = runTraining({
      texts: inScope.map((t) => textOf(t.model)),
      labels: inScope.map((t) => t.intent!),
      outOfScopeTexts: labeled.filter((t) => t.intent === null).map((t) => textOf(t.model)),
      score: [],
      folds: COVERED_FOLDS,
      seed: DEMO_SEED,
    });
    const threshold = chooseThresholdFromScores(out.inScopeOutOfScope, out.outOfScopeExamples, { inScopeMissed: out.inScopeMissed });
    const { probs, outOfScope } = predictWithOutOfScope(out.model, traffic.map((t) => textOf(t.model)));
    const predicted = argmaxRows(probs, out.model.classes);
    const hits = traffic.map((t, i) => out.model.labels[predicted[i]!] === t.intent);
    return [mode, { hits, outOfScope, threshold }] as const;
  });
  const utteranceCoverage = coveredFigures(runs[0]![1]).coverage;
  const figures = Object.fromEntries(
    runs.map(([mode, run]) => {
      const c = coveredFigures(run);
      return [mode, { coverage: c.coverage, covered_acc: c.covered_acc, understood: round(c.coverage * c.covered_acc), acc_at_utterance_coverage: round(accuracyOfMostConfident(run, utteranceCoverage)) }];
    }),
  ) as Record<'utterance' | 'prompt' | 'context', LoopFigures>;
  console.log(JSON.stringify({ demo_loop_first_model: figures }));
  return figures;
}

function runPeer(train: readonly TurnRow[], test: readonly TurnRow[]): { utterance: string[]; context: string[]; seconds: number } | null {
  const dir = mkdtempSync(join(tmpdir(), 'callsift-context-'));
  try {
    const write = (name: string, rows: readonly TurnRow[]) =>
      writeFileSync(join(dir, name), rows.map((r) => JSON.stringify({ text: r.text, prompt: r.context.prompt ?? '', intent: r.intent })).join('\n') + '\n');
    write('train.jsonl', train);
    write('test.jsonl', test);
    const started = performance.now();
    const result = spawnSync('/usr/bin/python3', [join(HERE, 'peer.py'), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      console.error('the scikit-learn peer failed (apt-get install -y python3-sklearn); peer figures left out');
      return null;
    }
    const out = JSON.parse(readFileSync(join(dir, 'peer.json'), 'utf8')) as { utterance: string[]; context: string[] };
    return { ...out, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchDataset(name: string, rows: readonly TurnRow[], withPeer: boolean): DatasetFigures {
  const benchStarted = performance.now();
  const train = rows.filter((r) => !r.test);
  const test = rows.filter((r) => r.test);
  console.log(`${name}: ${train.length} training turns, ${test.length} test turns`);
  const utterance = score(test, oursPredict(train, test, (r) => r.text));
  const prompt = score(test, oursPredict(train, test, (r) => contextualText(r.text, { prompt: r.context.prompt, node: r.context.node })));
  const started = performance.now();
  const context = score(test, oursPredict(train, test, (r) => contextualText(r.text, r.context)));
  const fit = (performance.now() - started) / 1000;
  const coveredUtterance = oursCovered(train, test, (r) => r.text);
  const coveredContext = oursCovered(train, test, (r) => contextualText(r.text, r.context));
  const utteranceCovered = coveredFigures(coveredUtterance);
  const covered = {
    utterance: utteranceCovered,
    context: { ...coveredFigures(coveredContext), acc_at_utterance_coverage: round(accuracyOfMostConfident(coveredContext, utteranceCovered.coverage)) },
  };
  const peer = withPeer ? runPeer(train, test) : null;
  const figures: DatasetFigures = {
    train: train.length,
    test: test.length,
    test_short: test.filter((r) => isShortReply(r.text)).length,
    ours_utterance: utterance,
    ours_prompt: prompt,
    ours_context: context,
    ...(peer ? { peer_utterance: score(test, peer.utterance), peer_context: score(test, peer.context) } : {}),
    covered,
    seconds: { ours_context_fit: round(fit), ...(peer ? { peer: round(peer.seconds) } : {}), total: round((performance.now() - benchStarted) / 1000) },
  };
  console.log(JSON.stringify(figures));
  return figures;
}

const percent = (x: number | undefined): string => (x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);

function renderMarkdown(results: Record<string, DatasetFigures>, loop: Record<string, LoopFigures> | null): string {
  const lines = [
    '# Context benchmark (`npm run bench:context`)',
    '',
    'Accuracy on the test turns; "short" = replies of at most 4 words (4 characters for Chinese). Ours: the app\'s model',
    '(`shared/ml`); "prompt" reads the bot turn before the reply (and its flow node when the data has one); "context"',
    'also reads the previous user turn, which is what the app trains on. Peer: scikit-learn LinearSVC on TF-IDF',
    '(word 1–2 + char_wb 2–5) of the utterance, and with the prompt\'s word 1–2-grams, trained in the same run.',
    '',
    '| data | train / test (short) | ours, utterance | ours, prompt | ours, context | peer, utterance | peer, utterance + prompt |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, f] of Object.entries(results)) {
    const cell = (s: Scores | undefined) => (s ? `${percent(s.acc)} (short ${percent(s.short_acc)})` : '–');
    lines.push(`| ${name} | ${f.train} / ${f.test} (${f.test_short}) | ${cell(f.ours_utterance)} | ${cell(f.ours_prompt)} | ${cell(f.ours_context)} | ${cell(f.peer_utterance)} | ${cell(f.peer_context)} |`);
  }
  lines.push(
    '',
    'Covered: trained as the app trains (5 folds, the out-of-scope threshold chosen on out-of-fold scores as the training',
    'worker does); coverage = test turns under the threshold, accuracy on them; "context at the same coverage" is the',
    'context model\'s accuracy on as many of its most confident turns as the utterance model covers.',
    '',
    '| data | utterance: coverage, accuracy on covered | context: coverage, accuracy on covered | context at the same coverage |',
    '|---|---|---|---|',
  );
  for (const [name, f] of Object.entries(results)) {
    const u = f.covered.utterance;
    const c = f.covered.context;
    lines.push(`| ${name} | ${percent(u.coverage)}, ${percent(u.covered_acc)} | ${percent(c.coverage)}, ${percent(c.covered_acc)} | ${percent(c.acc_at_utterance_coverage)} |`);
  }
  if (loop) {
    lines.push(
      '',
      'Demo closed loop, first model (as `closedLoop.test.ts`): trained like the app on the labels of 700 demo calls without five',
      'intents ("none" labels as out-of-scope examples), measured on the next 600 calls\' user turns, uncovered ones included. A model',
      'that reads context covers more turns, so its accuracy on covered turns can fall while more turns are understood (covered and right);',
      'compare at the same coverage.',
      '',
      '| first model reads | coverage | accuracy on covered | understood | accuracy at the utterance model\'s coverage |',
      '|---|---|---|---|---|',
    );
    for (const [mode, f] of Object.entries(loop)) lines.push(`| ${mode} | ${percent(f.coverage)} | ${percent(f.covered_acc)} | ${percent(f.understood)} | ${percent(f.acc_at_utterance_coverage)} |`);
  }
  lines.push('', `Machine: ${process.arch}, Node ${process.version}. Written by bench/context/run.ts.`, '');
  return lines.join('\n');
}

function main(): void {
  const argv = process.argv.slice(2);
  const files: string[] = [];
  let demoCalls = 4000;
  let withPeer = true;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data') files.push(resolve(argv[++i]!));
    else if (argv[i] === '--demo-calls') demoCalls = Number(argv[++i]);
    else if (argv[i] === '--no-peer') withPeer = false;
    else throw new Error(`unknown argument ${argv[i]}; usage: bench/context/run.ts [--data FILE.jsonl ...] [--demo-calls N] [--no-peer]`);
  }
  const results: Record<string, DatasetFigures> = {};
  let loop: Record<string, LoopFigures> | null = null;
  if (files.length === 0) {
    if (existsSync(SGD)) results.sgd = benchDataset('sgd', readDialogues(SGD), withPeer);
    else console.error(`${SGD} not found: SGD left out`);
    results.demo = benchDataset('demo', demoRows(demoCalls), withPeer);
    loop = demoLoop();
  } else {
    for (const file of files) {
      const name = file.includes('/sgd/') ? 'sgd' : basename(file).replace(/\.jsonl$/u, '');
      results[name] = benchDataset(name, readDialogues(file), withPeer);
    }
  }
  const out = join(ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'context.json'), JSON.stringify(loop ? { ...results, demo_loop_first_model: loop } : results, null, 2) + '\n');
  writeFileSync(join(out, 'context.md'), renderMarkdown(results, loop));
  console.log(`wrote ${join(out, 'context.json')} and context.md`);
}

main();
