import { loadModelArtifact } from './modelArtifact';
import { predictWithOutOfScope } from './outOfScope';
import { topTwo } from './uncertainty';

/** What a deployed model says of one utterance: its intent, or null ("no match"), and its top probability. */
export interface ArtifactPrediction {
  readonly intent: string | null;
  readonly confidence: number;
}

/**
 * Predicts texts with a model artifact as the platform serves it: the most probable intent, or null when the
 * out-of-scope score (`predictWithOutOfScope`) is at or above the artifact's threshold; confidence = the top
 * calibrated probability.
 * The app and the reference platform both use this, so they agree byte for byte.
 */
export function createArtifactPredictor(artifact: unknown): (texts: readonly string[]) => ArtifactPrediction[] {
  const { model, outOfScopeThreshold } = loadModelArtifact(artifact);
  return (texts) => {
    const { probs, outOfScope } = predictWithOutOfScope(model, texts);
    const top = topTwo(probs, model.classes);
    return texts.map((_, r) => {
      const confidence = top.firstProb[r]!;
      return { intent: outOfScope[r]! >= outOfScopeThreshold ? null : model.labels[top.first[r]!]!, confidence };
    });
  };
}
