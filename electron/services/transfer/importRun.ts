import type { RowError, TextEncodingName } from '../../../shared/contract/dto';
import { type IdSet } from './idSet';
import type { CallDefaults, Emit } from './callAssembler';
import type { TextSource } from './textSource';

/** What a format reader needs from the import it runs in. */
export interface ImportRun {
  readonly source: TextSource;
  /** The encoding the text was decoded with (null for xlsx), for messages. */
  readonly encoding: TextEncodingName | null;
  /** File name without folder and extension; names one-turn calls and the default campaign. */
  readonly fileStem: string;
  readonly defaults: CallDefaults;
  /** Ids of the calls of this file so far: a repeated id is reported, not merged or dropped silently. */
  readonly seenCallIds: IdSet;
  /** Delivers a call; returns a promise when the consumer wants the reader to wait. */
  readonly emit: Emit;
  readonly report: (err: RowError) => void;
  /** Counts one non-blank row. */
  readonly countRow: () => void;
  /** Throws when the import was cancelled and reports progress now and then. */
  readonly checkpoint: () => void;
}

/** The row error of a row whose bytes do not decode in the file's encoding: it is skipped, never imported garbled. */
export function decodeError(line: number, encoding: TextEncodingName | null): RowError {
  const enc = encoding ?? 'utf-8';
  return {
    line,
    reason: `this row does not decode as ${enc}; it was skipped (is the file in another encoding?)`,
    code: 'decode_failed',
    params: { line, encoding: enc },
  };
}
