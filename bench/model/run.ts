/**
 * Intent-model benchmark: our TypeScript model against scikit-learn (TF-IDF word 1–2 + char_wb 2–5 with
 * LogisticRegression and LinearSVC) and the fastText CLI, trained and tested in the same run.
 *
 *   tsx bench/model/run.ts [--data FILE.jsonl ...] [--only accuracy,label_errors,few_shot,active_learning,throughput]
 *                          [--peers sklearn_lr,sklearn_svm,fasttext | --no-peers] [--label-peer lr|svm_calibrated]
 *                          [--no-refit] [--seeds N] [--per-intent N]
 *
 * Data: JSON Lines {"text", "intent", "split"}; trains on split=train without "oos", tests on split=test.
 * In-scope accuracy and ECE are over in-scope test items; out-of-scope AUROC (score = 1 − max probability,
 * positives = "oos") where the test split has "oos" items. Parts: accuracy (one object per dataset), label_errors
 * (CLINC150 by default), few_shot (every dataset), active_learning (CLINC150 and BANKING77 by default; the peer on
 * the first), throughput (CLINC150 by default). With --data, every part runs on the given files. Parts not run keep
 * their figures from the previous bench/results/model.json; model.md is rendered from the merged figures.
 * --per-intent N keeps N training rows of each intent (seeded; test split whole) and names the dataset
 * `<name>_N_per_intent`, so the few-shot path (a median of N examples an intent) runs through every part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { selectDenseRows } from '../../shared/ml/csr';
import { accuracy, argmaxRows, auroc, expectedCalibrationError, expectedCalibrationErrorOfProbs, macroF1 } from '../../shared/ml/metrics';
import { chooseOutOfScopeTemperature, predictWithOutOfScope } from '../../shared/ml/outOfScope';
import { softmaxInPlace } from '../../shared/ml/calibrate';
import { finishIntentModel, type IntentModel, planTraining, predictTemperedTexts, trainIntentModel, trainPlannedClasses } from '../../shared/ml/train';
import { type ActiveLearningResult, runActiveLearning, STRATEGIES } from './activeLearning';
import { HERE, languageOf, OOS, readRows, type Row, samplePerClass, splitRows } from './data';
import { runFewShot } from './fewShot';
import { type LabelPeer, runLabelErrors } from './labelErrors';
import { trainIntentModelInWorkers } from './parallelTrain';
import { type DatasetResult, type Figures, type ModelResults, type PeerName, PEERS, renderMarkdown } from './report';
import { renderLineChart } from './svgChart';
import { measureThroughput } from './throughput';

interface PeerOutput {
  readonly fit_s: number;
  readonly pred: readonly string[];
  readonly conf: readonly number[];
}

const PEERS_WITH_PROBABILITIES: ReadonlySet<PeerName> = new Set(['sklearn_lr', 'fasttext']);
const ROOT = resolve(HERE, '../..');
const DATASETS_DIR = '/work/shared/datasets';
const datasetFile = (name: string): string => `${DATASETS_DIR}/${name}/${name}.jsonl`;
const DEFAULT_DATA = ['clinc150', 'banking77', 'smp2017_ecdt'].map(datasetFile);
export const PARTS = ['accuracy', 'label_errors', 'few_shot', 'active_learning', 'throughput'] as const;
export type Part = (typeof PARTS)[number];

interface Args {
  data: string[] | null;
  peers: PeerName[];
  only: Set<Part>;
  labelPeer: LabelPeer | null;
  refit: boolean;
  seeds: number;
  perIntent: number | null;
}

function parseArgs(argv: readonly string[]): Args {
  const data: string[] = [];
  let peers: PeerName[] = [...PEERS];
  let only = new Set<Part>(PARTS);
  let labelPeer: LabelPeer | null = 'svm_calibrated';
  let refit = true;
  let seeds = 3;
  let perIntent: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--data') data.push(argv[++i]!);
    else if (arg === '--no-peers') {
      peers = [];
      labelPeer = null;
    } else if (arg === '--peers') peers = argv[++i]!.split(',').filter((p): p is PeerName => (PEERS as readonly string[]).includes(p));
    else if (arg === '--only') {
      const names = argv[++i]!.split(',');
      const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
      if (unknown.length > 0) throw new Error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
      only = new Set(names as Part[]);
    } else if (arg === '--label-peer') {
      const peer = argv[++i]!;
      if (peer !== 'lr' && peer !== 'svm_calibrated') throw new Error('--label-peer takes lr or svm_calibrated');
      labelPeer = peer;
    } else if (arg === '--no-refit') refit = false;
    else if (arg === '--seeds') seeds = Number(argv[++i]);
    else if (arg === '--per-intent') {
      perIntent = Number(argv[++i]);
      if (!Number.isInteger(perIntent) || perIntent < 2) throw new Error('--per-intent takes an integer of at least 2');
    }
    else throw new Error(`unknown argument ${arg}`);
  }
  return { data: data.length > 0 ? data : null, peers, only, labelPeer, refit, seeds, perIntent };
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

/**
 * `trainIntentModel`, then (with known out-of-scope training texts) the out-of-scope temperature chosen on the
 * out-of-fold in-scope rows against them, as `runTraining` does in the app.
 */
function trainWithOutOfScope(
  texts: readonly string[],
  labels: readonly string[],
  outOfScopeTexts: readonly string[],
  options: { svm: { seed: number } },
): { model: IntentModel; solver: 'svm' | 'softmax' } {
  const plan = planTraining(texts, labels, options);
  const fit = trainPlannedClasses(plan);
  const model = finishIntentModel(plan, fit);
  if (outOfScopeTexts.length === 0) return { model, solver: plan.solver };
  const k = model.classes;
  const rows = [...plan.folds!.keys()].filter((r) => plan.folds![r]! >= 0);
  const oof = selectDenseRows(fit.outOfFoldScores, k, rows);
  const outOfScopeTemperature = chooseOutOfScopeTemperature(softmaxInPlace(oof, k, model.temperature), predictTemperedTexts(model, outOfScopeTexts), k, model.temperature);
  return { model: outOfScopeTemperature === model.temperature ? model : { ...model, outOfScopeTemperature }, solver: plan.solver };
}

async function runOurs(train: readonly Row[], test: readonly Row[], trainOutOfScope: readonly Row[]): Promise<{ figures: Figures; model: IntentModel }> {
  const texts = train.map((r) => r.text);
  const labels = train.map((r) => r.intent);
  const options = { svm: { seed: 1 } };
  const start = performance.now();
  const { model, solver } = trainWithOutOfScope(texts, labels, trainOutOfScope.map((r) => r.text), options);
  const fit_s = (performance.now() - start) / 1000;
  // Only the one-vs-rest SVM splits its classes over workers; with few examples an intent the app picks the softmax
  // solver, which trains all classes together, so there is no two-worker fit to time or compare.
  let fit_s_2_workers: number | undefined;
  if (solver === 'svm') {
    const parallelStart = performance.now();
    const parallel = await trainIntentModelInWorkers(texts, labels, options, 2);
    fit_s_2_workers = (performance.now() - parallelStart) / 1000;
    if (parallel.temperature !== model.temperature || parallel.weights.some((v, k) => v !== model.weights[k])) {
      throw new Error('the two-worker fit differs from the single-thread fit');
    }
  }
  const predictStart = performance.now();
  const { probs, outOfScope } = predictWithOutOfScope(model, test.map((r) => r.text));
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
  if (isOos.includes(1)) figures.oos_auroc = auroc(outOfScope, isOos);
  console.error(`  ours: acc ${(figures.acc * 100).toFixed(2)}%, fit ${fit_s.toFixed(2)} s (${fit_s_2_workers === undefined ? `${solver} solver, not split over workers` : `2 workers ${fit_s_2_workers.toFixed(2)} s`}), T ${model.temperature.toFixed(4)}, out-of-scope T ${(model.outOfScopeTemperature ?? model.temperature).toFixed(4)}, ${model.features} features`);
  return { figures, model };
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

const nameOf = (file: string): string => basename(file).replace(/\.jsonl$/, '');

/** Training rows kept by --per-intent (null: all of them). */
let perIntent: number | null = null;

function loadDataset(file: string): { name: string; rows: Row[]; train: Row[]; test: Row[] } {
  const all = readRows(file);
  if (perIntent === null) return { name: nameOf(file), rows: all, ...splitRows(all) };
  const trainRows = all.filter((r) => r.split === 'train');
  const keep = new Set(samplePerClass(trainRows.map((r) => r.intent), perIntent, 0x5eed).map((i) => trainRows[i]!));
  const rows = all.filter((r) => r.split !== 'train' || keep.has(r));
  return { name: `${nameOf(file)}_${perIntent}_per_intent`, rows, ...splitRows(rows) };
}

const COLORS: Record<string, string> = { random: '#7f7f7f', margin: '#1f77b4', informative: '#d62728', 'peer random': '#bcbd22', 'peer margin': '#17becf' };

function writeActiveLearningChart(results: readonly ActiveLearningResult[], file: string): void {
  const panels = results.map((r) => ({
    title: `${r.dataset} (pool ${r.pool.toLocaleString('en')}, +${r.batch} a round)`,
    xLabel: 'labels',
    yLabel: 'in-scope test accuracy',
    series: [
      ...Object.entries(r.ours).map(([name, c]) => ({ name: `ours ${name}`, color: COLORS[name] ?? '#000', points: c.labels.map((l, i) => [l, c.acc[i]!] as const) })),
      ...Object.entries(r.peer?.curves ?? {}).map(([name, c]) => ({ name: `peer LinearSVC ${name}`, color: COLORS[`peer ${name}`] ?? '#000', dashed: true, points: c.labels.map((l, i) => [l, c.acc[i]!] as const) })),
    ],
    guides: [{ y: r.target_acc, label: `95% of full-data accuracy (ours, ${(r.target_acc * 100).toFixed(1)}%)` }],
  }));
  writeFileSync(file, renderLineChart(panels));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  perIntent = args.perIntent;
  const outDir = join(ROOT, 'bench/results');
  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, 'model.json');
  const json: ModelResults = {};
  const files = args.data ?? DEFAULT_DATA;
  const pick = (defaults: readonly string[]): string[] => args.data ?? defaults.map(datasetFile);
  const models = new Map<string, IntentModel>();

  if (args.only.has('accuracy')) {
    for (const file of files) {
      const { name, rows, train, test } = loadDataset(file);
      console.error(`${name}: ${train.length} train, ${test.length} test`);
      const { figures, model } = await runOurs(train, test, rows.filter((r) => r.split === 'train' && r.intent === OOS));
      models.set(name, model);
      json[name] = { ours: figures, peers: runPeers(name, train, test, args.peers), train: train.length, test: test.length } satisfies DatasetResult;
    }
  }
  if (args.only.has('label_errors')) {
    json.label_errors = pick(['clinc150']).map((file) => {
      const { name, train } = loadDataset(file);
      return runLabelErrors(name, train, { peer: args.labelPeer, refit: args.refit });
    });
  }
  if (args.only.has('few_shot')) {
    const seeds = Array.from({ length: args.seeds }, (_, i) => i + 1);
    json.few_shot = files.map((file) => {
      const { name, train, test } = loadDataset(file);
      return runFewShot(name, train, test, { shots: [5, 10], seeds, peer: args.peers.length > 0 });
    });
  }
  if (args.only.has('active_learning')) {
    const results = pick(['clinc150', 'banking77']).map((file, i) => {
      const { name, train, test } = loadDataset(file);
      return runActiveLearning(name, train, test, { strategies: STRATEGIES, peer: i === 0 && args.peers.length > 0 });
    });
    const previous = existsSync(jsonFile) ? ((JSON.parse(readFileSync(jsonFile, 'utf8')) as ModelResults).active_learning ?? []) : [];
    for (const r of results) {
      const before = previous.find((p) => p.dataset === r.dataset && p.pool === r.pool && p.batch === r.batch);
      const gone = Object.entries(before?.ours ?? {}).filter(([name]) => !(STRATEGIES as readonly string[]).includes(name));
      if (before?.retired || gone.length > 0) r.retired = { ...before?.retired, ...Object.fromEntries(gone) };
    }
    // Datasets not run this time keep their figures (a --per-intent run adds its own).
    json.active_learning = [...previous.filter((p) => !results.some((r) => r.dataset === p.dataset)), ...results];
    writeActiveLearningChart(json.active_learning, join(outDir, 'active_learning.svg'));
  }
  if (args.only.has('throughput')) {
    json.throughput = pick(['clinc150']).map((file) => {
      const { name, train, test } = loadDataset(file);
      const model = models.get(name) ?? trainIntentModel(train.map((r) => r.text), train.map((r) => r.intent), { svm: { seed: 1 } });
      return measureThroughput(name, model, test.map((r) => r.text));
    });
  }
  const merged: ModelResults = { ...(existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as ModelResults) : {}), ...json };
  writeFileSync(jsonFile, JSON.stringify(merged, null, 2) + '\n');
  writeFileSync(join(outDir, 'model.md'), renderMarkdown(merged));
  console.error(`wrote ${jsonFile} and model.md`);
}

await main();
