import { scanInChunks } from './scanInChunks';

/**
 * Texts packed for a worker: a few long strings (each many texts joined) and every text's length. Posting it copies
 * a handful of strings instead of structured-cloning a million, which would hold the posting thread.
 */
export interface PackedTexts {
  readonly parts: readonly string[];
  /** Length of each text, in order; the texts of `parts[k]` follow each other in it. */
  readonly lengths: Int32Array;
  /** How many texts each part holds. */
  readonly counts: Int32Array;
}

/** Packs `texts` in parts of `perPart` texts, yielding to the event loop between parts. */
export async function packTexts(texts: readonly string[], perPart = 32768): Promise<PackedTexts> {
  const parts: string[] = [];
  const counts: number[] = [];
  const lengths = new Int32Array(texts.length);
  await scanInChunks(
    texts.length,
    (start, end) => {
      const slice = texts.slice(start, end);
      for (let i = start; i < end; i++) lengths[i] = texts[i]!.length;
      parts.push(slice.join(''));
      counts.push(end - start);
    },
    { chunk: perPart },
  );
  return { parts, lengths, counts: Int32Array.from(counts) };
}

/** The texts `packTexts` packed, in order. */
export function unpackTexts(packed: PackedTexts): string[] {
  const out = new Array<string>(packed.lengths.length);
  let i = 0;
  packed.parts.forEach((part, k) => {
    let at = 0;
    for (let j = 0; j < packed.counts[k]!; j++, i++) {
      const len = packed.lengths[i]!;
      out[i] = part.slice(at, at + len);
      at += len;
    }
  });
  return out;
}
