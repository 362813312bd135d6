/**
 * Error codes every bridge returns in words the UI can show. `unauthorized`: the HTTP bridge was called without its
 * session (browser mode: open the link the server printed); `forbidden`: the call was refused, e.g. a path argument
 * outside the folders this bridge may use (`details.field` names it).
 */
export type ContractErrorCode =
  | 'unknown_method'
  | 'invalid_argument'
  | 'not_found'
  | 'conflict'
  | 'io'
  | 'bad_input'
  | 'unauthorized'
  | 'forbidden'
  | 'internal';

export interface ContractErrorData {
  readonly code: ContractErrorCode;
  readonly message: string;
  /**
   * Where the problem is (a method argument path, a file, a line) and, for failures talking to the bot platform, why
   * (`reason`: auth, unreachable, timeout, server, malformed, protocol, version, cursor, not_found, io).
   */
  readonly details?: {
    readonly field?: string;
    readonly file?: string;
    readonly line?: number;
    readonly reason?: string;
    /** An import file refused as a whole: the code and params the UI words in its language (see ImportIssueCode). */
    readonly issue?: { readonly code: string; readonly params?: Readonly<Record<string, string | number>> };
  };
}

/** An error a service throws on purpose; bridges serialize it as ContractErrorData. */
export class ContractError extends Error implements ContractErrorData {
  readonly code: ContractErrorCode;
  readonly details?: ContractErrorData['details'];

  constructor(code: ContractErrorCode, message: string, details?: ContractErrorData['details']) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    this.details = details;
  }

  toData(): ContractErrorData {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

/** What every bridge call resolves to: either a value or an error in words. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractErrorData };

/** True when `value` looks like ContractErrorData. */
export function isContractErrorData(value: unknown): value is ContractErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
