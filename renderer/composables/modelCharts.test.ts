import { describe, expect, it } from 'vitest';
import type { OutOfScopePointDto } from '../../shared/contract/dto';
import { confusionHeatmapOption, curvePointAt, f1BarOption, outOfScopeCurveOption, reliabilityOption, versionsOption } from './modelCharts';

describe('model charts', () => {
  it('puts the weakest intent on top of the F1 bars, by name', () => {
    const option = f1BarOption(
      [
        { intentId: 'a', precision: 1, recall: 1, f1: 0.9, support: 3 },
        { intentId: 'b', precision: 1, recall: 1, f1: 0.4567, support: 3 },
      ],
      (id) => `name-${id}`,
    );
    expect(option.yAxis).toMatchObject({ data: ['name-a', 'name-b'] });
    expect(option.series).toMatchObject([{ data: [0.9, 0.457] }]);
  });

  it('draws the diagonal and skips empty bins in the reliability diagram', () => {
    const option = reliabilityOption(
      [
        { lower: 0, upper: 0.5, count: 0, meanConfidence: 0, accuracy: 0 },
        { lower: 0.5, upper: 1, count: 4, meanConfidence: 0.8, accuracy: 0.75 },
      ],
      { confidence: 'c', accuracy: 'acc', perfect: 'p' },
    );
    expect(option.series).toMatchObject([{ name: 'p', data: [[0, 0], [1, 1]] }, { name: 'acc', data: [[0.8, 0.75, 4]] }]);
  });

  it('orders versions oldest first', () => {
    const v = (version: number, accuracy: number) => ({ version, createdAt: 0, examples: 1, intents: 1, accuracy, macroF1: accuracy, ece: 0, trainSeconds: 1, dataHash: '', outOfScopeThreshold: 0.5 });
    const option = versionsOption([v(2, 0.9), v(1, 0.8)], { accuracy: 'a', macroF1: 'f', version: (n) => `v${n}` });
    expect(option.xAxis).toMatchObject({ data: ['v1', 'v2'] });
    expect(option.series).toMatchObject([{ data: [0.8, 0.9] }, { data: [0.8, 0.9] }]);
  });
});

describe('out-of-scope threshold chart', () => {
  const labels = { threshold: 't', inScopeFlagged: 'flagged', oosRecall: 'recall', oosPrecision: 'precision', current: 'now', picked: 'new' };
  const point = (threshold: number, inScopeFlagged: number, oosRecall: number | null, oosPrecision: number | null): OutOfScopePointDto => ({ threshold, inScopeFlagged, oosRecall, oosPrecision });
  const curve = [point(0, 1, 1, 0.2), point(0.5, 0.1234, 0.75, null), point(1, 0, 0, null)];

  it('draws flagged share, recall and precision against the threshold, with a marker at the current threshold', () => {
    const option = outOfScopeCurveOption(curve, 0.5, 0.5, labels);
    expect(option.series).toMatchObject([
      { name: 'flagged', data: [[0, 1], [0.5, 0.123], [1, 0]], markLine: { data: [{ xAxis: 0.5, label: { formatter: 'now 0.50' } }] } },
      { name: 'recall', data: [[0, 1], [0.5, 0.75], [1, 0]] },
      { name: 'precision', data: [[0, 0.2], [0.5, null], [1, null]] },
    ]);
    expect(option.legend).toMatchObject({ data: ['flagged', 'recall', 'precision'] });
  });

  it('adds a dashed marker at a picked threshold and leaves out unmeasured recall and precision', () => {
    const unmeasured = curve.map((p) => ({ ...p, oosRecall: null, oosPrecision: null }));
    const option = outOfScopeCurveOption(unmeasured, 0.5, 0.3, labels);
    expect(Array.isArray(option.series) && option.series.length).toBe(1);
    expect(option.series).toMatchObject([{ markLine: { data: [{ xAxis: 0.5 }, { xAxis: 0.3, lineStyle: { type: 'dashed' }, label: { formatter: 'new 0.30' } }] } }]);
  });

  it('finds the curve point nearest a picked threshold', () => {
    expect(curvePointAt(curve, 0.4)).toBe(curve[1]);
    expect(curvePointAt(curve, 0.8)).toBe(curve[2]);
    expect(curvePointAt([], 0.5)).toBeNull();
  });
});

describe('confusion heatmap', () => {
  it('puts errors (coloured by count) and correct cells (grey) in separate series, by intent name', () => {
    const option = confusionHeatmapOption({ intents: ['a', 'b'], counts: [[5, 2], [0, 7]] }, (id) => `名-${id}`, { actual: 'act', predicted: 'pred' });
    expect(option.xAxis).toMatchObject({ data: ['名-a', '名-b'] });
    expect(option.yAxis).toMatchObject({ data: ['名-a', '名-b'], inverse: true });
    expect(option.series).toMatchObject([{ type: 'heatmap', data: [[1, 0, 2]] }, { type: 'heatmap', data: [[0, 0, 5], [1, 1, 7]] }]);
    expect(option.visualMap).toMatchObject({ min: 0, max: 2, seriesIndex: 0 });
  });
});
