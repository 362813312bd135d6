/** The faults the platform can inject, each for the next N matching requests. */
export interface FaultSettings {
  /** Answer with 500 `fault_injected`. */
  readonly fail?: number;
  /** Wait `delayMs` before answering (client timeouts). */
  readonly delay?: number;
  readonly delayMs?: number;
  /** Send only the first half of the JSON body (200, body cut short). */
  readonly truncate?: number;
  /** Drop the connection without an answer. */
  readonly hangUp?: number;
  /** Feed pages start one call early, repeating the last call of the previous page. */
  readonly repeatIds?: number;
  /** Feed pages leave out their first call (a gap). */
  readonly skipIds?: number;
  /** Only requests whose path contains this text are affected (default: every API request). */
  readonly match?: string;
}

export type FaultKind = 'fail' | 'delay' | 'truncate' | 'hangUp' | 'repeatIds' | 'skipIds';

const KINDS: readonly FaultKind[] = ['fail', 'delay', 'truncate', 'hangUp', 'repeatIds', 'skipIds'];
const DEFAULT_DELAY_MS = 5000;

/**
 * Switchable faults for sync tests; off unless the platform was started with `--faults` or
 * `--allow-faults`. Each kind counts down: a fault set to 3 hits the next 3 matching requests.
 */
export class FaultSwitch {
  private remaining = new Map<FaultKind, number>();
  private delayMs = DEFAULT_DELAY_MS;
  private match: string | undefined;

  constructor(settings: FaultSettings = {}) {
    this.set(settings);
  }

  /** Replaces every setting (kinds not given are switched off). */
  set(settings: FaultSettings): void {
    this.remaining = new Map(KINDS.map((kind) => [kind, Math.max(0, Math.floor(settings[kind] ?? 0))]));
    this.delayMs = settings.delayMs ?? DEFAULT_DELAY_MS;
    this.match = settings.match;
  }

  /** What is still armed. */
  get settings(): FaultSettings {
    const armed = Object.fromEntries([...this.remaining].filter(([, n]) => n > 0));
    return { ...armed, delayMs: this.delayMs, ...(this.match ? { match: this.match } : {}) };
  }

  /** The delay of the `delay` fault, in ms. */
  get delayMillis(): number {
    return this.delayMs;
  }

  /** True (and counts one down) when fault `kind` is armed for a request to `path`. */
  take(kind: FaultKind, path: string): boolean {
    const n = this.remaining.get(kind) ?? 0;
    if (n <= 0 || (this.match !== undefined && !path.includes(this.match))) return false;
    this.remaining.set(kind, n - 1);
    return true;
  }
}

/** Parses `--faults` text: `fail=3,delay=1,delayMs=2000,truncate=1,hangUp=1,repeatIds=1,skipIds=1,match=/calls`. */
export function parseFaultSpec(spec: string): FaultSettings {
  const out: Record<string, number | string> = {};
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value = ''] = part.split('=', 2) as [string, string?];
    if (key === 'match') out.match = value;
    else if (key === 'delayMs' || (KINDS as readonly string[]).includes(key)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`--faults: "${part}" needs a whole number.`);
      out[key] = n;
    } else throw new Error(`--faults: unknown fault "${key}" (known: ${[...KINDS, 'delayMs', 'match'].join(', ')}).`);
  }
  return out as FaultSettings;
}
