import { describe, expect, it } from 'vitest';
import { createRng } from '../../../shared/ml/random';
import type { ServiceHost } from '../index';
import { refusal, truthsOf, type TestPlatform } from './testPlatform';
import { useTestPlatform } from './testPlatformHooks';

/** Compliance-critical intents of the demo stream; request_human_agent is also the transfer to a person. */
const CRITICAL = ['stop_calling', 'complaint', 'request_human_agent', 'deny_transaction_fraud'];
const HOUR = 3_600_000;

let tp: TestPlatform;
let host: ServiceHost;

useTestPlatform({ prefix: 'callsift-gate-', name: 'gate', annotator: 'lead' }, (started) => {
  tp = started;
  host = started.host;
});

/** Simulates `calls` calls starting at `startAt`, `spacingMs` apart (simulated time), with the active model. */
const simulate = (calls: number, startAt: number, spacingMs: number) => tp.simulate(calls, startAt, spacingMs);

describe('the release gate against the reference platform', () => {
  it('passes a good candidate, stops one trained with 20% of the critical labels flipped, flags a degraded activation, and after a rollback watches the good one against its own traffic', async () => {
    // Two days ago: the traffic the team labels (outside the watch's 24-hour baseline).
    const first = await simulate(900, Date.now() - 48 * HOUR, 1000);
    await tp.sync();
    const labeled = truthsOf(first.firstSeq, first.lastSeq);
    await tp.labelAll(labeled);
    for (const id of CRITICAL) await host.services.intent.updateIntent({ id, critical: true, ...(id === 'request_human_agent' ? { transfer: true } : {}) });
    expect((await host.services.intent.listIntents({})).filter((i) => i.critical).map((i) => i.id).sort()).toEqual([...CRITICAL].sort());

    // The lead pins eight labeled utterances of each critical intent.
    const pinned: typeof labeled = [];
    for (const id of CRITICAL) pinned.push(...labeled.filter((t) => t.target.kind === 'intent' && t.target.intentId === id).slice(0, 8));
    for (const c of pinned) await host.services.gate.pinCase({ utteranceId: c.utteranceId });
    const cases = await host.services.gate.listPinnedCases({});
    expect(cases).toHaveLength(pinned.length);
    expect(cases.every((c) => c.critical && c.botPrompt !== null)).toBe(true);

    // A good candidate keeps every pinned case and is pushed without an override.
    const good = await tp.train();
    const goodCheck = await host.services.gate.checkVersion({ version: good });
    console.info(`gate: good v${good} breaks ${goodCheck.broken.length} of ${goodCheck.pinned} pinned cases`);
    expect(goodCheck).toMatchObject({ passed: true, pinned: pinned.length, broken: [], netChange: null });
    const pushedGood = await host.services.sync.pushModel({ version: good, note: 'good' });
    expect(pushedGood.created).toBe(true);

    // A candidate trained with 20% of the critical intents' labels flipped to other intents breaks pinned cases.
    const rng = createRng(15);
    const intents = (await host.services.intent.listIntents({})).filter((i) => i.status === 'active').map((i) => i.id);
    const critical = labeled.filter((t) => t.target.kind === 'intent' && CRITICAL.includes(t.target.intentId));
    const flips = critical.filter(() => rng.next() < 0.2);
    expect(flips.length).toBeGreaterThan(critical.length * 0.1);
    for (const t of flips) {
      const own = t.target.kind === 'intent' ? t.target.intentId : '';
      const others = intents.filter((i) => i !== own);
      await host.services.label.setLabel({ utteranceId: t.utteranceId, target: { kind: 'intent', intentId: others[rng.int(others.length)]! }, source: 'manual' });
    }
    const bad = await tp.train();
    const badCheck = await host.services.gate.checkVersion({ version: bad });
    console.info(`gate: flipped v${bad} breaks ${badCheck.broken.length} of ${badCheck.pinned} pinned cases (${flips.length} of ${critical.length} critical labels flipped)`);
    expect(badCheck.passed).toBe(false);
    expect(badCheck.reasons).toEqual([{ kind: 'brokenCases', broken: badCheck.broken.length, pinned: pinned.length }]);
    expect(badCheck.broken.every((b) => b.predicted !== b.intentId)).toBe(true);
    const blocked = await refusal(host.services.sync.pushModel({ version: bad, note: 'flipped' }));
    expect(blocked.code).toBe('conflict');
    expect(blocked.details?.reason).toBe('gate_blocked');
    expect(blocked.sentences?.[0]).toEqual({ key: 'gate_broken_cases', params: { version: bad, broken: badCheck.broken.length, pinned: pinned.length } });
    expect((await host.services.sync.listPlatformModels({})).models).toHaveLength(1);

    // Activate the good model; an hour of traffic under it is the watch's baseline.
    await host.services.sync.activateModel({ platformVersion: pushedGood.platformVersion });
    const goodAt = (await host.services.sync.listPlatformModels({})).activatedAt!;
    expect(goodAt).toBeGreaterThan(Date.now() - 60_000);
    const calm = await host.services.gate.getWatch({});
    expect(calm).toMatchObject({ state: 'watching', activeVersion: pushedGood.platformVersion, transferBasis: 'marked', transferIntents: ['request_human_agent'] });

    // The flipped candidate, with a mis-set out-of-scope threshold on top, is pushed over the gate with a note.
    await host.services.model.setOutOfScopeThreshold({ version: bad, threshold: 0.05 });
    const note = 'Lead override: testing the watch';
    const pushedBad = await host.services.sync.pushModel({ version: bad, note: 'flipped', overrideNote: note });
    const registry = await host.services.sync.listPlatformModels({});
    const kept = registry.models.find((m) => m.version === pushedBad.platformVersion)!;
    expect(kept.gateOverride).toMatchObject({ note, by: 'lead', reasons: [{ kind: 'brokenCases' }] });
    expect(registry.models.find((m) => m.version === pushedGood.platformVersion)!.gateOverride).toBeNull();

    // Baseline traffic in the hour before the bad activation, under the good model.
    const activateBadAt = Date.now() + 2000;
    await simulate(300, activateBadAt - HOUR, HOUR / 300);
    while (Date.now() < activateBadAt) await new Promise((r) => setTimeout(r, 50));
    await host.services.sync.activateModel({ platformVersion: pushedBad.platformVersion });
    const badAt = (await host.services.sync.listPlatformModels({})).activatedAt!;
    expect(badAt).toBeGreaterThanOrEqual(activateBadAt);

    // One simulated hour of traffic under the bad model: the watch flags it and says what it saw.
    await simulate(300, badAt + 1, HOUR / 300);
    await tp.sync();
    const watch = await host.services.gate.getWatch({});
    const hour = watch.firstDegraded!;
    console.info(
      `gate watch: hour ${hour?.hour} coverage ${pctOf(hour?.before.coverage)} → ${pctOf(hour?.after.coverage)}, fallback ${pctOf(hour?.before.fallback)} → ${pctOf(hour?.after.fallback)}, ` +
        `transfer ${pctOf(hour?.before.transfer)} → ${pctOf(hour?.after.transfer)} (${hour?.before.turns} / ${hour?.after.turns} turns)`,
    );
    expect(watch.state).toBe('degraded');
    expect(watch.previousVersion).toBe(pushedGood.platformVersion);
    expect(hour.hour).toBe(0);
    expect(hour.degraded).toContain('fallback');
    expect(hour.before.turns).toBeGreaterThan(200);

    // The lead rolls back at the end of that simulated hour (the platform dated in simulated time), and the good model
    // answers the next hour as it did before: the watch follows it from the rollback, against its own hour before
    // the bad activation, leaving the bad model's hour out of both sides.
    const rolledBackAt = badAt + HOUR;
    await tp.platform.project.rollbackModel(rolledBackAt);
    const back = await host.services.sync.listPlatformModels({});
    expect(back).toMatchObject({ active: pushedGood.platformVersion, activatedAt: rolledBackAt, rolledBack: { version: pushedBad.platformVersion, activatedAt: badAt, rolledBackAt } });
    await simulate(300, rolledBackAt + 1, HOUR / 300);
    await tp.sync();
    const after = await host.services.gate.getWatch({});
    const backHour = after.hours[0]!;
    console.info(`gate watch after the rollback: fallback ${pctOf(backHour.before.fallback)} → ${pctOf(backHour.after.fallback)} (${backHour.before.turns} / ${backHour.after.turns} turns)`);
    expect(after).toMatchObject({ state: 'watching', activeVersion: pushedGood.platformVersion, activatedAt: rolledBackAt, firstDegraded: null });
    // The baseline is the good model's hour alone (the bad hour had as many turns again, most of them fallback).
    expect(backHour.before.turns).toBe(hour.before.turns);
    expect(Math.abs(backHour.after.fallback! - backHour.before.fallback!)).toBeLessThan(0.05);
  }, 180_000);
});

function pctOf(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
}
