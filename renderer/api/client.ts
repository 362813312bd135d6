import type { ContractErrorCode, ContractErrorData } from '../../shared/contract/errors';
import { errorData, isContractErrorData } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { HostMethodInput, HostService } from '../../shared/contract/host';
import type { Client, EventMap, EventName } from '../../shared/contract/services';
import type { Transport } from './transport';

/** A contract error thrown by the client: the service's words plus where the problem is. */
export class ClientError extends Error implements ContractErrorData {
  readonly code: ContractErrorCode;
  readonly sentences?: ContractErrorData['sentences'];
  readonly details?: ContractErrorData['details'];
  /** The method whose call failed. */
  readonly method: string;

  constructor(method: string, data: ContractErrorData) {
    super(data.message);
    this.name = 'ClientError';
    this.method = method;
    this.code = data.code;
    if (data.sentences) this.sentences = data.sentences;
    if (data.details) this.details = data.details;
  }
}

/** Turns a raw envelope into its value, or throws a ClientError carrying the envelope's error. */
export function unwrapEnvelope(method: string, raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    const envelope = raw as { ok: unknown; value?: unknown; error?: unknown };
    if (envelope.ok === true) return envelope.value;
    if (envelope.ok === false && isContractErrorData(envelope.error)) throw new ClientError(method, envelope.error);
  }
  throw new ClientError(method, errorData('internal', sentence('malformed_answer', { method })));
}

/** True when `raw` is an error envelope saying the server does not know this page (browser mode, no session). */
export function isUnauthorizedEnvelope(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const envelope = raw as { ok?: unknown; error?: unknown };
  return envelope.ok === false && isContractErrorData(envelope.error) && envelope.error.code === 'unauthorized';
}

/** Wraps a transport so that `listener` hears every `unauthorized` answer; the answers themselves pass unchanged. */
export function watchUnauthorized(transport: Transport, listener: () => void): Transport {
  return {
    kind: transport.kind,
    on: (event, eventListener) => transport.on(event, eventListener),
    async invoke(method, arg) {
      const raw = await transport.invoke(method, arg);
      if (isUnauthorizedEnvelope(raw)) listener();
      return raw;
    },
  };
}

/** Calls one method through the transport and unwraps its envelope. */
export async function callMethod(transport: Transport, method: string, arg: unknown): Promise<unknown> {
  return unwrapEnvelope(method, await transport.invoke(method, arg ?? {}));
}

/** Builds the typed client: `client.label.setLabel(arg)` invokes `label.setLabel` and unwraps the envelope. */
export function createClient(transport: Transport): Client {
  const services = new Map<string, object>();
  const root = new Proxy(
    {},
    {
      get(_target, service): unknown {
        if (typeof service !== 'string') return undefined;
        let proxy = services.get(service);
        if (!proxy) {
          proxy = new Proxy(
            {},
            {
              get(_t, fn): unknown {
                if (typeof fn !== 'string') return undefined;
                return (arg: unknown) => callMethod(transport, `${service}.${fn}`, arg);
              },
            },
          );
          services.set(service, proxy);
        }
        return proxy;
      },
    },
  );
  return root as Client;
}

/** The desktop host's native dialogs; each call throws `unknown_method` in browser mode. */
export type HostClient = {
  readonly [F in keyof HostService]: (arg: HostMethodInput<`host.${F}`>) => ReturnType<HostService[F]>;
};

/** Builds the client for the host's dialog methods. */
export function createHostClient(transport: Transport): HostClient {
  return {
    showOpenDialog: (arg) => callMethod(transport, 'host.showOpenDialog', arg) as Promise<{ readonly path: string | null }>,
    showSaveDialog: (arg) => callMethod(transport, 'host.showSaveDialog', arg) as Promise<{ readonly path: string | null }>,
  };
}

/** Typed subscription to service events. */
export interface EventsClient {
  /** Calls `listener` on each `event`; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** Builds the events helper over a transport. */
export function createEvents(transport: Transport): EventsClient {
  return {
    on(event, listener) {
      return transport.on(event, (payload) => listener(payload as EventMap[typeof event]));
    },
  };
}
