import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { DEFAULT_WATCH_RULE, degradedShares, looksLikeTransfer, sharesOf, watchHours, type WatchedTurn } from './watch';

const HOUR = 3_600_000;
const isTransfer = (intent: string): boolean => intent === 'human';

describe('sharesOf', () => {
  it('counts coverage (with an intent, at or above the confidence), fallback and transfer', () => {
    const turns: WatchedTurn[] = [
      { at: 0, intent: 'a', confidence: 0.9 },
      { at: 0, intent: 'a', confidence: 0.4 },
      { at: 0, intent: null, confidence: 0.1 },
      { at: 0, intent: 'human', confidence: 0.5 },
    ];
    expect(sharesOf(turns, isTransfer, 0.5)).toEqual({ turns: 4, coverage: 0.5, fallback: 0.25, transfer: 0.25 });
    expect(sharesOf([], isTransfer, 0.5)).toEqual({ turns: 0, coverage: null, fallback: null, transfer: null });
  });
});

describe('degradedShares', () => {
  const rule = { ...DEFAULT_WATCH_RULE, minTurns: 10, maxChange: 0.05 };
  const base = { turns: 100, coverage: 0.8, fallback: 0.1, transfer: 0.05 };

  it('names each share that moved the wrong way by more than the threshold', () => {
    expect(degradedShares(base, { turns: 100, coverage: 0.74, fallback: 0.16, transfer: 0.05 }, rule)).toEqual(['coverage', 'fallback']);
    expect(degradedShares(base, { turns: 100, coverage: 0.76, fallback: 0.14, transfer: 0.11 }, rule)).toEqual(['transfer']);
    expect(degradedShares(base, { turns: 100, coverage: 0.9, fallback: 0.0, transfer: 0.0 }, rule)).toEqual([]);
  });

  it('judges nothing on too few turns', () => {
    expect(degradedShares(base, { turns: 9, coverage: 0, fallback: 1, transfer: 1 }, rule)).toEqual([]);
  });
});

describe('watchHours', () => {
  const A = Date.UTC(2026, 0, 10, 12);
  const rule = { ...DEFAULT_WATCH_RULE, minTurns: 5 };

  it('compares each hour after activation with the same hour the day before when it has enough turns', () => {
    const turns: WatchedTurn[] = [];
    // The day before, at the hour of activation: all covered. Two hours before activation: all fallback.
    for (let i = 0; i < 5; i++) turns.push({ at: A - 24 * HOUR + i * 1000, intent: 'a', confidence: 0.9 });
    for (let i = 0; i < 5; i++) turns.push({ at: A - 2 * HOUR + i * 1000, intent: null, confidence: 0.1 });
    // Hour 0 after: half covered. Hour 1 after: nothing the day before, so the pooled 24 h (5 covered, 5 fallback).
    for (let i = 0; i < 6; i++) turns.push({ at: A + i * 1000, intent: i % 2 ? 'a' : null, confidence: 0.9 });
    for (let i = 0; i < 6; i++) turns.push({ at: A + HOUR + i * 1000, intent: 'a', confidence: 0.9 });
    const hours = watchHours(turns, A, isTransfer, rule);
    expect(hours.map((h) => h.hour)).toEqual([0, 1]);
    expect(hours[0]!.before).toEqual({ turns: 5, coverage: 1, fallback: 0, transfer: 0 });
    expect(hours[0]!.after).toEqual({ turns: 6, coverage: 0.5, fallback: 0.5, transfer: 0 });
    expect(hours[0]!.degraded).toEqual(['coverage', 'fallback']);
    expect(hours[1]!.before).toEqual({ turns: 10, coverage: 0.5, fallback: 0.5, transfer: 0 });
    expect(hours[1]!.degraded).toEqual([]);
    expect(hours[1]!.start).toBe(A + HOUR);
  });

  it('flags a synthetic degradation and only it (known answer)', () => {
    const rng = createRng(7);
    const traffic = (from: number, hours: number, covered: number, perHour: number): WatchedTurn[] =>
      Array.from({ length: hours * perHour }, (_, i) => {
        const r = rng.next();
        return { at: from + (i / perHour) * HOUR, intent: r < covered ? 'a' : r < covered + 0.03 ? 'human' : null, confidence: 0.9 };
      });
    const before = traffic(A - 24 * HOUR, 24, 0.85, 200);
    const good = watchHours([...before, ...traffic(A, 3, 0.86, 200)], A, isTransfer, rule);
    expect(good.every((h) => h.degraded.length === 0)).toBe(true);
    const bad = watchHours([...before, ...traffic(A, 1, 0.6, 200)], A, isTransfer, rule);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.degraded).toEqual(expect.arrayContaining(['coverage', 'fallback']));
  });
});

describe('watchHours after a rollback', () => {
  it('follows the re-activated version from the rollback, leaving the rolled-back version’s traffic out (simulated hours)', () => {
    const rng = createRng(11);
    const rule = { ...DEFAULT_WATCH_RULE, minTurns: 30 };
    const traffic = (from: number, hours: number, covered: number, perHour: number): WatchedTurn[] =>
      Array.from({ length: hours * perHour }, (_, i) => ({ at: from + (i / perHour) * HOUR, intent: rng.next() < covered ? 'a' : null, confidence: 0.9 }));
    // v1 answered for six hours; v2 went live at B and answered three busy hours (it covers everything, wrongly);
    // the lead rolled back to v1 at R, which then answers two hours just as it did before.
    const B = Date.UTC(2026, 0, 10, 12);
    const R = B + 3 * HOUR;
    const turns = [...traffic(B - 6 * HOUR, 6, 0.85, 200), ...traffic(B, 3, 0.99, 2000), ...traffic(R, 2, 0.85, 200)];
    const naive = watchHours(turns, R, isTransfer, rule);
    expect(naive[0]!.degraded).toContain('coverage');
    const followed = watchHours(turns, R, isTransfer, rule, 24, B);
    expect(followed.map((h) => h.hour)).toEqual([0, 1]);
    expect(followed.every((h) => h.degraded.length === 0)).toBe(true);
    expect(followed[0]!.before.turns).toBe(1200);
    expect(followed[0]!.after.turns).toBe(200);
  });
});

describe('looksLikeTransfer', () => {
  it('knows transfer-to-a-person intents by id or name', () => {
    expect(looksLikeTransfer('request_human_agent', '要求转人工')).toBe(true);
    expect(looksLikeTransfer('i7', '转接客服')).toBe(true);
    expect(looksLikeTransfer('stop_calling', '别再打了')).toBe(false);
  });
});
