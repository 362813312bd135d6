/** A pause longer than this between two labels is a break, not labeling time. */
export const IDLE_GAP_MS = 2 * 60_000;
/** Fewer labels than this give no rate: the first few say little about a shift. */
export const MIN_LABELS_FOR_RATE = 5;

/**
 * Labels per hour over active time: the time between consecutive labels, each gap capped at IDLE_GAP_MS, so coffee
 * breaks do not lower the figure and a burst does not inflate it. `times` are the epoch ms of this session's single
 * labels (undone and bulk ones left out by the caller), in order. Null while there are too few.
 */
export function labelsPerActiveHour(times: readonly number[]): number | null {
  if (times.length < MIN_LABELS_FOR_RATE) return null;
  let active = 0;
  for (let i = 1; i < times.length; i++) active += Math.min(Math.max(0, times[i]! - times[i - 1]!), IDLE_GAP_MS);
  if (active <= 0) return null;
  return ((times.length - 1) / active) * 3_600_000;
}

/** How long `remaining` labels take at `perHour`, in ms; null without a rate. */
export function etaMs(remaining: number, perHour: number | null): number | null {
  if (perHour === null || perHour <= 0) return null;
  return (remaining / perHour) * 3_600_000;
}
