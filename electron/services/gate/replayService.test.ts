import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap } from '../../../shared/contract/services';
import { dispatch } from '../../../shared/contract/dispatch';
import type { Call } from '../../../shared/domain/types';
import { EN_KNOWN, ZH_KNOWN } from '../../../shared/ml/discovery/handMadeSets';
import { createArtifactPredictor } from '../../../shared/ml/predictArtifact';
import { contextualText } from '../../../shared/ml/turnContext';
import { createServiceHost, type ServiceHost } from '../index';
import { VersionStore } from '../model/versionStore';
import { createTestWorkspace, makeTestIntents } from '../store/testCalls';

const known: Record<string, readonly string[]> = Object.fromEntries([...ZH_KNOWN, ...EN_KNOWN]);
const intents = Object.keys(known);
const DAY = 86_400_000;
const BASE = Date.UTC(2026, 10, 1);
const PROMPT = '您好，这里是还款提醒。';

let dataDir: string;
let folder: string;
let host: ServiceHost;
const calls: Call[] = [];

/**
 * One-turn calls over ten days, two campaigns. The platform's stored prediction is the true intent for two turns in
 * three, a wrong one (the next intent) for the third; every seventh call was imported without a prediction.
 */
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'callsift-replay-'));
  folder = join(dataDir, 'ws');
  let i = 0;
  for (const [intent, texts] of Object.entries(known)) {
    for (const text of texts) {
      const wrong = intents[(intents.indexOf(intent) + 1) % intents.length]!;
      const stored = i % 7 === 3 ? {} : { predictedIntent: i % 3 === 2 ? wrong : intent, predictedConfidence: 0.4 + (i % 6) / 10 };
      calls.push({
        id: `c${i}`,
        startedAt: BASE + (i % 10) * DAY + i,
        campaign: i % 2 ? 'repayment' : 'insurance',
        turns: [
          { speaker: 'bot', text: PROMPT },
          { speaker: 'user', text, ...stored },
        ],
      });
      i++;
    }
  }
  await createTestWorkspace(folder, makeTestIntents(intents), calls);
  host = await createServiceHost({ dataDir, workspaceFolder: folder, retrainAfterLabels: 0 });
  for (const [intent, texts] of Object.entries(known)) {
    const ids = calls.filter((c) => texts.includes(c.turns[1]!.text)).map((c) => `${c.id}#1`);
    await host.services.label.bulkLabel({ utteranceIds: ids.filter((_, k) => k % 2 === 0), target: { kind: 'intent', intentId: intent } });
  }
  await host.services.model.train({});
  await host.model.whenIdle();
}, 120_000);

afterAll(async () => {
  await host?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function replayed(arg: { from: number; to: number; campaign?: string | null; sampleSize?: number }) {
  const events: EventMap['onDidReplayProgress'][] = [];
  const off = host.on('onDidReplayProgress', (e) => events.push(e));
  const job = await host.services.replay.start({ version: 1, threshold: 0.5, campaign: null, sampleSize: 200, ...arg });
  await host.replay.running;
  off();
  return { job, events };
}

describe('replay.start', () => {
  it('compares the candidate with the stored predictions of the chosen dates and campaign, in a worker with progress', async () => {
    const from = BASE + 2 * DAY;
    const to = BASE + 8 * DAY;
    const { events } = await replayed({ from, to, campaign: 'repayment' });
    expect(events.at(0)?.state).toBe('running');
    expect(events.some((e) => e.phase === 'predicting' && e.progress > 0 && e.progress <= 1)).toBe(true);
    expect(events.at(-1)?.state).toBe('done');
    const { result } = await host.services.replay.getStatus({});
    expect(result).not.toBeNull();

    // The same figures computed here from the calls and the version's artifact.
    const chosen = calls.filter((c) => c.startedAt >= from && c.startedAt < to && c.campaign === 'repayment');
    const withOld = chosen.filter((c) => c.turns[1]!.predictedConfidence !== undefined);
    const doc = await new VersionStore(join(folder, 'models')).read(1);
    const predict = createArtifactPredictor(doc!.artifact);
    const after = predict(withOld.map((c) => contextualText(c.turns[1]!.text, { prompt: PROMPT, node: '', previous: '' })));
    const before = withOld.map((c) => c.turns[1]!.predictedIntent ?? null);
    const changed = after.filter((p, k) => p.intent !== before[k]).length;
    expect(result!.turns).toBe(withOld.length);
    expect(result!.withoutOld).toBe(chosen.length - withOld.length);
    expect(result!.oldFromTurns).toBe(withOld.length);
    expect(result!.changed).toBe(changed);
    expect(result!.changedShare).toBeCloseTo(changed / withOld.length, 10);
    expect(result!.after.fallback).toBeCloseTo(after.filter((p) => p.intent === null).length / withOld.length, 10);
    expect(result!.after.coverage).toBeCloseTo(after.filter((p) => p.intent !== null && p.confidence >= 0.5).length / withOld.length, 10);
    expect(result!.before.coverage).toBeCloseTo(withOld.filter((c) => (c.turns[1]!.predictedConfidence ?? 0) >= 0.5).length / withOld.length, 10);
    expect(result!.transitions.reduce((s, t) => s + t.count, 0)).toBe(changed);
    const top = result!.transitions[0]!;
    expect(top.examples.length).toBeGreaterThan(0);
    expect(top.examples[0]!.botPrompt).toBe(PROMPT);
    const example = withOld.find((c) => `${c.id}#1` === top.examples[0]!.utteranceId)!;
    expect(example.turns[1]!.predictedIntent ?? null).toBe(top.from);
    expect(await readFile(join(folder, 'gate', 'replay.json'), 'utf8')).toContain('callsift-replay');
  });

  it('refuses a range with no turns, and a bad range at the boundary', async () => {
    await expect(host.services.replay.start({ version: 1, from: BASE - 10 * DAY, to: BASE - 5 * DAY, campaign: null, threshold: 0.5, sampleSize: 10 })).rejects.toMatchObject({ code: 'invalid_argument' });
    const answer = await dispatch(host.services, 'replay.start', { version: 1, from: 10, to: 5 });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('can be cancelled; the last result stays', async () => {
    const before = (await host.services.replay.getStatus({})).result;
    const job = await host.services.replay.start({ version: 1, from: BASE, to: BASE + 10 * DAY, campaign: null, threshold: 0.5, sampleSize: 20 });
    await expect(host.services.replay.cancel({ jobId: job.jobId })).resolves.toEqual({ cancelled: true });
    expect((await host.services.replay.getStatus({})).result).toEqual(before);
  });
});

describe('the judged sample', () => {
  it('draws changed turns by transition; a judgment is a label and moves the estimate', async () => {
    await replayed({ from: BASE, to: BASE + 10 * DAY, campaign: null, sampleSize: 30 });
    const { result } = await host.services.replay.getStatus({});
    const state = await host.services.replay.getJudging({});
    expect(state.items.length).toBe(Math.min(30, result!.changed));
    for (const item of state.items) expect(item.from).not.toBe(item.to);
    const unjudged = state.items.filter((i) => i.judgment === null);
    expect(unjudged.length).toBeGreaterThan(3);
    const [a, b, c] = unjudged;
    let next = await host.services.replay.judge({ utteranceId: a!.utteranceId, judgment: 'new' });
    next = await host.services.replay.judge({ utteranceId: b!.utteranceId, judgment: 'old' });
    const other = intents.find((id) => id !== c!.from && id !== c!.to)!;
    next = await host.services.replay.judge({ utteranceId: c!.utteranceId, judgment: 'neither', intentId: other });
    const judged = (id: string) => next.items.find((i) => i.utteranceId === id)!;
    expect(judged(a!.utteranceId).judgment).toBe('new');
    expect(judged(b!.utteranceId).judgment).toBe('old');
    expect(judged(c!.utteranceId)).toMatchObject({ judgment: 'neither', label: { kind: 'intent', intentId: other } });
    const history = await host.services.label.getHistory({ utteranceId: a!.utteranceId, limit: 1 });
    expect(history[0]?.after).toEqual(a!.to === null ? { kind: 'none' } : { kind: 'intent', intentId: a!.to });
    expect(next.estimate.judged).toBe(state.estimate.judged + 3);
    expect(next.estimate.low).toBeLessThanOrEqual(next.estimate.estimate);
    expect(next.estimate.high).toBeGreaterThanOrEqual(next.estimate.estimate);
    // The push gate reads the same estimate for the replayed version (and none for another).
    const check = await host.services.gate.checkVersion({ version: result!.version });
    expect(check.netChange).toEqual({ estimate: next.estimate.estimate, low: next.estimate.low, high: next.estimate.high, judged: next.estimate.judged });
    expect(check.reasons.some((r) => r.kind === 'negativeNetChange')).toBe(next.estimate.estimate < 0);
    expect(await host.replay.netChangeOf(result!.version + 1)).toBeNull();
  });

  it('refuses an utterance outside the sample', async () => {
    await expect(host.services.replay.judge({ utteranceId: 'nope#1', judgment: 'new' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
