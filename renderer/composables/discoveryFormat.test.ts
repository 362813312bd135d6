import { describe, expect, it } from 'vitest';
import type { ExpansionCandidate, LabeledText } from '../../shared/contract/dto';
import {
  discoveryProgress,
  foldedText,
  formatScore,
  rankConfusedPairs,
  relabelChoices,
  groupByIntent,
  foldCandidates,
  remainingCandidates,
  selectionAfterChange,
  shareBarWidth,
  stepSelection,
} from './discoveryFormat';

describe('discovery formatting', () => {
  it('formats scores', () => {
    expect(formatScore(0.8765)).toBe('0.88');
  });

  it('scales the traffic bar to the biggest cluster, with a visible minimum', () => {
    expect(shareBarWidth(0.2, 0.2)).toBe(100);
    expect(shareBarWidth(0.05, 0.2)).toBe(25);
    expect(shareBarWidth(0.0001, 0.2)).toBe(2);
    expect(shareBarWidth(0.1, 0)).toBe(2);
  });

  it('shows folded duplicates with their count', () => {
    expect(foldedText({ text: '我要退保', count: 3 })).toBe('我要退保 ×3');
    expect(foldedText({ text: 'cancel it', count: 1 })).toBe('cancel it');
  });
});

describe('moving the selection', () => {
  const ids = ['c1', 'c2', 'c3'];

  it('steps and clamps at the ends', () => {
    expect(stepSelection(ids, 'c1', 1)).toBe('c2');
    expect(stepSelection(ids, 'c3', 1)).toBe('c3');
    expect(stepSelection(ids, 'c1', -1)).toBe('c1');
    expect(stepSelection(ids, 'gone', 1)).toBe('c1');
    expect(stepSelection(ids, null, -1)).toBe('c1');
    expect(stepSelection([], 'c1', 1)).toBeNull();
  });

  it('keeps the selection, or moves to the next cluster when the selected one left the list', () => {
    expect(selectionAfterChange(ids, ['c1', 'c2', 'c3'], 'c2')).toBe('c2');
    expect(selectionAfterChange(ids, ['c1', 'c3'], 'c2')).toBe('c3');
    expect(selectionAfterChange(ids, ['c1', 'c2'], 'c3')).toBe('c2');
    expect(selectionAfterChange(ids, ['c2.1', 'c2.2', 'c3'], 'c2')).toBe('c3');
    expect(selectionAfterChange(ids, ['x'], 'c2')).toBe('x');
    expect(selectionAfterChange(ids, [], 'c2')).toBeNull();
    expect(selectionAfterChange([], ['c1'], null)).toBe('c1');
  });
});

describe('expansion and cleanup helpers', () => {
  it('offers the other intents of a conflicting group, once each', () => {
    const items: LabeledText[] = [
      { utteranceId: 'u1', text: '好的', intentId: 'yes' },
      { utteranceId: 'u2', text: '好的', intentId: 'ok' },
      { utteranceId: 'u3', text: '好的', intentId: 'ok' },
      { utteranceId: 'u4', text: '好的', intentId: 'agree' },
    ];
    expect(relabelChoices(items, items[0]!)).toEqual(['ok', 'agree']);
    expect(relabelChoices(items, items[1]!)).toEqual(['yes', 'agree']);
  });

  it('groups a conflicting group by intent, biggest first', () => {
    const item = (id: string, intentId: string, text = '嗯，我是'): LabeledText => ({ utteranceId: id, text, intentId });
    const groups = groupByIntent([item('u1', 'a'), item('u2', 'b'), item('u3', 'b', '嗯 我是'), item('u4', 'c'), item('u5', 'a'), item('u6', 'b')]);
    expect(groups.map((g) => g.texts)).toEqual([['嗯，我是', '嗯 我是'], ['嗯，我是'], ['嗯，我是']]);
    expect(groups.map((g) => [g.intentId, g.items.map((i) => i.utteranceId)])).toEqual([
      ['b', ['u2', 'u3', 'u6']],
      ['a', ['u1', 'u5']],
      ['c', ['u4']],
    ]);
  });

  it('drops accepted and skipped candidates, keeping the order', () => {
    const c = (id: string): ExpansionCandidate => ({ utteranceId: id, callId: 'k', text: id, similarity: 0.5 });
    expect(remainingCandidates([c('a'), c('b'), c('c')], new Set(['b'])).map((x) => x.utteranceId)).toEqual(['a', 'c']);
  });

  it('folds candidates with the same text into one row', () => {
    const c = (id: string, text: string, similarity: number): ExpansionCandidate => ({ utteranceId: id, callId: `k${id}`, text, similarity });
    expect(foldCandidates([c('a', '可以', 0.4), c('b', '开发票', 0.35), c('c', '可以', 0.3)])).toEqual([
      { text: '可以', similarity: 0.4, callId: 'ka', ids: ['a', 'c'] },
      { text: '开发票', similarity: 0.35, callId: 'kb', ids: ['b'] },
    ]);
  });

  it('ranks confused pairs by confusions both ways', () => {
    const ranked = rankConfusedPairs([
      { a: 'x', b: 'y', aToB: 2, bToA: 1, rate: 0.1 },
      { a: 'p', b: 'q', aToB: 1, bToA: 4, rate: 0.3 },
    ]);
    expect(ranked.map((p) => [p.a, p.count])).toEqual([
      ['p', 5],
      ['x', 3],
    ]);
  });

  it('adds the clustering phases up to one progress figure', () => {
    expect(discoveryProgress('preparing', 0)).toBe(0);
    expect(discoveryProgress('clustering', 0.5)).toBeCloseTo(0.45);
    expect(discoveryProgress('saving', 1)).toBeCloseTo(1);
    expect(discoveryProgress('describing', 2)).toBeCloseTo(0.95);
  });
});
