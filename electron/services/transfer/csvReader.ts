/**
 * A streaming CSV reader for files made by spreadsheet programs and people: RFC 4180 quoting, any of CR, LF and CRLF
 * as line ends, and recovery from the mistakes that otherwise swallow a file. A quoted field that does not close
 * within MAX_QUOTED_CHARS characters or MAX_QUOTED_LINES lines, or that closes and is then followed by something
 * other than a delimiter or line end after spanning lines, or that spans lines and leaves the record with the wrong
 * number of cells, is reported as an unclosed quote at the line it starts on, and reading goes on at the next line.
 * Memory is bounded by those limits and MAX_RECORD_CHARS, whatever the input.
 */

export const MAX_QUOTED_CHARS = 64 * 1024;
export const MAX_QUOTED_LINES = 32;
export const MAX_RECORD_CHARS = 1024 * 1024;

/** One record, or a problem that made the reader skip text. */
export type CsvEvent =
  | { readonly kind: 'record'; readonly cells: string[]; readonly line: number }
  | { readonly kind: 'error'; readonly code: 'unclosed_quote' | 'bad_closing_quote' | 'row_too_long'; readonly line: number };

type Parsed =
  | { readonly status: 'more' }
  | { readonly status: 'record'; readonly cells: string[]; readonly end: number; readonly breaks: number }
  | {
      readonly status: 'error';
      readonly code: 'unclosed_quote' | 'bad_closing_quote' | 'row_too_long';
      /** Line breaks between the record start and the line reported. */
      readonly lineOffset: number;
      /** Where to look for the line end after which reading resumes. */
      readonly resumeFrom: number;
    };

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Splits text into CSV records; feed it chunks with `push` and finish with `end`. */
export class CsvRecordReader {
  private buf = '';
  private line = 1;
  /** Skipping the rest of an over-long line: nothing is kept until its end. */
  private skipping = false;
  private readonly delim: number;
  /** Cells a record should have (the header's); records spanning lines with another count are treated as a broken quote. */
  expectedWidth: number | null = null;

  constructor(delimiter: string) {
    this.delim = delimiter.charCodeAt(0);
  }

  /** Records and problems completed by `chunk`, in order. */
  push(chunk: string): CsvEvent[] {
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.drain(false);
  }

  /** What is left at the end of the text. */
  end(): CsvEvent[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvEvent[] {
    const out: CsvEvent[] = [];
    let pos = 0;
    const buf = this.buf;
    while (pos < buf.length) {
      if (this.skipping) {
        const eol = findLineEnd(buf, pos, final);
        if (eol === null) {
          pos = buf.length;
          break;
        }
        if (eol === -1) break;
        pos = eol;
        this.line++;
        this.skipping = false;
        continue;
      }
      const r = this.parseRecord(buf, pos, final);
      if (r.status === 'more') {
        if (buf.length - pos > MAX_RECORD_CHARS) {
          out.push({ kind: 'error', code: 'row_too_long', line: this.line });
          this.skipping = true;
          pos = buf.length;
        }
        break;
      }
      if (r.status === 'record') {
        if (!(r.cells.length === 1 && r.cells[0] === '' && r.end > pos && isLineEndAt(buf, pos))) out.push({ kind: 'record', cells: r.cells, line: this.line });
        this.line += r.breaks;
        pos = r.end;
        continue;
      }
      out.push({ kind: 'error', code: r.code, line: this.line + r.lineOffset });
      this.line += r.lineOffset;
      const eol = findLineEnd(buf, r.resumeFrom, final);
      if (eol === -1) {
        // The line end may be in the next chunk: skip until it comes.
        this.skipping = true;
        pos = buf.length;
        break;
      }
      if (eol === null) {
        pos = buf.length;
        break;
      }
      this.line++;
      pos = eol;
    }
    this.buf = pos >= buf.length ? '' : buf.slice(pos);
    return out;
  }

  /** Parses the record starting at `start`. */
  private parseRecord(buf: string, start: number, final: boolean): Parsed {
    const cells: string[] = [];
    const delim = this.delim;
    const n = buf.length;
    let i = start;
    let breaks = 0;
    let spanning: { offset: number; at: number } | null = null;
    for (;;) {
      if (i < n && buf.charCodeAt(i) === QUOTE) {
        const fieldStart = i;
        const fieldOffset = breaks;
        let j = i + 1;
        let parts = '';
        let fieldBreaks = 0;
        for (;;) {
          const q = buf.indexOf('"', j);
          const stop = q === -1 ? n : q;
          for (let k = j; k < stop; k++) {
            const c = buf.charCodeAt(k);
            if (c === LF || (c === CR && (k + 1 >= n || buf.charCodeAt(k + 1) !== LF))) fieldBreaks++;
          }
          const tooBig = stop - fieldStart > MAX_QUOTED_CHARS || fieldBreaks > MAX_QUOTED_LINES;
          if (tooBig || (q === -1 && final)) return { status: 'error', code: 'unclosed_quote', lineOffset: fieldOffset, resumeFrom: fieldStart };
          if (q === -1) return { status: 'more' };
          if (q + 1 >= n && !final) return { status: 'more' };
          if (buf.charCodeAt(q + 1) === QUOTE) {
            parts += buf.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          parts += buf.slice(j, q);
          i = q + 1;
          break;
        }
        breaks += fieldBreaks;
        if (fieldBreaks > 0 && spanning === null) spanning = { offset: fieldOffset, at: fieldStart };
        cells.push(parts);
        if (i >= n) {
          if (!final) return { status: 'more' };
          return this.finishRecord(cells, n, breaks, spanning);
        }
        const c = buf.charCodeAt(i);
        if (c === delim) {
          i++;
          continue;
        }
        if (c === LF || c === CR) {
          if (c === CR && i + 1 >= n && !final) return { status: 'more' };
          const end = c === CR && buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
          return this.finishRecord(cells, end, breaks + 1, spanning);
        }
        if (spanning !== null) return { status: 'error', code: 'unclosed_quote', lineOffset: spanning.offset, resumeFrom: spanning.at };
        return { status: 'error', code: 'bad_closing_quote', lineOffset: breaks, resumeFrom: i };
      }
      let k = i;
      while (k < n) {
        const c = buf.charCodeAt(k);
        if (c === delim || c === LF || c === CR) break;
        k++;
      }
      if (k >= n) {
        if (!final) return { status: 'more' };
        cells.push(buf.slice(i, k));
        return this.finishRecord(cells, n, breaks, spanning);
      }
      cells.push(buf.slice(i, k));
      const c = buf.charCodeAt(k);
      if (c === delim) {
        i = k + 1;
        continue;
      }
      if (c === CR && k + 1 >= n && !final) return { status: 'more' };
      const end = c === CR && buf.charCodeAt(k + 1) === LF ? k + 2 : k + 1;
      return this.finishRecord(cells, end, breaks + 1, spanning);
    }
  }

  private finishRecord(cells: string[], end: number, breaks: number, spanning: { offset: number; at: number } | null): Parsed {
    if (spanning !== null && this.expectedWidth !== null && cells.length !== this.expectedWidth) {
      return { status: 'error', code: 'unclosed_quote', lineOffset: spanning.offset, resumeFrom: spanning.at };
    }
    return { status: 'record', cells, end, breaks };
  }
}

function isLineEndAt(buf: string, pos: number): boolean {
  const c = buf.charCodeAt(pos);
  return c === LF || c === CR;
}

/**
 * Index just after the first line end at or after `from`; -1 when the text ends first and more may come, null when
 * it ends first and nothing more comes.
 */
function findLineEnd(buf: string, from: number, final: boolean): number | null {
  for (let k = from; k < buf.length; k++) {
    const c = buf.charCodeAt(k);
    if (c === LF) return k + 1;
    if (c === CR) {
      if (k + 1 >= buf.length) return final ? k + 1 : -1;
      return buf.charCodeAt(k + 1) === LF ? k + 2 : k + 1;
    }
  }
  return final ? null : -1;
}

const CANDIDATES = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof CANDIDATES)[number];

/** A `sep=;` first line (Excel's way of naming the delimiter), or null. */
export function sepLineOf(text: string): Delimiter | null {
  const m = /^sep=(.)\r?\n|^sep=(.)\r/i.exec(text);
  const d = m?.[1] ?? m?.[2];
  return (CANDIDATES as readonly string[]).includes(d ?? '') ? (d as Delimiter) : null;
}

function countOutsideQuotes(line: string, d: string): number {
  let inQuote = false;
  let count = 0;
  for (const ch of line) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === d) count++;
  }
  return count;
}

/**
 * Guesses the delimiter from the first lines of a text: the candidate that appears in the first line and the same
 * number of times in most of the next ones. `fallback` when none appears.
 */
export function sniffDelimiter(text: string, fallback: Delimiter): Delimiter {
  const lines = text.split(/\r\n|\r|\n/, 41).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 1 && text.length >= 64 * 1024) lines.pop();
  const first = lines[0];
  if (first === undefined) return fallback;
  let best: Delimiter = fallback;
  let bestScore = -1;
  const order = [fallback, ...CANDIDATES.filter((c) => c !== fallback)];
  for (const d of order) {
    const c0 = countOutsideQuotes(first, d);
    if (c0 === 0) continue;
    const same = lines.slice(1).filter((l) => countOutsideQuotes(l, d) === c0).length;
    const score = (lines.length > 1 ? same / (lines.length - 1) : 1) * 1000 + Math.min(c0, 100);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}
