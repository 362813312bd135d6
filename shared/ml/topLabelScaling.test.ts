import { describe, expect, it } from 'vitest';
import { fitTopLabelScaling, scaleTopLabel } from './topLabelScaling';

/** Rows of 2 classes whose top class (0) has probability `top`; `right` of them truly are class 0. */
function rowsAt(top: number, count: number, right: number): { probs: number[]; truth: number[] } {
  const probs: number[] = [];
  const truth: number[] = [];
  for (let r = 0; r < count; r++) {
    probs.push(top, 1 - top);
    truth.push(r < right ? 0 : 1);
  }
  return { probs, truth };
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('fitTopLabelScaling', () => {
  it("fits Platt's sigmoid with smoothed targets: two confidence levels are matched exactly", () => {
    const a = rowsAt(0.8, 20, 10);
    const b = rowsAt(0.5000001, 20, 5);
    const scaling = fitTopLabelScaling(Float32Array.from([...a.probs, ...b.probs]), Int32Array.from([...a.truth, ...b.truth]), 2);
    // 15 right, 25 wrong: targets 16/17 and 1/27; with one parameter per level the fit reproduces each level's mean target.
    const targetA = (10 * (16 / 17) + 10 * (1 / 27)) / 20;
    const targetB = (5 * (16 / 17) + 15 * (1 / 27)) / 20;
    const xA = logit(Math.fround(0.8));
    const xB = logit(Math.fround(0.5000001));
    const slope = (logit(targetA) - logit(targetB)) / (xA - xB);
    expect(scaling!.slope).toBeCloseTo(slope, 5);
    expect(scaling!.intercept).toBeCloseTo(logit(targetB) - slope * xB, 5);
  });

  it('fits nothing on too few rows, or when every top class is right', () => {
    const few = rowsAt(0.7, 20, 10);
    expect(fitTopLabelScaling(Float32Array.from(few.probs), Int32Array.from(few.truth), 2)).toBeUndefined();
    const allRight = rowsAt(0.7, 40, 40);
    expect(fitTopLabelScaling(Float32Array.from(allRight.probs), Int32Array.from(allRight.truth), 2)).toBeUndefined();
  });
});

describe('fitTopLabelScaling on confidences that barely vary', () => {
  it('refuses the steep fit that would make a 10% guess certain', () => {
    // A chance-level model over 30 classes: held-out tops 0.034–0.036, the slightly surer quarter right.
    const classes = 30;
    const probs = new Float32Array(40 * classes);
    const truth = new Int32Array(40);
    for (let r = 0; r < 40; r++) {
      const top = 0.034 + 0.002 * (r / 40);
      probs.fill((1 - top) / (classes - 1), r * classes, (r + 1) * classes);
      probs[r * classes] = top;
      truth[r] = r >= 30 ? 0 : 1;
    }
    expect(fitTopLabelScaling(probs, truth, classes)).toBeUndefined();
  });
});

describe('scaleTopLabel', () => {
  it('keeps rows summing to 1 and the others in order when the top is within float32 rounding of 1', () => {
    const rows = Float32Array.from([1 - 2 ** -23, 2 ** -25, 2 ** -26, 2 ** -26, 0.999, 0.0006, 0.0003, 0.0001]);
    const scaled = scaleTopLabel(rows.slice(), 4, { slope: 0.3, intercept: -2 });
    for (const base of [0, 4]) {
      const row = [...scaled.subarray(base, base + 4)];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(row[1]!).toBeGreaterThan(row[2]!);
      expect(row[0]!).toBeGreaterThan(row[1]!);
    }
    // The others keep their proportions: 2 : 1 : 1 and 6 : 3 : 1.
    expect(scaled[1]! / scaled[2]!).toBeCloseTo(2, 5);
    expect(scaled[5]! / scaled[7]!).toBeCloseTo(6, 4);
  });

  it('moves the top probability along the sigmoid and shares the rest in proportion', () => {
    const rows = scaleTopLabel(Float32Array.from([0.6, 0.3, 0.1, 0.2, 0.2, 0.6]), 3, { slope: 1, intercept: -Math.log(1.5) });
    expect([...rows.subarray(0, 3)].map((p) => +p.toFixed(6))).toEqual([0.5, 0.375, 0.125]);
    // Second row: top 0.6 at index 2, odds 1.5 → 1, the others × 0.5 / 0.4.
    expect([...rows.subarray(3)].map((p) => +p.toFixed(6))).toEqual([0.25, 0.25, 0.5]);
  });

  it('is the identity at slope 1, intercept 0', () => {
    const rows = Float32Array.from([0.7, 0.2, 0.1]);
    expect([...scaleTopLabel(rows.slice(), 3, { slope: 1, intercept: 0 })].map((p) => +p.toFixed(6))).toEqual([0.7, 0.2, 0.1]);
  });

  it('never lets the runner-up overtake or tie the top class', () => {
    // odds 1.5 / 3 = 0.5 would give 1/3 < 0.3 × (1 − 1/3) / 0.4 = 0.5: the floor 0.3 / 0.7 holds instead.
    const rows = scaleTopLabel(Float32Array.from([0.6, 0.3, 0.1]), 3, { slope: 1, intercept: -Math.log(3) });
    expect(rows[0]).toBeGreaterThan(rows[1]!);
    expect(rows[0]).toBeCloseTo(3 / 7, 5);
    expect(rows[0]! + rows[1]! + rows[2]!).toBeCloseTo(1, 6);
  });

  it('leaves a row with top probability 1 as it is', () => {
    expect([...scaleTopLabel(Float32Array.from([0, 1, 0]), 3, { slope: 0.5, intercept: -1 })]).toEqual([0, 1, 0]);
  });
});
