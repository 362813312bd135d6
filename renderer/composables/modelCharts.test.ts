import { describe, expect, it } from 'vitest';
import { f1BarOption, reliabilityOption, versionsOption } from './modelCharts';

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
