/**
 * Labels at which a learning curve (accuracy `acc[i]` after `labels[i]` labels, labels ascending) first reaches
 * `target`, interpolating linearly between the two rounds around it; null when it never does.
 * References: the "labels to reach x% of full-data accuracy" measure of active-learning studies (e.g. Settles 2009, §6).
 */
export function labelsToReach(labels: readonly number[], acc: readonly number[], target: number): number | null {
  for (let i = 0; i < acc.length; i++) {
    if (acc[i]! < target) continue;
    if (i === 0) return labels[0]!;
    const share = (target - acc[i - 1]!) / (acc[i]! - acc[i - 1]!);
    return labels[i - 1]! + share * (labels[i]! - labels[i - 1]!);
  }
  return null;
}
