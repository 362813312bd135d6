import { describe, expect, it } from 'vitest';
import { formatPercent } from './percent';

describe('formatPercent', () => {
  it('shows whole percentages by default and decimals when asked', () => {
    expect(formatPercent(0.384)).toBe('38%');
    expect(formatPercent(0.1234, 1)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });

  it('never rounds a small or large value to certainty', () => {
    expect(formatPercent(0.00004)).toBe('<1%');
    expect(formatPercent(0.996)).toBe('>99%');
    expect(formatPercent(0.0004, 1)).toBe('<0.1%');
    expect(formatPercent(0.99996, 1)).toBe('>99.9%');
  });

  it('clamps values outside [0, 1] and reads NaN as 0%', () => {
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(-0.2)).toBe('0%');
    expect(formatPercent(Number.NaN)).toBe('0%');
  });
});
