import { ContractError } from '../../shared/contract/errors';
import type { MethodInput, MethodName } from '../../shared/contract/schemas';
import type { MethodResult } from '../../shared/contract/services';
import type { Transport } from './transport';

/** Answers of a fake service host, typed by the contract: a wrong method name, argument or result does not compile. */
export type FakeHandlers = {
  [M in MethodName]?: (arg: MethodInput<M>) => MethodResult<M> | Promise<MethodResult<M>>;
};

/** A call the fake transport received. */
export interface FakeCall {
  readonly method: string;
  readonly arg: unknown;
}

/** A transport for store and component tests: `handlers` answer, `calls` records, `emit` pushes an event. */
export interface FakeTransport extends Transport {
  readonly calls: FakeCall[];
  emit(event: string, payload: unknown): void;
}

/**
 * A transport answering from `handlers` (which may be changed between calls) with the envelopes the bridges send: a
 * thrown ContractError becomes its error envelope, anything else `internal`, a missing handler `unknown_method`.
 */
export function createFakeTransport(handlers: FakeHandlers): FakeTransport {
  const calls: FakeCall[] = [];
  const hub = createEventHub();
  return {
    kind: 'browser',
    calls,
    async invoke(method, arg) {
      calls.push({ method, arg });
      const handler = (handlers as Record<string, ((a: unknown) => unknown) | undefined>)[method];
      if (!handler) return { ok: false, error: { code: 'unknown_method', message: `No fake for ${method}.` } };
      try {
        return { ok: true, value: await handler(arg) };
      } catch (err) {
        if (err instanceof ContractError) return { ok: false, error: err.toData() };
        return { ok: false, error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } };
      }
    },
    ...hub,
  };
}

/** Event listeners by name for fake transports: `on` subscribes (returning the unsubscribe), `emit` calls them. */
export function createEventHub(): Pick<FakeTransport, 'on' | 'emit'> {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}
