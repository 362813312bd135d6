import { ContractError, errorData, type ContractErrorData, type Envelope } from './errors';
import { errorName, sentence, term, type ErrorTerm, type ErrorTermRef } from './errorWords';
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
    return fail(errorData('unknown_method', sentence('unknown_method', { method: method.slice(0, 100) })));
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
  if (typeof impl !== 'function') throw new ContractError('unknown_method', sentence('not_implemented', { method }));
  return impl.call(service, arg);
}

/** A zod issue as far as the wording needs it (zod 4's issue fields, all optional but `path` and `message`). */
export interface ArgumentIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly expected?: string;
  readonly format?: string;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly params?: Readonly<Record<string, unknown>>;
}

const typeTerms: Readonly<Record<string, ErrorTerm>> = {
  string: 'must_be_text',
  number: 'must_be_number',
  int: 'must_be_number',
  boolean: 'must_be_boolean',
  array: 'must_be_list',
  object: 'must_be_object',
};

const customTerms: ReadonlySet<string> = new Set<ErrorTerm>(['bad_platform_url', 'too_many_columns', 'one_upload', 'path_or_upload', 'bad_base64', 'bad_project']);

/** Fields whose pattern has its own words (zod keeps no params on a regex check). */
const formatTerms: Readonly<Record<string, ErrorTerm>> = { dataBase64: 'bad_base64', project: 'bad_project' };

/** What is wrong with a field, as a term the UI translates (zod issue codes and bounds; schemas name their own refinements). */
export function problemOfIssue(issue: ArgumentIssue): ErrorTermRef {
  const own = issue.params?.term;
  if (typeof own === 'string' && customTerms.has(own)) return term(own as ErrorTerm);
  const bound = (n: number | bigint | undefined): number => Number(n ?? 0);
  const sized = issue.origin === 'string' ? 'string' : issue.origin === 'array' || issue.origin === 'set' ? 'array' : 'number';
  switch (issue.code) {
    case 'too_small':
      if (sized === 'string') return bound(issue.minimum) <= 1 ? term('empty') : term('too_short', { min: bound(issue.minimum) });
      if (sized === 'array') return bound(issue.minimum) <= 1 ? term('empty') : term('too_few', { min: bound(issue.minimum) });
      return term('too_small', { min: bound(issue.minimum) });
    case 'too_big':
      if (sized === 'string') return term('too_long', { max: bound(issue.maximum) });
      if (sized === 'array') return term('too_many', { max: bound(issue.maximum) });
      return term('too_big', { max: bound(issue.maximum) });
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return term('missing_value');
      return term(typeTerms[issue.expected ?? ''] ?? 'wrong_type');
    case 'invalid_format': {
      const field = String(issue.path[issue.path.length - 1] ?? '');
      return term(formatTerms[field] ?? 'bad_format');
    }
    case 'invalid_value':
      return term('not_allowed', { values: (issue.values ?? []).map(String).join(', ') });
    case 'unrecognized_keys':
      return term('unknown_fields', { keys: (issue.keys ?? []).join(', ') });
    default:
      return term('not_accepted');
  }
}

/**
 * The invalid_argument error for a rejected argument, naming the first offending field and what is wrong with it
 * in words the UI translates ("Field name: must not be empty").
 */
export function describeInvalidArgument(method: string, issues: readonly ArgumentIssue[]): ContractErrorData {
  const issue = issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  const problem: ErrorTermRef = issue ? problemOfIssue(issue) : term('not_accepted');
  const words = field ? sentence('invalid_field', { field, problem }) : sentence('invalid_argument', { problem });
  const data = errorData('invalid_argument', words, field ? { field } : undefined);
  // The English message keeps zod's own words after ours, for logs and scripts.
  return { ...data, message: `Invalid argument for ${method}${field ? ` (field "${field}")` : ''}: ${issue?.message ?? 'rejected'}.` };
}

/** Turns anything thrown into error data the UI can show. */
export function toErrorData(err: unknown): ContractErrorData {
  if (err instanceof ContractError) return err.toData();
  const message = err instanceof Error ? err.message : String(err);
  return { ...errorData('internal', sentence('unexpected', { detail: errorName(err) })), message: `Unexpected error: ${message}` };
}

function fail(error: ContractErrorData): Envelope<never> {
  return { ok: false, error };
}
