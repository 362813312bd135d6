/** An utterance a bulk relabel would change, as the sweep rule sees it. */
export interface SweepItem {
  readonly id: string;
  /** Its label now. */
  readonly label: string;
  /**
   * The intent a model that never saw its label predicts for it (the out-of-fold prediction of a training row, or the
   * latest model's prediction for an utterance labeled after it was trained); null when no model scored it.
   */
  readonly modelIntent: string | null;
}

/** A bulk relabel split into the utterances to change by default and those held back for a look. */
export interface RelabelSweep {
  /** Ids to relabel: their label differs from the target and no out-of-sample model backs it. */
  readonly sweep: readonly string[];
  /** Ids whose label an out-of-sample model agrees with: not relabeled unless the lead ticks them. */
  readonly held: readonly string[];
}

/**
 * Which utterances a bulk relabel to `target` ("改标为「…」" from a group of the same words to the same question) may
 * sweep along: those already labeled `target` are left out; one whose own label an out-of-sample model predicts
 * (`modelIntent === label`, the model backs it for a reason of its own: its words or its context) is held back, so a
 * label the model supports is never overwritten silently. Both lists keep the input order.
 * References: Northcutt, Jiang, Chuang (2021), "Confident learning": out-of-sample predictions judge a given label.
 */
export function splitRelabel(items: readonly SweepItem[], target: string): RelabelSweep {
  const sweep: string[] = [];
  const held: string[] = [];
  for (const item of items) {
    if (item.label === target) continue;
    if (item.modelIntent !== null && item.modelIntent === item.label) held.push(item.id);
    else sweep.push(item.id);
  }
  return { sweep, held };
}
