import type { OutOfScopeThresholdChangeDto } from '../../shared/contract/dto';
import { formatProbability, type Translate } from './queueReason';
import { formatPercent } from './percent';

/**
 * Why the default out-of-scope threshold moved, in sentences: from what to what, the labels each was measured on, and
 * what the old and the new threshold flag on the new labels; and that a user's chosen threshold stays when it does.
 * `count` formats whole numbers in the UI's locale.
 */
export function describeThresholdChange(change: OutOfScopeThresholdChangeDto, t: Translate, count: (n: number) => string): string[] {
  const from = formatProbability(change.from);
  const to = formatProbability(change.to);
  const parts = [
    t('models.thresholdChange.moved', { from, to, v: change.previousVersion }),
    t('models.thresholdChange.data', {
      before: count(change.previousExamples),
      now: count(change.examples),
      oosBefore: count(change.previousOutOfScopeExamples),
      oos: count(change.outOfScopeExamples),
    }),
  ];
  const flaggedFrom = formatPercent(change.atFrom.inScopeFlagged);
  const flaggedTo = formatPercent(change.atTo.inScopeFlagged);
  if (change.atFrom.oosRecall !== null && change.atTo.oosRecall !== null) {
    parts.push(
      t('models.thresholdChange.figures', {
        from,
        to,
        flaggedFrom,
        flaggedTo,
        recallFrom: formatPercent(change.atFrom.oosRecall),
        recallTo: formatPercent(change.atTo.oosRecall),
      }),
    );
  } else {
    parts.push(t('models.thresholdChange.figuresWithoutExamples', { from, to, flaggedFrom, flaggedTo }));
  }
  if (!change.applied) parts.push(t('models.thresholdChange.chosenKept', {}));
  return parts;
}
