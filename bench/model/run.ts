/**
 * Intent-model benchmark: our TypeScript model against scikit-learn (TF-IDF word 1–2 + char_wb 2–5 with
 * LogisticRegression and LinearSVC) and the fastText CLI, trained and tested in the same run.
 *
 *   tsx bench/model/run.ts [--data FILE.jsonl ...] [--peers sklearn_lr,sklearn_svm,fasttext | --no-peers]
 *
 * Data: JSON Lines {"text", "intent", "split"}; trains on split=train without "oos", tests on split=test.
 * In-scope accuracy and ECE are over in-scope test items; out-of-scope AUROC (score = 1 − max probability,
 * positives = "oos") where the test split has "oos" items. Writes bench/results/model.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accuracy, argmaxRows, auroc, expectedCalibrationError, expectedCalibrationErrorOfProbs, macroF1 } from '../../shared/ml/metrics';
import { outOfScopeScores } from '../../shared/ml/outOfScope';
import { predictTexts, trainIntentModel } from '../../shared/ml/train';
import { trainIntentModelInWorkers } from './parallelTrain';

interface Row {
  readonly text: string;
  readonly intent: string;
  readonly split: string;
}

interface Figures {
  acc: number;
  fit_s: number;
  ece?: number;
  oos_auroc?: number;
  macro_f1?: number;
  predict_per_s?: number;
  /** Ours only: wall-clock fit with the solver's classes split over two worker threads (same model). */
  fit_s_2_workers?: number;
}

interface PeerOutput {
  readonly fit_s: number;
  readonly pred: readonly string[];
  readonly conf: readonly number[];
}

const PEERS = ['sklearn_lr', 'sklearn_svm', 'fasttext'] as const;
type PeerName = (typeof PEERS)[number];
const PEERS_WITH_PROBABILITIES: ReadonlySet<PeerName> = new Set(['sklearn_lr', 'fasttext']);
const OOS = 'oos';
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
const DEFAULT_DATA = ['clinc150', 'banking77', 'smp2017_ecdt'].map((name) => `/work/shared/datasets/${name}/${name}.jsonl`);

function parseArgs(argv: readonly string[]): { data: string[]; peers: PeerName[] } {
  const data: string[] = [];
  let peers: PeerName[] = [...PEERS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data') data.push(argv[++i]!);
    else if (arg === '--no-peers') peers = [];
    else if (arg === '--peers') peers = argv[++i]!.split(',').filter((p): p is PeerName => (PEERS as readonly string[]).includes(p));
    else throw new Error(`unknown argument ${arg}`);
  }
  return { data: data.length > 0 ? data : DEFAULT_DATA, peers };
}

function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const raw = JSON.parse(line) as { text?: unknown; intent?: unknown; split?: unknown };
      return { text: String(raw.text ?? ''), intent: String(raw.intent ?? ''), split: String(raw.split ?? '') };
    });
}

function languageOf(rows: readonly Row[]): 'zh' | 'en' {
  let cjk = 0;
  let letters = 0;
  for (const row of rows.slice(0, 2000)) {
    for (const ch of row.text) {
      if (/\p{Script=Han}/u.test(ch)) cjk++;
      else if (/\p{L}/u.test(ch)) letters++;
    }
  }
  return cjk > letters ? 'zh' : 'en';
}

/** Figures from top-1 predictions (labels) and their confidences over the test rows. */
function scoreTopOne(test: readonly Row[], pred: readonly string[], conf: ArrayLike<number>, hasProbabilities: boolean): Omit<Figures, 'fit_s'> {
  const inScope = test.map((row, i) => [row, i] as const).filter(([row]) => row.intent !== OOS);
  const labels = [...new Set(test.map((r) => r.intent).concat(pred))].sort();
  const id = new Map(labels.map((l, i) => [l, i]));
  const truth = Int32Array.from(inScope, ([row]) => id.get(row.intent)!);
  const predicted = Int32Array.from(inScope, ([, i]) => id.get(pred[i]!)!);
  const out: Omit<Figures, 'fit_s'> = { acc: accuracy(predicted, truth), macro_f1: macroF1(predicted, truth, labels.length) };
  if (hasProbabilities) {
    const correct = Uint8Array.from(inScope, (_, k) => (predicted[k] === truth[k] ? 1 : 0));
    out.ece = expectedCalibrationError(Float32Array.from(inScope, ([, i]) => conf[i]!), correct, 15);
  }
  const isOos = Uint8Array.from(test, (r) => (r.intent === OOS ? 1 : 0));
  if (isOos.includes(1)) out.oos_auroc = auroc(Float32Array.from(test, (_, i) => -conf[i]!), isOos);
  return out;
}

async function runOurs(train: readonly Row[], test: readonly Row[]): Promise<Figures> {
  const texts = train.map((r) => r.text);
  const labels = train.map((r) => r.intent);
  const options = { svm: { seed: 1 } };
  const start = performance.now();
  const model = trainIntentModel(texts, labels, options);
  const fit_s = (performance.now() - start) / 1000;
  const parallelStart = performance.now();
  const parallel = await trainIntentModelInWorkers(texts, labels, options, 2);
  const fit_s_2_workers = (performance.now() - parallelStart) / 1000;
  if (parallel.temperature !== model.temperature || parallel.weights.some((v, k) => v !== model.weights[k])) {
    throw new Error('the two-worker fit differs from the single-thread fit');
  }
  const predictStart = performance.now();
  const probs = predictTexts(model, test.map((r) => r.text));
  const predict_per_s = test.length / ((performance.now() - predictStart) / 1000);
  const k = model.classes;
  const inScope = test.map((row, i) => [row, i] as const).filter(([row]) => row.intent !== OOS);
  const inProbs = new Float32Array(inScope.length * k);
  inScope.forEach(([, i], t) => inProbs.set(probs.subarray(i * k, (i + 1) * k), t * k));
  const truth = Int32Array.from(inScope, ([row]) => model.labels.indexOf(row.intent));
  const predicted = argmaxRows(inProbs, k);
  const figures: Figures = {
    acc: accuracy(predicted, truth),
    fit_s,
    ece: expectedCalibrationErrorOfProbs(inProbs, k, truth, 15),
    macro_f1: macroF1(predicted, truth, k),
    predict_per_s,
    fit_s_2_workers,
  };
  const isOos = Uint8Array.from(test, (r) => (r.intent === OOS ? 1 : 0));
  if (isOos.includes(1)) figures.oos_auroc = auroc(outOfScopeScores(probs, k), isOos);
  console.error(`  ours: acc ${(figures.acc * 100).toFixed(2)}%, fit ${fit_s.toFixed(2)} s (2 workers ${fit_s_2_workers.toFixed(2)} s), T ${model.temperature.toFixed(4)}, ${model.features} features`);
  return figures;
}

function runPeers(name: string, train: readonly Row[], test: readonly Row[], peers: readonly PeerName[]): Partial<Record<PeerName, Figures>> {
  if (peers.length === 0) return {};
  const dir = mkdtempSync(join(tmpdir(), `callsift-peers-${name}-`));
  try {
    const toJsonl = (rows: readonly Row[]): string => rows.map((r) => JSON.stringify({ text: r.text, intent: r.intent })).join('\n') + '\n';
    writeFileSync(join(dir, 'train.jsonl'), toJsonl(train));
    writeFileSync(join(dir, 'test.jsonl'), toJsonl(test));
    const result = spawnSync('/usr/bin/python3', [join(HERE, 'peers.py'), dir, languageOf(train), ...peers], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`peers.py failed for ${name} (exit ${result.status})`);
    const output = JSON.parse(readFileSync(join(dir, 'peers.json'), 'utf8')) as Partial<Record<PeerName, PeerOutput>>;
    const figures: Partial<Record<PeerName, Figures>> = {};
    for (const peer of peers) {
      const o = output[peer];
      if (!o) continue;
      figures[peer] = { ...scoreTopOne(test, o.pred, o.conf, PEERS_WITH_PROBABILITIES.has(peer)), fit_s: o.fit_s };
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
const num = (v: number | undefined, digits = 3): string => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));

function renderMarkdown(results: Record<string, { ours: Figures; peers: Partial<Record<PeerName, Figures>>; train: number; test: number }>): string {
  const lines: string[] = [
    '# Intent model benchmark',
    '',
    `Generated by \`tsx bench/model/run.ts\` on ${new Date().toISOString().slice(0, 10)}; ours and the peers trained and tested in the same run, on this machine (2 cores).`,
    '',
    '- **ours**: `shared/ml` — NFKC normalization, hashed (2^20) sublinear TF-IDF of Latin word 1–2-grams + char_wb 2–5-grams and CJK char 1–3-grams,',
    '  one-vs-rest L2-loss linear SVM (dual coordinate descent, C = 2, at most 10 passes), softmax temperature fitted on',
    '  5-fold out-of-fold scores estimated by unlearning each fold. fit_s: one thread, featurization and calibration included;',
    '  "2 workers": the same model (checked bit-identical) with the classes split over two worker threads, worker start-up included.',
    '- **sklearn_lr / sklearn_svm**: TF-IDF (word 1–2 + char_wb 2–5, sublinear tf) + LogisticRegression(saga, C = 10, max_iter 1000) / LinearSVC(C = 1); vectorizing included in fit_s.',
    '- **fasttext**: CLI, `-wordNgrams 2 -minn 2 -maxn 5 -epoch 50 -thread 2` (Chinese split into characters).',
    '- acc = in-scope test accuracy; ECE over in-scope test items, 15 bins of max probability (LinearSVC has no probabilities);',
    '  oos AUROC: score 1 − max probability (LinearSVC: − max decision score), positives = "oos" test items (CLINC150 only).',
    '- acc ratio = ours / peer; time ratio = peer fit_s / ours (above 1: ours trains faster).',
    '',
    '| dataset | model | acc | macro-F1 | fit_s | ECE | oos AUROC | acc ratio | time ratio | time ratio (ours on 2 workers) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, r] of Object.entries(results)) {
    lines.push(`| ${name} (${r.train} train / ${r.test} test) | ours | ${pct(r.ours.acc)} | ${num(r.ours.macro_f1)} | ${num(r.ours.fit_s, 2)} (2 workers: ${num(r.ours.fit_s_2_workers, 2)}) | ${num(r.ours.ece)} | ${num(r.ours.oos_auroc)} | | | |`);
    for (const peer of PEERS) {
      const p = r.peers[peer];
      if (!p) continue;
      lines.push(
        `| | ${peer} | ${pct(p.acc)} | ${num(p.macro_f1)} | ${num(p.fit_s, 2)} | ${num(p.ece)} | ${num(p.oos_auroc)} | ${num(r.ours.acc / p.acc)} | ${num(p.fit_s / r.ours.fit_s, 2)} | ${num(p.fit_s / (r.ours.fit_s_2_workers ?? Number.NaN), 2)} |`,
      );
    }
  }
  lines.push(
    '',
    `Scoring throughput (ours, featurization included, one core): ${Object.entries(results)
      .map(([name, r]) => `${name} ${Math.round(r.ours.predict_per_s ?? 0).toLocaleString('en')}/s`)
      .join(', ')}.`,
    '',
    'Notes:',
    '- Timings are wall-clock on a 2-core machine shared with other work; they drift between runs, so compare ratios from one run.',
    '- "2 workers" starts two worker threads that each load tsx and transpile the solver (about 1 s) before training, and only pays',
    '  off when the second core is free; prebuilt worker bundles (electron/workers) avoid the transpile.',
    '- ECE is over in-scope test items; SMP2017 has 667 of them, so its ECE is noisy (a true 5-fold refit gives the same temperature',
    '  as the unlearning estimate there: 0.143 vs 0.146), and one temperature does not fix its train/test shift.',
    '',
    'Not in this slice (issue 3): `label_errors`, `few_shot` and `active_learning` figures are not measured yet.',
    '',
    'Datasets: CLINC150 (Larson et al. 2019, "An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction"); BANKING77 (Casanueva et al. 2020, "Efficient Intent Detection with Dual Sentence Encoders"); SMP2017-ECDT (Zhang et al. 2017, "The First Evaluation of Chinese Human-Computer Dialogue Technology").',
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { data, peers } = parseArgs(process.argv.slice(2));
  const results: Record<string, { ours: Figures; peers: Partial<Record<PeerName, Figures>>; train: number; test: number }> = {};
  for (const file of data) {
    const name = basename(file).replace(/\.jsonl$/, '');
    const rows = readRows(file);
    const train = rows.filter((r) => r.split === 'train' && r.intent !== OOS);
    const test = rows.filter((r) => r.split === 'test');
    console.error(`${name}: ${train.length} train, ${test.length} test`);
    const ours = await runOurs(train, test);
    const peerFigures = runPeers(name, train, test, peers);
    results[name] = { ours, peers: peerFigures, train: train.length, test: test.length };
  }
  const json: Record<string, unknown> = {};
  for (const [name, r] of Object.entries(results)) json[name] = { ours: r.ours, peers: r.peers, train: r.train, test: r.test };
  json.label_errors = { status: 'not measured in this slice' };
  json.few_shot = { status: 'not measured in this slice' };
  json.active_learning = { status: 'not measured in this slice' };
  const outDir = join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'model.json'), JSON.stringify(json, null, 2) + '\n');
  writeFileSync(join(outDir, 'model.md'), renderMarkdown(results));
  console.error(`wrote ${join(outDir, 'model.json')} and model.md`);
}

await main();
