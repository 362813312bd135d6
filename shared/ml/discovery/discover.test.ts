import { describe, expect, it } from 'vitest';
import { normalizedMutualInfo } from './clusterMetrics';
import { discoverClusters, type DiscoveryResult } from './discover';
import { EN_KNOWN, EN_THEMES, flattenKnown, flattenThemes, ZH_FEW_KNOWN, ZH_KNOWN, ZH_THEMES } from './handMadeSets';

function expectPartitionShape(result: DiscoveryResult, texts: number): void {
  const seen = new Int32Array(texts);
  result.clusters.forEach((cluster, c) => {
    expect(cluster.memberSimilarity.length).toBe(cluster.members.length);
    expect(cluster.lowConfidence.length).toBe(cluster.members.length);
    for (let m = 0; m < cluster.members.length; m++) {
      seen[cluster.members[m]!]!++;
      expect(result.assignment[cluster.members[m]!]).toBe(c);
      expect(cluster.memberSimilarity[m]).toBeGreaterThanOrEqual(0);
      expect(cluster.memberSimilarity[m]).toBeLessThanOrEqual(1);
      if (m > 0) expect(cluster.memberSimilarity[m]!).toBeLessThanOrEqual(cluster.memberSimilarity[m - 1]!);
    }
    expect(cluster.cohesion).toBeGreaterThanOrEqual(0);
    expect(cluster.cohesion).toBeLessThanOrEqual(1);
    if (c > 0) expect(cluster.members.length).toBeLessThanOrEqual(result.clusters[c - 1]!.members.length);
  });
  expect(Array.from(seen).every((count) => count === 1)).toBe(true);
}

describe.each([
  ['English', EN_THEMES, EN_KNOWN],
  ['Chinese', ZH_THEMES, ZH_KNOWN],
] as const)('discoverClusters on three %s themes with four known intents', (_language, themes, known) => {
  const { texts, truth } = flattenThemes(themes);
  const result = discoverClusters({ texts, ...flattenKnown(known), seed: 3 });

  it('recovers the three themes exactly (k = 3, NMI = 1)', () => {
    expectPartitionShape(result, texts.length);
    expect(result.clusters.length).toBe(3);
    expect(normalizedMutualInfo(result.assignment, truth)).toBeCloseTo(1, 10);
    expect(result.calibrated).toBe(true);
  });

  it('gives representatives, outliers and nearest known intents', () => {
    for (const cluster of result.clusters) {
      expect(cluster.representatives.length).toBe(5);
      expect(cluster.outliers.length).toBe(5);
      expect(cluster.representatives[0]).toBe(cluster.members[0]);
      expect(cluster.outliers[0]).toBe(cluster.members[cluster.members.length - 1]);
      expect(cluster.nearestIntents.length).toBe(3);
      expect(cluster.nearestIntents[0]!.similarity).toBeGreaterThanOrEqual(cluster.nearestIntents[1]!.similarity);
    }
  });
});

describe('discoverClusters', () => {
  const { texts } = flattenThemes(EN_THEMES);
  const known = flattenKnown(EN_KNOWN);

  it('handles no texts, one text and identical texts', () => {
    expect(discoverClusters({ texts: [], ...known, seed: 1 }).clusters).toEqual([]);
    const one = discoverClusters({ texts: ['hello there'], ...known, seed: 1 });
    expect(one.clusters.length).toBe(1);
    expect(Array.from(one.clusters[0]!.members)).toEqual([0]);
    const same = discoverClusters({ texts: ['Play music', 'play music!', 'PLAY  MUSIC'], knownTexts: [], knownLabels: [], seed: 1 });
    expect(same.distinctTexts).toBe(1);
    expect(same.clusters.length).toBe(1);
    expect(Array.from(same.assignment)).toEqual([0, 0, 0]);
    expect(Array.from(same.clusters[0]!.representatives)).toEqual([0]);
  });

  it('folds near-duplicates and weighs them', () => {
    const doubled = [...texts, 'What is the weather like today?', 'WHAT IS THE WEATHER LIKE TODAY', '明天会下雨吗', '明天 会下雨吗？'];
    const result = discoverClusters({ texts: doubled, ...known, seed: 3 });
    expect(result.distinctTexts).toBe(texts.length + 1);
    expect(result.assignment[texts.length]).toBe(result.assignment[0]);
    expect(result.assignment[texts.length + 1]).toBe(result.assignment[0]);
    expect(result.assignment[texts.length + 2]).toBe(result.assignment[texts.length + 3]);
    const weather = result.clusters[result.assignment[0]!]!;
    expect(Array.from(weather.representatives).filter((i) => i === texts.length || i === texts.length + 1)).toEqual([]);
  });

  it('attaches a straggler to its nearest cluster with a low-confidence mark instead of dropping it', () => {
    const withStraggler = [...texts, 'my neighbour painted the fence purple'];
    const result = discoverClusters({ texts: withStraggler, ...known, seed: 3 });
    expectPartitionShape(result, withStraggler.length);
    expect(result.clusters.length).toBe(3);
    const cluster = result.clusters[result.assignment[texts.length]!]!;
    const position = Array.from(cluster.members).indexOf(texts.length);
    expect(cluster.lowConfidence[position]).toBe(1);
    expect(result.lowConfidence).toBeGreaterThanOrEqual(1);
    expect(result.lowConfidence).toBeLessThanOrEqual(2);
  });

  it('works without known intents (default threshold) on mixed Chinese and English', () => {
    const mixed = [...flattenThemes(EN_THEMES).texts, ...flattenThemes(ZH_THEMES).texts];
    const result = discoverClusters({ texts: mixed, knownTexts: [], knownLabels: [], seed: 5 });
    expectPartitionShape(result, mixed.length);
    expect(result.calibrated).toBe(false);
    expect(result.clusters.length).toBeGreaterThanOrEqual(2);
    for (const cluster of result.clusters) expect(cluster.nearestIntents).toEqual([]);
  });

  it('is deterministic for a seed and reports progress in [0, 1]', () => {
    const progress: number[] = [];
    const a = discoverClusters({ texts, ...known, seed: 9 }, (done) => progress.push(done));
    const b = discoverClusters({ texts, ...known, seed: 9 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(a.clusters.map((c) => c.cohesion)).toEqual(b.clusters.map((c) => c.cohesion));
    expect(progress.length).toBeLessThanOrEqual(20);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((p, i) => p >= 0 && p <= 1 && (i === 0 || p >= progress[i - 1]!))).toBe(true);
  });
});

describe.each([
  ['three Chinese known intents (退款/挂失/投诉)', ZH_THEMES, ZH_FEW_KNOWN, true],
  ['two Chinese known intents', ZH_THEMES, ZH_FEW_KNOWN.slice(0, 2), false],
  ['three English known intents', EN_THEMES, EN_KNOWN.slice(0, 3), true],
  ['two English known intents', EN_THEMES, EN_KNOWN.slice(0, 2), false],
] as const)('discoverClusters with few known intents: %s', (_name, themes, known, calibrated) => {
  const { texts, truth } = flattenThemes(themes);

  it.each([1, 2, 3])('recovers the three themes (seed %i): no giant merged cluster, no over-splitting', (seed) => {
    const result = discoverClusters({ texts, ...flattenKnown(known), seed });
    expectPartitionShape(result, texts.length);
    expect(result.calibrated).toBe(calibrated);
    expect(result.cohesionFloor).toBeGreaterThan(0);
    expect(result.clusters.length).toBe(3);
    expect(normalizedMutualInfo(result.assignment, truth)).toBeCloseTo(1, 10);
  });
});

it('merges Chinese themes when the cut rests on three known intents alone (cohesion floor off: the failure it guards against)', () => {
  const { texts } = flattenThemes(ZH_THEMES);
  const result = discoverClusters({ texts, ...flattenKnown(ZH_FEW_KNOWN), seed: 1, options: { cohesionScale: 0 } });
  expect(result.clusters.length).toBeLessThan(3);
  expect(result.clusters[0]!.members.length).toBeGreaterThan(texts.length / 2);
});

describe('discoverClusters with minClusters', () => {
  it('splits one theme into at least two clusters when asked (re-clustering a cluster)', () => {
    const theme = [...EN_THEMES[2]!];
    const whole = discoverClusters({ texts: theme, ...flattenKnown(EN_KNOWN), seed: 2 });
    expect(whole.clusters.length).toBe(1);
    const split = discoverClusters({ texts: theme, ...flattenKnown(EN_KNOWN), seed: 2, minClusters: 2 });
    expect(split.clusters.length).toBeGreaterThanOrEqual(2);
    expectPartitionShape(split, theme.length);
  });

  it('cannot split fewer distinct texts than asked', () => {
    const result = discoverClusters({ texts: ['play music', 'Play music!'], knownTexts: [], knownLabels: [], seed: 2, minClusters: 2 });
    expect(result.clusters.length).toBe(1);
  });
});
