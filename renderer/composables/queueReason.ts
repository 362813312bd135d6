import type { QueueId, QueueItem, QueueReason } from '../../shared/contract/dto';
import type { LabelTarget } from '../../shared/domain/types';
import { formatPercent } from './percent';

/** The queues the intent model ranks; each item carries a reason. */
export const rankedQueues: readonly QueueId[] = ['uncovered', 'informative', 'mislabeled', 'disagreements'];

/** True for the queues the intent model ranks. */
export function isRankedQueue(queue: QueueId): boolean {
  return rankedQueues.includes(queue);
}

/** True for the review queues, where A accepts the model's suggestion and K keeps the label. */
export function isReviewQueue(queue: QueueId): boolean {
  return queue === 'mislabeled' || queue === 'disagreements';
}

/** A translation function with named values, as vue-i18n's `t`. */
export type Translate = (key: string, named: Record<string, unknown>) => string;

/** What the reason words need: translations and intent names. */
export interface ReasonWords {
  readonly t: Translate;
  readonly nameOf: (intentId: string) => string;
}

/** A probability in [0,1] with two decimals. */
export function formatProbability(p: number): string {
  return p.toFixed(2);
}

/** The name a label target reads as. */
export function targetName(target: LabelTarget | null | undefined, words: ReasonWords): string {
  if (!target) return words.t('reason.unlabeled', {});
  if (target.kind === 'intent') return words.nameOf(target.intentId);
  return words.t(target.kind === 'none' ? 'label.noneLabel' : 'label.badLabel', {});
}

/** The model's suggestion for a reviewed item: the intent, its probability (from `top` when the suggestion lacks one) and the label's quality. */
export interface Suggestion {
  readonly intentId: string;
  readonly probability: number | null;
  readonly labelQuality: number | null;
}

/** The intent the model suggests instead of the label, or null when it suggests nothing. */
export function suggestionOf(reason: QueueReason | undefined): Suggestion | null {
  if (!reason) return null;
  const intentId = reason.suggestion?.intentId ?? reason.modelIntent;
  if (!intentId) return null;
  const given = reason.suggestion?.probability;
  const fromTop = reason.top.find((p) => p.intentId === intentId)?.probability;
  const probability = typeof given === 'number' ? given : typeof fromTop === 'number' ? fromTop : null;
  return { intentId, probability, labelQuality: typeof reason.labelQuality === 'number' ? reason.labelQuality : null };
}

/** How many of the model's candidates a reason names: the top three, as the picker's Q W E row offers them. */
export const REASON_CANDIDATES = 3;

/**
 * The model's confidence and its top candidates as the picker offers them (up to three, best first):
 * "model 41% sure; top three A 0.41 / B 0.37 / C 0.12" ("top two" when the model has only two).
 */
function describeModel(reason: QueueReason, words: ReasonWords): string[] {
  const top = reason.top.slice(0, REASON_CANDIDATES);
  const first = top[0];
  if (!first) return [];
  const parts = [words.t('reason.modelSure', { p: formatPercent(first.probability) })];
  if (top.length >= 2) {
    const list = top.map((c) => `${words.nameOf(c.intentId)} ${formatProbability(c.probability)}`).join(' / ');
    parts.push(words.t(top.length === 3 ? 'reason.topThree' : 'reason.topTwo', { list }));
  }
  return parts;
}

function describePlatform(item: QueueItem, words: ReasonWords): string {
  if (item.predictedIntent === null) return words.t('reason.platformNoMatch', {});
  const p = item.predictedConfidence;
  return words.t('reason.platform', { name: words.nameOf(item.predictedIntent), p: typeof p === 'number' ? formatPercent(p) : '–' });
}

/** Options of describeReason. */
export interface DescribeOptions {
  /** Leave out the label and the suggestion (the Label view shows them beside the reason). */
  readonly withoutLabel?: boolean;
}

/**
 * Why `item` is in the ranked queue `queue`, as phrases to join, the telling one first: for Likely mislabeled the label
 * against the suggestion and its quality, for Disagreements the model's and the platform's word; then the model's
 * confidence and top candidates, and the platform's "no match" where it matters. Empty without a reason.
 */
export function describeReason(queue: QueueId, item: QueueItem, words: ReasonWords, options: DescribeOptions = {}): string[] {
  const reason = item.reason;
  if (!reason) return [];
  const model = describeModel(reason, words);
  const withLabel = options.withoutLabel !== true;
  if (queue === 'uncovered') {
    return [...model, describePlatform(item, words), words.t('reason.outOfScope', { s: formatProbability(reason.outOfScopeScore) })];
  }
  if (queue === 'mislabeled') {
    const s = suggestionOf(reason);
    const parts: string[] = [];
    if (s && withLabel) parts.push(words.t('reason.labelVsSuggestion', { label: targetName(item.label?.target, words), suggestion: words.nameOf(s.intentId) }));
    if (s?.labelQuality != null && withLabel) parts.push(words.t('reason.labelQuality', { p: formatPercent(s.labelQuality) }));
    parts.push(...model);
    if (item.predictedIntent === null) parts.push(describePlatform(item, words));
    return parts;
  }
  if (queue === 'disagreements') {
    const parts: string[] = [];
    const modelIntent = reason.modelIntent ?? reason.top[0]?.intentId;
    if (withLabel) parts.push(words.t('reason.label', { name: targetName(item.label?.target, words) }));
    if (modelIntent) parts.push(words.t('reason.modelSays', { name: words.nameOf(modelIntent) }));
    parts.push(describePlatform(item, words), ...model);
    return parts;
  }
  return item.predictedIntent === null ? [...model, describePlatform(item, words)] : model;
}
