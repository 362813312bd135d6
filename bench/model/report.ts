/** The figures of bench/results/model.json and their rendering as bench/results/model.md. */
import type { ActiveLearningResult, Curve } from './activeLearning';
import type { FewShotResult } from './fewShot';
import type { LabelErrorFigures, LabelErrorResult } from './labelErrors';
import type { ThroughputResult } from './throughput';

export interface Figures {
  acc: number;
  fit_s: number;
  ece?: number;
  oos_auroc?: number;
  macro_f1?: number;
  predict_per_s?: number;
  /** Ours only: wall-clock fit with the solver's classes split over two worker threads (same model). */
  fit_s_2_workers?: number;
}

export const PEERS = ['sklearn_lr', 'sklearn_svm', 'fasttext'] as const;
export type PeerName = (typeof PEERS)[number];

export interface DatasetResult {
  ours: Figures;
  peers: Partial<Record<PeerName, Figures>>;
  train: number;
  test: number;
}

/** The figures file: one object per dataset plus the task objects. */
export interface ModelResults {
  [key: string]: unknown;
  label_errors?: LabelErrorResult[];
  few_shot?: FewShotResult[];
  active_learning?: ActiveLearningResult[];
  throughput?: ThroughputResult[];
}

const pct = (v: number | undefined): string => (v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
const num = (v: number | undefined, digits = 3): string => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const int = (v: number | null | undefined): string => (v === null || v === undefined ? 'not reached' : Math.round(v).toLocaleString('en'));
const met = (ok: boolean): string => (ok ? 'met' : '**missed**');

function isDatasetResult(value: unknown): value is DatasetResult {
  return typeof value === 'object' && value !== null && 'ours' in value && 'peers' in value;
}

function accuracySection(results: readonly [string, DatasetResult][]): string[] {
  if (results.length === 0) return [];
  const lines = [
    '## Accuracy, calibration, training time',
    '',
    '- **ours**: `shared/ml` — NFKC normalization, hashed (2^20) sublinear TF-IDF of Latin word 1–2-grams + char_wb 2–5-grams and CJK char 1–3-grams,',
    '  one-vs-rest L2-loss linear SVM (dual coordinate descent, C = 2, at most 10 passes) — with a median of 20 or fewer examples per intent',
    '  the softmax solver instead (see few_shot) —, calibrated on 5-fold out-of-fold scores estimated by unlearning each fold, each held-out',
    '  row featurized as its fold\'s refit would (n-grams only its fold has dropped, IDF of the other folds): a softmax temperature, then Platt',
    '  scaling of the top probability (`topLabelScaling`). fit_s: one thread, featurization and calibration included;',
    '  "2 workers": the same model (checked bit-identical) with the classes split over two worker threads, worker start-up included.',
    '- **sklearn_lr / sklearn_svm**: TF-IDF (word 1–2 + char_wb 2–5, sublinear tf) + LogisticRegression(saga, C = 10, max_iter 1000) / LinearSVC(C = 1), both with random_state 0 (saga and liblinear shuffle: unseeded, their accuracy moves by ±0.1 point from run to run); vectorizing included in fit_s.',
    '- **fasttext**: CLI, `-wordNgrams 2 -minn 2 -maxn 5 -epoch 50 -thread 2` (Chinese split into characters).',
    '- acc = in-scope test accuracy; ECE over in-scope test items, 15 bins of max probability (LinearSVC has no probabilities);',
    '  oos AUROC: score 1 − max probability (LinearSVC: − max decision score), positives = "oos" test items (CLINC150 only); ours: 1 − max probability',
    '  at the out-of-scope temperature (`outOfScopeScoresOf`, what the app and the artifact use), chosen among T · 2^j (j = 0…4) on the out-of-fold',
    '  in-scope rows against the 100 "oos" items of the training split (which no model trains on).',
    '- acc ratio = ours / peer; time ratio = peer fit_s / ours (above 1: ours trains faster).',
    '',
    '| dataset | model | acc | macro-F1 | fit_s | ECE | oos AUROC | acc ratio | time ratio | time ratio (ours on 2 workers) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, r] of results) {
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
    `Scoring during this part (ours, the test split once, featurization included, one core, not warmed up): ${results
      .map(([name, r]) => `${name} ${Math.round(r.ours.predict_per_s ?? 0).toLocaleString('en')}/s`)
      .join(', ')}. The warmed-up 50k measurement is under "Scoring throughput".`,
    '',
  );
  return lines;
}

function labelErrorSection(results: readonly LabelErrorResult[]): string[] {
  if (results.length === 0) return [];
  const lines = [
    '## label_errors: finding flipped labels',
    '',
    'Flip 10% of the in-scope training labels (exactly round(0.1 n) rows, each to a uniformly drawn other intent, seeded), get',
    '5-fold out-of-fold probabilities on the same stratified folds, and rank. P@N = share of flips among the N rows of lowest',
    'self-confidence p(given label), N = number of flips; CL = confident learning (`findLabelIssues`, Northcutt et al. 2021) on those',
    'probabilities: rows flagged, their precision and recall. k-fold s = wall clock of the whole out-of-fold run (ours: `runTraining`,',
    'which also yields the final model; the peer: `cross_val_predict`, which yields only the out-of-fold probabilities).',
    '',
    '| dataset | method | P@N | CL flagged | CL precision | CL recall | k-fold s | peer s / this |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const peerS = r.peer?.kfold_s;
    const row = (label: string, f: LabelErrorFigures): string =>
      `| ${r.dataset} (${r.rows} rows, ${r.flips} flips) | ${label} | ${num(f.precision_at_n)} | ${f.cl_flagged.toLocaleString('en')} | ${num(f.cl_precision)} | ${num(f.cl_recall)} | ${num(f.kfold_s, 1)} | ${num(peerS === undefined ? undefined : peerS / f.kfold_s, 2)} |`;
    lines.push(row('ours (runTraining: folds unlearned; label issues from a C = 0.5 fit of 6 passes, shared Platt sigmoid, CL pruned by noise rate)', r.ours));
    if (r.ours_refit) lines.push(row('ours, 5 full refits (reference)', r.ours_refit));
    if (r.peer) lines.push(row(`peer: ${r.peer.model}`, r.peer));
    if (r.peer) {
      const o = r.ours;
      const p = r.peer;
      lines.push(
        '',
        `Targets (${r.dataset}, same run): P@N ≥ 0.96 and ≥ peer: ${num(o.precision_at_n)} vs ${num(p.precision_at_n)} — ${met(o.precision_at_n >= 0.96 && o.precision_at_n >= p.precision_at_n)};`,
        `CL precision ≥ 0.86: ${num(o.cl_precision)} (peer ${num(p.cl_precision)}) — ${met(o.cl_precision >= 0.86)}; CL recall ≥ 0.82: ${num(o.cl_recall)} (peer ${num(p.cl_recall)}) — ${met(o.cl_recall >= 0.82)};`,
        `k-fold time ≤ ¼ of the peer's: ${num(o.kfold_s, 1)} s vs ${num(p.kfold_s, 1)} s, ratio ${num(p.kfold_s / o.kfold_s, 2)}× — ${met(o.kfold_s * 4 <= p.kfold_s)}.`,
        '',
      );
    } else lines.push('');
  }
  return lines;
}

function fewShotSection(results: readonly FewShotResult[]): string[] {
  if (results.length === 0) return [];
  const lines = [
    '## few_shot: k labeled examples per intent',
    '',
    `Seeded samples of k training examples per intent (seeds ${results[0]!.seeds.join(', ')}; the same samples for both), in-scope test accuracy,`,
    `mean over the seeds. Peer: ${results[0]!.peer}. Ours: the default model, which at these sizes (median ≤ 20 examples per intent)`,
    'trains multinomial logistic regression by dual coordinate descent (`trainSoftmaxDual`, Yu, Huang & Lin 2011; C = 20 on unit-norm rows,',
    'which is the peer\'s C = 10 on its rows of norm √2; passes from α = 0.8 on each row\'s own class until no dual value moves by more than 0.001,',
    'at most 30), calibrated as in the accuracy table.',
    '',
    '| dataset | k | ours | peer (LR) | ratio | ours per seed | peer per seed | target (ours ≥ peer) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    for (const c of r.cells) {
      lines.push(
        `| ${r.dataset} | ${c.shots} | ${pct(c.ours_acc)} | ${pct(c.peer_acc)} | ${num(c.peer_acc === undefined ? undefined : c.ours_acc / c.peer_acc)} | ${c.ours_by_seed.map((a) => (a * 100).toFixed(1)).join(' / ')} | ${(c.peer_by_seed ?? []).map((a) => (a * 100).toFixed(1)).join(' / ')} | ${c.peer_acc === undefined ? '—' : met(c.ours_acc >= c.peer_acc)} |`,
      );
    }
  }
  lines.push('');
  return lines;
}

function curveCells(c: Curve, rounds: readonly number[]): string {
  return rounds.map((i) => pct(c.acc[i])).join(' | ');
}

function activeLearningSection(results: readonly ActiveLearningResult[]): string[] {
  if (results.length === 0) return [];
  const shown = [0, 1, 3, 5, 10, 15];
  const lines = [
    '## active_learning: simulated labeling rounds',
    '',
    'Pool = the in-scope training split (texts known, labels hidden); start from 2 labels per intent (seeded), add 2% of the pool',
    'per round for 15 rounds, retrain each round, measure in-scope test accuracy. Features: our featurizer fitted once on the pool',
    'texts (unlabeled text is available in the app), solver as in the accuracy table (no calibration: ranking only needs scores).',
    'Strategies: **random**; **margin** = smallest top-1 − top-2 score ("breaking ties"); **informative** = the app\'s Most informative',
    'queue as shipped (`rankInformative` in shared/ml/rankQueues.ts): margin order, then among the 3,000 smallest-margin unlabeled rows',
    'a row whose content key equals, or whose cosine similarity exceeds 0.6 with, one of the last 20 kept rows goes after the others;',
    'the batch is the first rows of that order (the app ranks calibrated probabilities; here the top two decision scores stand in).',
    'Labels to 95% = labels at which the curve reaches 95% of the same model trained on the whole pool (linear interpolation).',
    'Peer: scikit-learn LinearSVC(C = 1) on TF-IDF fitted on the pool, same initial labels and batch size, margin and random.',
    '',
    '![learning curves](active_learning.svg)',
    '',
    `| dataset | strategy | ${shown.map((i) => `round ${i}`).join(' | ')} | labels to 95% | vs random | above random at every round |`,
    `|---|---|${shown.map(() => '---').join('|')}|---|---|---|`,
  ];
  for (const r of results) {
    const random = r.ours.random;
    lines.push(`| ${r.dataset} (pool ${r.pool}, +${r.batch}/round, full-data ${pct(r.full_acc)}, 95% = ${pct(r.target_acc)}) | labels | ${shown.map((i) => (r.ours.random ?? Object.values(r.ours)[0]!).labels[i]!.toLocaleString('en')).join(' | ')} | | | |`);
    for (const [name, c] of Object.entries(r.ours)) {
      const vsRandom = random && c.labels_to_95 !== null && random.labels_to_95 !== null ? num(c.labels_to_95 / random.labels_to_95, 2) : '—';
      const above = random && name !== 'random' ? (c.acc.slice(1).every((a, i) => a > random.acc[i + 1]!) ? 'yes' : 'no') : '';
      lines.push(`| | ours ${name} | ${curveCells(c, shown)} | ${int(c.labels_to_95)} | ${name === 'random' ? '' : vsRandom} | ${above} |`);
    }
    for (const [name, c] of Object.entries(r.retired ?? {})) {
      lines.push(`| | retired ${name} (previous run, no longer in the code) | ${curveCells(c, shown)} | ${int(c.labels_to_95)} | | |`);
    }
    if (r.peer) {
      const pr = r.peer.curves.random;
      for (const [name, c] of Object.entries(r.peer.curves)) {
        const vsRandom = pr && c.labels_to_95 !== null && pr.labels_to_95 !== null && name !== 'random' ? num(c.labels_to_95 / pr.labels_to_95, 2) : '';
        lines.push(`| | peer LinearSVC ${name} (full-data ${pct(r.peer.full_acc)}) | ${curveCells(c, shown)} | ${int(c.labels_to_95)} | ${vsRandom} | |`);
      }
    }
  }
  const first = results[0]!;
  const oursBest = Object.entries(first.ours)
    .filter(([name]) => name !== 'random')
    .sort((a, b) => (a[1].labels_to_95 ?? Infinity) - (b[1].labels_to_95 ?? Infinity))[0];
  const peerMargin = first.peer?.curves.margin;
  const random = first.ours.random;
  if (oursBest && random) {
    const [name, best] = oursBest;
    const atEveryRound = best.acc.slice(1).every((a, i) => a > random.acc[i + 1]!);
    lines.push(
      '',
      `Targets (${first.dataset}, best strategy: ${name}): above random at every round — ${met(atEveryRound)}; labels to 95% ≤ peer margin's` +
        ` (${int(best.labels_to_95)} vs ${int(peerMargin?.labels_to_95)}) — ${met(best.labels_to_95 !== null && (peerMargin === undefined || peerMargin.labels_to_95 === null || best.labels_to_95 <= peerMargin.labels_to_95))};` +
        ` ≤ half of random's (${int(random.labels_to_95)}) — ${met(best.labels_to_95 !== null && (random.labels_to_95 === null || best.labels_to_95 <= random.labels_to_95 / 2))}.`,
    );
  }
  lines.push('');
  return lines;
}

function throughputSection(results: readonly ThroughputResult[]): string[] {
  if (results.length === 0) return [];
  return [
    '## Scoring throughput',
    '',
    'One thread, `predictTexts` end to end (NFKC normalization, hashing, TF-IDF rows, linear scores, softmax) over the test texts',
    'repeated to ≥ 50,000 utterances, after a 2,000-utterance warm-up; then its two halves timed alone.',
    '',
    '| dataset | utterances | utterances/s | featurize only /s | scores only /s | scores in JavaScript /s | kernel speed-up | same bits | target ≥ 50,000/s |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.dataset} | ${r.utterances.toLocaleString('en')} | ${Math.round(r.per_s).toLocaleString('en')} | ${Math.round(r.featurize_per_s).toLocaleString('en')} | ${Math.round(r.score_per_s).toLocaleString('en')} | ` +
        `${r.score_js_per_s === undefined ? '–' : Math.round(r.score_js_per_s).toLocaleString('en')} | ${r.kernel_speedup === undefined ? '–' : `×${r.kernel_speedup.toFixed(2)}`} | ${r.kernel_bit_identical === undefined ? '–' : r.kernel_bit_identical ? 'yes' : 'NO'} | ${met(r.per_s >= 50_000)} |`,
    ),
    '',
    'Linear scores and softmax run in a WebAssembly SIMD kernel built at run time from TypeScript (`shared/ml/wasmScores.ts`,',
    '`wasmCode.ts`): the same float64 sums in the same order as the JavaScript loop and a copy of fdlibm\'s exp, so the output is',
    'bit-identical to the JavaScript path it falls back to where WebAssembly is unavailable (checked over all three datasets and in',
    'Chromium). Skipping zero weights gave no gain: the features of real utterances are frequent n-grams with nonzero weights for most',
    'classes. The rest is featurization (`featurize.ts`, normalization + hashing + TF-IDF).',
    '',
  ];
}

/** Renders every part present in the figures as the benchmark's markdown report. */
export function renderMarkdown(json: ModelResults): string {
  const datasets = Object.entries(json).filter((e): e is [string, DatasetResult] => isDatasetResult(e[1]));
  const arrayOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);
  const lines = [
    '# Intent model benchmark',
    '',
    `Generated by \`tsx bench/model/run.ts\` (parts can be run alone with \`--only\`; the rest keep their last figures), last written on ${new Date().toISOString().slice(0, 10)};`,
    'within each part, ours and the peers ran in the same run on this machine (2 cores, shared with other work: compare ratios, not seconds across parts).',
    '',
    ...accuracySection(datasets),
    ...throughputSection(arrayOf<ThroughputResult>(json.throughput)),
    ...labelErrorSection(arrayOf<LabelErrorResult>(json.label_errors)),
    ...fewShotSection(arrayOf<FewShotResult>(json.few_shot)),
    ...activeLearningSection(arrayOf<ActiveLearningResult>(json.active_learning)),
    'Notes:',
    '- Timings are wall-clock on a 2-core machine shared with other work; they drift between runs, so compare ratios from one run.',
    '- "2 workers" starts two worker threads that each load tsx and transpile the solver (about 1 s) before training, and only pays',
    '  off when the second core is free; prebuilt worker bundles (electron/workers) avoid the transpile.',
    '- ECE is over in-scope test items; SMP2017 has 667 of them, so its ECE is noisy, and one temperature does not fix its train/test shift.',
    '',
    'Datasets: CLINC150 (Larson et al. 2019, "An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction"); BANKING77 (Casanueva et al. 2020, "Efficient Intent Detection with Dual Sentence Encoders"); SMP2017-ECDT (Zhang et al. 2017, "The First Evaluation of Chinese Human-Computer Dialogue Technology").',
    '',
  ];
  return lines.join('\n');
}
