/** One must-not-break case as the gate checks it: the text the model reads and the intent it must keep. */
export interface PinnedCaseInput {
  readonly id: string;
  /** The model text (`contextualText`: the utterance with its bot question and context). */
  readonly modelText: string;
  readonly intentId: string;
}

/** A pinned case a candidate breaks: what it predicts instead (null = "no match"). */
export interface BrokenCase {
  readonly id: string;
  readonly intentId: string;
  readonly predicted: string | null;
  readonly confidence: number;
}

/**
 * The pinned cases a candidate breaks: those whose predicted intent (`predictions`, index-aligned with `cases`) is not
 * the intent pinned, "no match" included. Order follows `cases`.
 */
export function findBrokenCases(
  cases: readonly PinnedCaseInput[],
  predictions: readonly { readonly intent: string | null; readonly confidence: number }[],
): BrokenCase[] {
  if (predictions.length !== cases.length) throw new Error(`findBrokenCases: ${predictions.length} predictions for ${cases.length} cases`);
  const broken: BrokenCase[] = [];
  cases.forEach((c, i) => {
    const p = predictions[i]!;
    if (p.intent !== c.intentId) broken.push({ id: c.id, intentId: c.intentId, predicted: p.intent, confidence: p.confidence });
  });
  return broken;
}
