import type { z } from 'zod';
import { checkWire, type WireProblem } from '../../../shared/platformApi/operations';
import { SyncError } from './syncError';

/**
 * Checks what the platform answered against the API's schema (shared/platformApi) and returns it parsed (fields
 * this app does not know are dropped). A mismatch is a `malformed` SyncError whose message names the field.
 */
export function readWire<T>(schema: z.ZodType<T>, raw: unknown, what: string, word: (problem: WireProblem) => string = wordProblem(what)): T {
  const checked = checkWire(schema, raw);
  if (checked.ok) return checked.value;
  throw new SyncError('malformed', word(checked.problem));
}

/** "`what` has no valid `field` (zod's words)." */
export function wordProblem(what: string): (problem: WireProblem) => string {
  return ({ field, message }) => (field ? `${what} has no valid ${field} (${message}).` : `${what} is not what the platform API specifies (${message}).`);
}
