/** The benchmark's task: hide a seeded quarter of a dataset's intents and cluster their training utterances. */
import { createRng } from '../../shared/ml/random';
import type { Row } from '../model/data';

export interface DiscoveryTask {
  /** Training utterances of the hidden intents, to cluster. */
  readonly texts: string[];
  /** Their true intent ids (0..hidden−1). */
  readonly truth: Int32Array;
  readonly hiddenIntents: number;
  /** Training utterances of the other intents, given as labeled. */
  readonly knownTexts: string[];
  readonly knownLabels: string[];
}

/** Hides round(C/4) intents (seeded shuffle of the sorted intent names); the rest stay labeled. */
export function hideQuarter(train: readonly Row[], seed: number, share = 0.25): DiscoveryTask {
  const intents = [...new Set(train.map((r) => r.intent))].sort();
  const hidden = createRng(seed).shuffle([...intents]).slice(0, Math.max(2, Math.round(intents.length * share)));
  const hiddenId = new Map(hidden.map((name, i) => [name, i]));
  const texts: string[] = [];
  const truth: number[] = [];
  const knownTexts: string[] = [];
  const knownLabels: string[] = [];
  for (const row of train) {
    const id = hiddenId.get(row.intent);
    if (id === undefined) {
      knownTexts.push(row.text);
      knownLabels.push(row.intent);
    } else {
      texts.push(row.text);
      truth.push(id);
    }
  }
  return { texts, truth: Int32Array.from(truth), hiddenIntents: hidden.length, knownTexts, knownLabels };
}
