import { ApiError } from './http';

/**
 * Encodes a feed position as the opaque cursor clients hold: base64url of `{"seq":N}`, where N is the
 * sequence number of the last call already delivered. Sequence numbers are stored with the calls,
 * so a cursor means the same position after a server restart.
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; an absent or empty cursor is the start of the feed (0). */
export function decodeCursor(cursor: string | null | undefined): number {
  if (cursor == null || cursor === '') return 0;
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid(cursor);
  }
  const seq = (value as { seq?: unknown } | null)?.seq;
  if (typeof value !== 'object' || value === null || !Number.isSafeInteger(seq) || (seq as number) < 0) throw invalid(cursor);
  return seq as number;
}

function invalid(cursor: string): ApiError {
  const shown = cursor.length > 40 ? `${cursor.slice(0, 40)}…` : cursor;
  return new ApiError(400, 'invalid_cursor', `"${shown}" is not a cursor this platform issued; start again without a cursor.`);
}
