import type { ReplayPhase } from '../../shared/contract/dto';

/** Overall share of a replay done, in [0, 1]: reading 5%, predicting 90%, comparing 5%. */
export function replayProgress(phase: ReplayPhase, done: number): number {
  if (phase === 'reading') return 0.05 * done;
  if (phase === 'predicting') return 0.05 + 0.9 * done;
  return 0.95 + 0.05 * done;
}

/** A share in [0, 1] as a percentage with one decimal ("12.3%"). */
export function percentText(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A change in accuracy (a difference of shares) in percentage points with a sign ("+1.2", "−0.4", "0.0"). */
export function pointsText(delta: number): string {
  const points = delta * 100;
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`;
}

/** The start (epoch ms at 00:00, local time, as the date picker shows days) of the day of `ms`. */
export function dayStart(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** The start of the day after the day of `ms` (local time). */
export function nextDayStart(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
}

/** The default days to replay: the starts of the first and the last of the traffic's last `days` days (local time). */
export function defaultReplayDays(traffic: { readonly first: number; readonly last: number } | null, days = 7, now = Date.now()): [number, number] {
  const last = dayStart(traffic ? traffic.last : now);
  const d = new Date(last);
  const back = new Date(d.getFullYear(), d.getMonth(), d.getDate() - (days - 1)).getTime();
  return [traffic ? Math.max(dayStart(traffic.first), back) : back, last];
}
