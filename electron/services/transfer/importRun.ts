import type { RowError } from '../../../shared/contract/dto';
import type { CallDefaults, Emit } from './callAssembler';
import type { TextSource } from './textSource';

/** What a format reader needs from the import it runs in. */
export interface ImportRun {
  readonly source: TextSource;
  /** File name without folder and extension; names one-turn calls and the default campaign. */
  readonly fileStem: string;
  readonly defaults: CallDefaults;
  /** Delivers a call; returns a promise when the consumer wants the reader to wait. */
  readonly emit: Emit;
  readonly report: (err: RowError) => void;
  /** Counts one non-blank row. */
  readonly countRow: () => void;
  /** Throws when the import was cancelled and reports progress now and then. */
  readonly checkpoint: () => void;
}
