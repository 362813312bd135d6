/**
 * Which members of a discovered cluster are too unlike the rest to take its label by default: those attached to it as
 * noise (they fit no cluster well) and those whose similarity to the centre lies more than `spread` standard
 * deviations under the cluster's mean. A lead accepting "发票" should not label "可以" and "哦，可以吧" with it
 * without looking; they stay unlabeled unless the lead includes them.
 */
export function atypicalMembers(similarity: readonly number[], lowConfidence: readonly number[], spread = 1.5): boolean[] {
  const n = similarity.length;
  const out = Array.from({ length: n }, (_, i) => lowConfidence[i] === 1);
  // Too few members for a spread to mean anything.
  if (n < 5) return out;
  let sum = 0;
  for (const s of similarity) sum += s;
  const mean = sum / n;
  let sq = 0;
  for (const s of similarity) sq += (s - mean) ** 2;
  const sd = Math.sqrt(sq / n);
  const cut = mean - spread * sd;
  for (let i = 0; i < n; i++) if (similarity[i]! < cut) out[i] = true;
  return out;
}
