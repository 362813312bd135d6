import { ContractError, type ContractErrorData, type Envelope } from './errors';
import { isMethodName, schemas, type MethodArgs, type MethodName } from './schemas';
import type { Services } from './services';

/**
 * Checks a validated argument before the service sees it and returns the argument to pass on (e.g. with its path
 * fields made canonical); throws a ContractError to refuse the call. Bridges use it to confine path arguments.
 */
export type ArgumentGuard = <M extends MethodName>(method: M, arg: MethodArgs<M>) => Promise<MethodArgs<M>>;

/** Hears what a service (or the guard) threw before it becomes an error envelope: bridges record it in their log. */
export type DispatchErrorListener = (method: MethodName, err: unknown) => void;

/**
 * Validates `rawArg` against the method's schema, runs `guard` when given, and calls the service.
 * Never throws: unknown methods, bad or refused arguments and service failures come back as an error envelope;
 * `onError` hears each thrown failure first.
 */
export async function dispatch(services: Services, method: string, rawArg: unknown, guard?: ArgumentGuard, onError?: DispatchErrorListener): Promise<Envelope<unknown>> {
  if (!isMethodName(method)) {
    return fail({ code: 'unknown_method', message: `Unknown method "${method.slice(0, 100)}".` });
  }
  const parsed = schemas[method].safeParse(rawArg ?? {});
  if (!parsed.success) return fail(describeInvalidArgument(method, parsed.error.issues));
  try {
    const arg = guard ? await guard(method, parsed.data as MethodArgs<typeof method>) : parsed.data;
    const value = await invokeService(services, method, arg);
    return { ok: true, value };
  } catch (err) {
    onError?.(method, err);
    return fail(toErrorData(err));
  }
}

function invokeService(services: Services, method: MethodName, arg: unknown): Promise<unknown> {
  const [serviceName, fn] = method.split('.') as [keyof Services, string];
  const service = services[serviceName] as unknown as Record<string, (a: unknown) => Promise<unknown>>;
  const impl = service[fn];
  if (typeof impl !== 'function') throw new ContractError('unknown_method', `Method "${method}" is not implemented.`);
  return impl.call(service, arg);
}

/** The invalid_argument error for a rejected argument, naming the first offending field. */
export function describeInvalidArgument(method: string, issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): ContractErrorData {
  const issue = issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const where = field ? ` (field "${field}")` : '';
  return {
    code: 'invalid_argument',
    message: `Invalid argument for ${method}${where}: ${issue?.message ?? 'rejected'}.`,
    ...(field ? { details: { field } } : {}),
  };
}

/** Turns anything thrown into error data the UI can show. */
export function toErrorData(err: unknown): ContractErrorData {
  if (err instanceof ContractError) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

function fail(error: ContractErrorData): Envelope<never> {
  return { ok: false, error };
}
