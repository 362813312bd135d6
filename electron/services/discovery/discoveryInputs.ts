import type { Intent } from '../../../shared/domain/types';
import { createRng, sampleIndexes } from '../../../shared/ml/random';
import type { WorkspaceStore } from '../store/workspaceStore';

/** The seed of every discovery sample and clustering: the same workspace gives the same clusters. */
export const DISCOVERY_SEED = 20261124;
/** Labeled utterances per known intent that shape the representation. */
const KNOWN_PER_INTENT = 200;

/**
 * Labeled utterances of the non-deprecated intents, at most KNOWN_PER_INTENT each (seeded sample), plus catalogue
 * examples: what shapes the clustering's representation. From the shared labeled rows.
 */
export function knownExamples(store: WorkspaceStore): { texts: string[]; labels: string[] } {
  const usable = new Map(store.intents.filter((i) => i.status !== 'deprecated').map((i) => [i.id, i]));
  const byIntent = new Map<string, string[]>();
  const rows = store.reads.labeledRows();
  rows.intentIds.forEach((id, row) => {
    if (id === null || !usable.has(id)) return;
    const list = byIntent.get(id) ?? [];
    list.push(rows.texts[row]!);
    byIntent.set(id, list);
  });
  const texts: string[] = [];
  const labels: string[] = [];
  for (const [id, intent] of usable) {
    for (const text of [...intent.examples, ...seededSample(byIntent.get(id) ?? [], KNOWN_PER_INTENT)]) {
      texts.push(text);
      labels.push(id);
    }
  }
  return { texts, labels };
}

/** What expanding `intent` compares: its examples (catalogue and labeled) and the unlabeled utterances. */
export function expansionInputs(store: WorkspaceStore, intent: Intent): { examples: string[]; candidates: number[] } {
  const rows = store.reads.labeledRows();
  const examples = [...intent.examples];
  rows.intentIds.forEach((id, row) => {
    if (id === intent.id) examples.push(rows.texts[row]!);
  });
  return { examples, candidates: [...store.reads.unlabeled()] };
}

/** The utterances labeled with an intent and their intents, in workspace order (what Cleanup compares). */
export function intentLabeledRows(store: WorkspaceStore): { rows: number[]; labelOf: string[] } {
  const labeled = store.reads.labeledRows();
  const rows: number[] = [];
  const labelOf: string[] = [];
  labeled.intentIds.forEach((id, row) => {
    if (id === null) return;
    rows.push(labeled.utterances[row]!);
    labelOf.push(id);
  });
  return { rows, labelOf };
}

/** A seeded sample of at most `max` items, in their original order. */
export function seededSample<T>(items: readonly T[], max: number): T[] {
  return items.length <= max ? [...items] : Array.from(sampleIndexes(items.length, max, createRng(DISCOVERY_SEED)), (i) => items[i]!);
}
