import { yieldToEventLoop } from './scanInChunks';

/** Arrays longer than this are written a slice at a time, with a yield to the event loop between slices. */
const SLICE = 16384;

/**
 * `JSON.stringify(value)` (no indent) for large documents on the thread that answers requests: long arrays are
 * serialized a slice at a time, yielding to the event loop between slices, so a model version of a million-utterance
 * workspace is written without holding the thread for its whole length. Same text as `JSON.stringify` for plain data
 * (objects, arrays, strings, numbers, booleans, null; undefined members left out, NaN and ±Infinity as null).
 */
export async function stringifyInChunks(value: unknown): Promise<string> {
  const parts: string[] = [];
  await write(value, parts, true);
  return parts.join('');
}

/**
 * `stringifyInChunks` as UTF-8 bytes, encoded a part at a time with yields between, so neither one huge string nor
 * its encoding holds the thread.
 */
export async function encodeJsonInChunks(value: unknown): Promise<Uint8Array> {
  const parts: string[] = [];
  await write(value, parts, true);
  const buffers: Buffer[] = [];
  let group: string[] = [];
  let size = 0;
  for (const part of parts) {
    group.push(part);
    size += part.length;
    if (size >= 1 << 20) {
      buffers.push(Buffer.from(group.join(''), 'utf8'));
      group = [];
      size = 0;
      await yieldToEventLoop();
    }
  }
  buffers.push(Buffer.from(group.join(''), 'utf8'));
  return Buffer.concat(buffers);
}

async function write(value: unknown, out: string[], inArray: boolean): Promise<void> {
  if (Array.isArray(value)) {
    if (value.length <= SLICE) {
      out.push(JSON.stringify(value));
      return;
    }
    out.push('[');
    for (let start = 0; start < value.length; start += SLICE) {
      const text = JSON.stringify(value.slice(start, start + SLICE));
      out.push(start === 0 ? '' : ',', text.slice(1, -1));
      await yieldToEventLoop();
    }
    out.push(']');
    return;
  }
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !('toJSON' in value)) {
    out.push('{');
    let first = true;
    for (const [key, member] of Object.entries(value)) {
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      out.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      await write(member, out, false);
    }
    out.push('}');
    return;
  }
  const text = JSON.stringify(value);
  out.push(text === undefined ? (inArray ? 'null' : '') : text);
}
