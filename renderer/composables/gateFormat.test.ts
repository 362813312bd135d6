import { describe, expect, it } from 'vitest';
import { dayStart, defaultReplayDays, nextDayStart, percentText, pointsText, replayProgress } from './gateFormat';

describe('gateFormat', () => {
  it('weighs the replay phases into one progress', () => {
    expect(replayProgress('reading', 1)).toBeCloseTo(0.05);
    expect(replayProgress('predicting', 0.5)).toBeCloseTo(0.5);
    expect(replayProgress('comparing', 1)).toBeCloseTo(1);
  });

  it('words shares and signed points', () => {
    expect(percentText(0.1234)).toBe('12.3%');
    expect(pointsText(0.0123)).toBe('+1.2');
    expect(pointsText(-0.004)).toBe('−0.4');
    expect(pointsText(0.0004)).toBe('0.0');
  });

  it('defaults to the last seven days of the traffic, in local days', () => {
    const first = new Date(2026, 10, 1, 9).getTime();
    const last = new Date(2026, 10, 20, 17).getTime();
    expect(defaultReplayDays({ first, last })).toEqual([new Date(2026, 10, 14).getTime(), new Date(2026, 10, 20).getTime()]);
    expect(defaultReplayDays({ first: new Date(2026, 10, 19, 8).getTime(), last })).toEqual([new Date(2026, 10, 19).getTime(), new Date(2026, 10, 20).getTime()]);
    expect(dayStart(last)).toBe(new Date(2026, 10, 20).getTime());
    expect(nextDayStart(last)).toBe(new Date(2026, 10, 21).getTime());
  });
});
