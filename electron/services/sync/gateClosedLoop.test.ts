import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateClosedLoop, type CandidateOutcome, type ClosedLoopResult } from './testGateLoop';
import { tempRoot } from './testPlatform';

let temp: Awaited<ReturnType<typeof tempRoot>>;
let result: ClosedLoopResult;

/** True when the estimate's 95% interval holds the true change (a hair of slack for float sums). */
const covers = (o: CandidateOutcome): boolean => o.estimate.low - 1e-9 <= o.trueDelta && o.trueDelta <= o.estimate.high + 1e-9;

beforeAll(async () => {
  temp = await tempRoot('callsift-gate-loop-');
  result = await runGateClosedLoop({ root: temp.root, seed: 15, judgments: 200, log: (line) => console.info(line) });
}, 120_000);

afterAll(async () => {
  await temp?.remove();
});

describe('the release gate closed loop with judgments (reference platform, simulator truth)', () => {
  it('judges 200 changed turns of each candidate, by replay.judge, out of more changes than that', () => {
    for (const o of [result.good, result.bad]) {
      expect(o.changed).toBeGreaterThan(200);
      expect(o.estimate.judged).toBe(200);
      // What the replay counted as changed is what the candidate's artifact changes on the platform's stored answers.
      expect(o.trueChanged).toBe(o.changed);
    }
    expect(result.good.judgeCalls).toBe(200);
    expect(result.bad.judgeCalls).toBeGreaterThan(0);
  });

  it('estimates the net change with a 95% interval that holds the true change on the simulator’s traffic', () => {
    expect(covers(result.good)).toBe(true);
    expect(covers(result.bad)).toBe(true);
    // The interval is an interval (the sample is a part of the changes), and the two candidates are told apart.
    expect(result.good.estimate.high - result.good.estimate.low).toBeGreaterThan(0);
    expect(result.good.trueDelta).toBeGreaterThan(result.bad.trueDelta);
  });

  it('passes the good candidate and stops the one trained with 20% of the critical labels flipped', () => {
    expect(result.flipped).toBeGreaterThan(result.criticalLabels * 0.1);
    expect(result.good).toMatchObject({ passed: true, brokenCases: 0, reasons: [] });
    expect(result.good.estimate.estimate).toBeGreaterThanOrEqual(0);
    expect(result.bad.passed).toBe(false);
    expect(result.bad.reasons.length).toBeGreaterThan(0);
    expect(result.bad.brokenCases > 0 || result.bad.estimate.estimate < 0).toBe(true);
  });
});
