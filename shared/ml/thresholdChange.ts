import type { OutOfScopeThresholdChangeDto } from '../contract/dto';
import { outOfScopeFiguresAt } from './outOfScope';

/**
 * A change of the default (measured) out-of-scope threshold that users would notice, with the figures behind it: the
 * contract's OutOfScopeThresholdChangeDto but for whether the change is applied, which the model service knows.
 */
export type ThresholdChange = Omit<OutOfScopeThresholdChangeDto, 'applied'>;

/** The previous version's measured threshold and what it was measured on. */
export interface MeasuredBefore {
  readonly version: number;
  readonly threshold: number;
  readonly examples: number;
  readonly outOfScopeExamples: number;
}

/** This version's measured threshold and the scores it was measured on. */
export interface MeasuredNow {
  readonly threshold: number;
  readonly examples: number;
  /** Out-of-fold out-of-scope scores of the in-scope labeled utterances. */
  readonly inScope: Float32Array;
  /** Out-of-scope scores of the utterances labeled "none of these". */
  readonly outOfScope: Float32Array;
}

/** Smallest move of the measured threshold that is explained. */
export const NOTICEABLE_THRESHOLD_CHANGE = 0.05;

/**
 * Why the default out-of-scope threshold moved between two versions, in figures: both thresholds, the labels each was
 * measured on, and what each flags on the new labels (false alarms among in-scope utterances, share of "none of
 * these" caught). Null when there is no previous measurement or it moved by less than `minChange`.
 */
export function measureThresholdChange(before: MeasuredBefore | null, now: MeasuredNow, minChange = NOTICEABLE_THRESHOLD_CHANGE): ThresholdChange | null {
  if (!before || !(Math.abs(now.threshold - before.threshold) >= minChange)) return null;
  return {
    previousVersion: before.version,
    from: before.threshold,
    to: now.threshold,
    previousExamples: before.examples,
    examples: now.examples,
    previousOutOfScopeExamples: before.outOfScopeExamples,
    outOfScopeExamples: now.outOfScope.length,
    atFrom: outOfScopeFiguresAt(now.inScope, now.outOfScope, before.threshold),
    atTo: outOfScopeFiguresAt(now.inScope, now.outOfScope, now.threshold),
  };
}
