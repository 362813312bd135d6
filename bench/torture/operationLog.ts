import type { Envelope } from '../../shared/contract/errors';
import type { AcknowledgedChange, IntentOp, LabelOp } from './checker';

/** A cluster decision the curator asked for, checked against the cluster's status after the restart. */
export interface ClusterDecision {
  readonly clusterId: string;
  readonly status: 'accepted' | 'merged';
  /** The clustering the cluster belonged to (its run's createdAt). */
  readonly clusteringAt: number | null;
  readonly sentAt: number;
  readonly ackedAt: number | null;
}

/** How one request ended: acknowledged (ok envelope) with its value, or unknown (no answer, or an error). */
export type Outcome<T> = { readonly sentAt: number; readonly ackedAt: number; readonly value: T } | { readonly sentAt: number; readonly ackedAt: null; readonly error: string };

/**
 * The harness's memory of one round (start to kill): every operation with the moments it was sent and acknowledged
 * on one event counter, so the checker can tell which operations followed which. Counters for the whole run live
 * beside it.
 */
export class OperationLog {
  private clock = 0;
  labelOps: LabelOp[] = [];
  intentOps: IntentOp[] = [];
  clusterDecisions: ClusterDecision[] = [];
  /** Acknowledged label changes the platform must end up holding (whole run). */
  readonly acknowledgedChanges: AcknowledgedChange[] = [];
  /** Requests answered ok, and those left unknown (in flight at a kill, or refused), by method (whole run). */
  readonly acknowledged = new Map<string, number>();
  readonly unknown = new Map<string, number>();
  /** The first refusals with their messages, for the report: a refusal while the server lives is worth reading. */
  readonly refusals: string[] = [];

  /** The next position on the event counter. */
  tick(): number {
    return ++this.clock;
  }

  /** Forgets the round's operations once they have been checked. */
  startRound(): void {
    this.labelOps = [];
    this.intentOps = [];
    this.clusterDecisions = [];
  }

  /** Sends one request and records how it ended; never throws. */
  async request<T>(call: (method: string, arg: unknown) => Promise<Envelope<T>>, method: string, arg: unknown, alive: () => boolean): Promise<Outcome<T>> {
    const sentAt = this.tick();
    let env: Envelope<T>;
    try {
      env = await call(method, arg);
    } catch (err) {
      this.count(this.unknown, method);
      return { sentAt, ackedAt: null, error: err instanceof Error ? err.message : String(err) };
    }
    if (!env.ok) {
      this.count(this.unknown, method);
      if (alive() && this.refusals.length < 20) this.refusals.push(`${method}: ${env.error.code}: ${env.error.message}`);
      return { sentAt, ackedAt: null, error: `${env.error.code}: ${env.error.message}` };
    }
    const ackedAt = this.tick();
    this.count(this.acknowledged, method);
    return { sentAt, ackedAt, value: env.value };
  }

  private count(map: Map<string, number>, method: string): void {
    map.set(method, (map.get(method) ?? 0) + 1);
  }
}
