import { join } from 'node:path';
import type { JudgeState, LabelTarget, NetChangeEstimateDto } from '../../../shared/contract/dto';
import { toUtteranceId } from '../../../shared/domain/types';
import { createRng } from '../../../shared/ml/random';
import { modelTextsOfTurns } from '../../../shared/ml/turnContext';
import { simulatedCallId } from '../../../platform/simulator';
import { VersionStore } from '../model/versionStore';
import { predictWithArtifact } from './modelPush';
import { startTestPlatform, truthsOf, type TestPlatform } from './testPlatform';

/**
 * The release gate's closed loop against the reference platform, shared by `gateClosedLoop.test.ts` and the gate bench
 * (`bench/gate/closedLoop.ts`):
 * the team labels two-day-old traffic with the simulator's own true intents, a small first model goes live and
 * answers a day of traffic, then a good candidate (every label) and a bad one (20% of the critical intents' labels
 * flipped to other intents) are each replayed on that traffic, 200 changed turns are judged with `replay.judge` from
 * the true intents (what a lead pressing 1/2/3 would do), and the gate is asked. The true net change is measured
 * here, apart from the replay: each candidate's artifact predicts every replayed turn as the platform would, the
 * active side is the prediction the platform stored with the turn, both scored against the true intents.
 */

/** Compliance-critical intents of the demo stream; request_human_agent is also the transfer to a person. */
export const CRITICAL = ['stop_calling', 'complaint', 'request_human_agent', 'deny_transaction_fraud'] as const;
const HOUR = 3_600_000;

export interface ClosedLoopOptions {
  /** A folder for the platform's data and the workspace (the caller removes it). */
  readonly root: string;
  /** Seeds the label flips (the platform's traffic and the replay's sample are seeded on their own). */
  readonly seed?: number;
  /** Calls the team labels (two days ago). */
  readonly labeledCalls?: number;
  /** Of them, the calls the first (active) model learns from. */
  readonly firstModelCalls?: number;
  /** Calls of the replayed day, answered by the first model. */
  readonly trafficCalls?: number;
  /** Changed turns judged per candidate. */
  readonly judgments?: number;
  /** Share of the critical intents' labels flipped for the bad candidate. */
  readonly flipShare?: number;
  readonly log?: (line: string) => void;
}

export interface CandidateOutcome {
  readonly version: number;
  /** Replayed turns and how many changed. */
  readonly turns: number;
  readonly changed: number;
  /** `replay.judge` calls made (sampled turns already labeled count without one). */
  readonly judgeCalls: number;
  readonly estimate: NetChangeEstimateDto;
  /** New minus old accuracy over every replayed turn, against the simulator's true intents. */
  readonly trueDelta: number;
  /** Changed turns counted here (to check against the replay's own count). */
  readonly trueChanged: number;
  readonly brokenCases: number;
  readonly pinnedCases: number;
  readonly passed: boolean;
  readonly reasons: readonly string[];
}

export interface ClosedLoopResult {
  readonly good: CandidateOutcome;
  readonly bad: CandidateOutcome;
  readonly flipped: number;
  readonly criticalLabels: number;
  readonly seconds: number;
}

const intentOf = (target: LabelTarget): string | null => (target.kind === 'intent' ? target.intentId : null);

/** Runs the loop; throws when a step the loop relies on fails (not on a gate outcome: the caller judges those). */
export async function runGateClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const tp = await startTestPlatform({ root: options.root, name: 'gate-loop', annotator: 'lead' });
  try {
    return await loop(tp, options, log, started);
  } finally {
    await tp.close();
  }
}

async function loop(tp: TestPlatform, options: ClosedLoopOptions, log: (line: string) => void, started: number): Promise<ClosedLoopResult> {
  const { host } = tp;
  const s = host.services;
  const labeledCalls = options.labeledCalls ?? 900;
  const firstModelCalls = options.firstModelCalls ?? 150;
  const trafficCalls = options.trafficCalls ?? 900;
  const judgments = options.judgments ?? 200;
  const rng = createRng(options.seed ?? 15);

  // Two days ago: the traffic the team labels with the true intents; a first model from its first calls goes live.
  const now = Date.now();
  const first = await tp.simulate(labeledCalls, now - 72 * HOUR, 1000);
  await tp.sync();
  const early = truthsOf(first.firstSeq, first.firstSeq + firstModelCalls - 1);
  const rest = truthsOf(first.firstSeq + firstModelCalls, first.lastSeq);
  const labeled = [...early, ...rest];
  await tp.labelAll(early);
  const firstModel = await tp.train();
  const pushedFirst = await s.sync.pushModel({ version: firstModel, note: 'first' });
  await s.sync.activateModel({ platformVersion: pushedFirst.platformVersion });
  await tp.labelAll(rest);

  // The lead marks the critical intents and pins eight labeled utterances of each.
  for (const id of CRITICAL) await s.intent.updateIntent({ id, critical: true, ...(id === 'request_human_agent' ? { transfer: true } : {}) });
  for (const id of CRITICAL) {
    for (const c of labeled.filter((t) => intentOf(t.target) === id).slice(0, 8)) await s.gate.pinCase({ utteranceId: c.utteranceId });
  }

  // Yesterday: a day of traffic answered by the first model; the replay window.
  const trafficFrom = now - 30 * HOUR;
  const spacing = Math.floor((20 * HOUR) / trafficCalls);
  const traffic = await tp.simulate(trafficCalls, trafficFrom, spacing);
  await tp.sync();
  const trafficTruth = new Map(truthsOf(traffic.firstSeq, traffic.lastSeq).map((t) => [t.utteranceId, intentOf(t.target)]));

  // The candidates: every label, then the same with a share of the critical intents' labels flipped.
  const good = await tp.train();
  const intents = (await s.intent.listIntents({})).filter((i) => i.status === 'active').map((i) => i.id);
  const critical = labeled.filter((t) => CRITICAL.some((c) => c === intentOf(t.target)));
  const flips = critical.filter(() => rng.next() < (options.flipShare ?? 0.2));
  for (const t of flips) {
    const others = intents.filter((i) => i !== intentOf(t.target));
    await s.label.setLabel({ utteranceId: t.utteranceId, target: { kind: 'intent', intentId: others[rng.int(others.length)]! }, source: 'manual' });
  }
  const bad = await tp.train();
  log(`closed loop: first model v${firstModel} live; good v${good}, bad v${bad} (${flips.length} of ${critical.length} critical labels flipped)`);

  const window = { from: trafficFrom, to: trafficFrom + trafficCalls * spacing + HOUR };
  const outcome = async (version: number, name: string): Promise<CandidateOutcome> => {
    await s.replay.start({ version, ...window, campaign: null, threshold: 0.5, sampleSize: judgments });
    await host.replay.running;
    const status = await s.replay.getStatus({});
    if (status.result?.version !== version) throw new Error(`the replay of v${version} did not finish`);
    let state: JudgeState = await s.replay.getJudging({});
    let judgeCalls = 0;
    for (const item of state.items) {
      if (item.judgment !== null) continue;
      const truth = trafficTruth.get(item.utteranceId);
      if (truth === undefined) throw new Error(`no true intent for ${item.utteranceId}`);
      state = truth === item.to ? await s.replay.judge({ utteranceId: item.utteranceId, judgment: 'new' }) : truth === item.from ? await s.replay.judge({ utteranceId: item.utteranceId, judgment: 'old' }) : await s.replay.judge({ utteranceId: item.utteranceId, judgment: 'neither', intentId: truth });
      judgeCalls++;
    }
    const measured = await trueChange(tp, version, traffic.firstSeq, traffic.lastSeq, trafficTruth);
    const check = await s.gate.checkVersion({ version });
    const out: CandidateOutcome = {
      version,
      turns: status.result.turns,
      changed: status.result.changed,
      judgeCalls,
      estimate: state.estimate,
      trueDelta: measured.delta,
      trueChanged: measured.changed,
      brokenCases: check.broken.length,
      pinnedCases: check.pinned,
      passed: check.passed,
      reasons: check.reasons.map((r) => r.kind),
    };
    const pp = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}`;
    log(
      `closed loop ${name} v${version}: ${out.changed} of ${out.turns} turns changed, ${state.estimate.judged} judged (${judgeCalls} calls); ` +
        `estimate ${pp(out.estimate.estimate)} pt [${pp(out.estimate.low)}, ${pp(out.estimate.high)}], true ${pp(out.trueDelta)} pt; ` +
        `${out.brokenCases} of ${out.pinnedCases} pinned broken; ${out.passed ? 'passes' : `stopped (${out.reasons.join(', ')})`}`,
    );
    return out;
  };
  const goodOutcome = await outcome(good, 'good');
  const badOutcome = await outcome(bad, 'bad');
  return { good: goodOutcome, bad: badOutcome, flipped: flips.length, criticalLabels: critical.length, seconds: (performance.now() - started) / 1000 };
}

/**
 * New minus old accuracy over the replayed turns (feed positions `firstSeq..lastSeq`): the version's artifact predicts
 * each user turn's model text as the platform would; the old side is the prediction the platform stored with the turn.
 */
async function trueChange(tp: TestPlatform, version: number, firstSeq: number, lastSeq: number, truth: ReadonlyMap<string, string | null>): Promise<{ delta: number; changed: number }> {
  const doc = await new VersionStore(join(tp.workspace, 'models')).read(version);
  if (!doc) throw new Error(`no local version ${version}`);
  const ids: string[] = [];
  const texts: string[] = [];
  const old: (string | null)[] = [];
  for (let seq = firstSeq; seq <= lastSeq; seq++) {
    const callId = simulatedCallId(seq);
    const call = await tp.host.services.call.getCall({ callId });
    const modelTexts = modelTextsOfTurns(call.turns);
    let k = 0;
    call.turns.forEach((turn, t) => {
      if (turn.speaker !== 'user') return;
      const text = modelTexts[k++]!;
      if (turn.predictedConfidence === undefined && turn.predictedIntent === undefined) return;
      ids.push(toUtteranceId(callId, t));
      texts.push(text);
      old.push(turn.predictedIntent ?? null);
    });
  }
  const predicted = predictWithArtifact(doc.artifact, texts);
  let net = 0;
  let changed = 0;
  ids.forEach((id, r) => {
    const right = truth.get(id);
    if (right === undefined) throw new Error(`no true intent for ${id}`);
    const now = predicted[r]!.intent;
    if (now === old[r]) return;
    changed++;
    net += (now === right ? 1 : 0) - (old[r] === right ? 1 : 0);
  });
  return { delta: ids.length ? net / ids.length : 0, changed };
}
