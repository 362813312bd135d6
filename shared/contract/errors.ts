import { errorMessageEn, type ErrorSentence } from './errorWords';

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
  /** The English words, for logs and scripts; the UI words `sentences` in its own language instead. */
  readonly message: string;
  /** What the error says as keys with parameters (`errorWords.ts`); the UI words them in its language. */
  readonly sentences?: readonly ErrorSentence<string>[];
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
  readonly sentences?: readonly ErrorSentence[];
  readonly details?: ContractErrorData['details'];

  /**
   * `words`: sentences the UI words in its language (their English wording becomes the message), or a message alone;
   * `logMessage` replaces the English message when logs deserve more than the UI shows (times, system errors).
   */
  constructor(code: ContractErrorCode, words: string | ErrorSentence | readonly ErrorSentence[], details?: ContractErrorData['details'], logMessage?: string) {
    const sentences = typeof words === 'string' ? undefined : 'key' in words ? [words as ErrorSentence] : (words as readonly ErrorSentence[]);
    super(logMessage ?? (sentences ? errorMessageEn(sentences) : (words as string)));
    this.name = 'ContractError';
    this.code = code;
    if (sentences) this.sentences = sentences;
    this.details = details;
  }

  toData(): ContractErrorData {
    return { ...errorData(this.code, this.sentences ?? this.message, this.details), message: this.message };
  }
}

/** Error data from sentences (the message is their English wording) or a bare message. */
export function errorData(code: ContractErrorCode, words: string | ErrorSentence | readonly ErrorSentence[], details?: ContractErrorData['details']): ContractErrorData {
  const sentences = typeof words === 'string' ? undefined : 'key' in words ? [words as ErrorSentence] : (words as readonly ErrorSentence[]);
  return {
    code,
    message: sentences ? errorMessageEn(sentences) : (words as string),
    ...(sentences ? { sentences } : {}),
    ...(details ? { details } : {}),
  };
}

/** What every bridge call resolves to: either a value or an error in words. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ContractErrorData };

/** True when `value` looks like ContractErrorData. */
export function isContractErrorData(value: unknown): value is ContractErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
