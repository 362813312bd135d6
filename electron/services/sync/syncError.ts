import type { SyncErrorKind } from '../../../shared/contract/dto';
import { ContractError, type ContractErrorCode } from '../../../shared/contract/errors';
import { sentence, type ErrorSentence } from '../../../shared/contract/errorWords';

const CODES: Record<SyncErrorKind, ContractErrorCode> = {
  auth: 'invalid_argument',
  unreachable: 'io',
  timeout: 'io',
  server: 'io',
  malformed: 'bad_input',
  protocol: 'bad_input',
  version: 'bad_input',
  cursor: 'conflict',
  not_found: 'not_found',
  io: 'io',
};

/**
 * A sync failure with the kind the status bar shows; a ContractError for the bridges. `message` is the English
 * detail for logs; `words` what the UI says (by default the kind's own sentence, `sync_<kind>`).
 */
export class SyncError extends ContractError {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    /** True when trying again later may succeed (server down, timeout, 5xx, a cut-off answer). */
    readonly transient = false,
    words: ErrorSentence = sentence(`sync_${kind}`),
  ) {
    super(CODES[kind], words, kind === 'auth' ? { field: 'token', reason: kind } : { reason: kind }, message);
    this.name = 'SyncError';
  }
}

/** Thrown when a sync job was cancelled; not an error to show. */
export class SyncCancelled extends Error {
  constructor() {
    super('The sync was cancelled.');
    this.name = 'SyncCancelled';
  }
}

/** True when `err` says the platform could not be reached (as opposed to answering wrongly). */
export function isOfflineError(err: unknown): boolean {
  return err instanceof SyncError && (err.kind === 'unreachable' || err.kind === 'timeout');
}
