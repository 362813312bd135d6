import type { ImportIssueCode, ImportIssueParams, RowError } from '../../../shared/contract/dto';
import type { Speaker } from '../../../shared/domain/types';

/** What an imported label says, before intent names are resolved to ids. */
export type ImportedLabelTarget =
  | { readonly kind: 'intent'; readonly intentName: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'badTranscript' };

export const MAX_TEXT_CHARS = 10_000;
const MAX_NAME_CHARS = 200;
const MAX_ID_CHARS = 256;

const NONE_KEYWORDS = new Set(['oos', 'none', 'none_of_these']);
const BAD_TRANSCRIPT_KEYWORD = 'bad_transcript';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True when `name` is one of the keywords that mean "none of these intents" (case-insensitive). */
export function isNoneKeyword(name: string): boolean {
  return NONE_KEYWORDS.has(name.toLowerCase());
}

/** Maps a label name to a target: none-of-these and bad-transcript keywords, else an intent name. */
export function toLabelTarget(name: string): ImportedLabelTarget {
  const lower = name.toLowerCase();
  if (NONE_KEYWORDS.has(lower)) return { kind: 'none' };
  if (lower === BAD_TRANSCRIPT_KEYWORD) return { kind: 'badTranscript' };
  return { kind: 'intent', intentName: name };
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function short(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Reads typed fields from one raw row and collects a RowError per bad field.
 * `textual` rows (CSV, TSV) give every value as a string, so numbers are parsed from text.
 */
export class FieldReader {
  readonly errors: RowError[] = [];

  constructor(
    readonly line: number,
    private readonly textual: boolean,
  ) {}

  /** True when no field of this reader failed. */
  get ok(): boolean {
    return this.errors.length === 0;
  }

  /** Records a problem with `field`: its code and params for the UI, and the same in plain English words. */
  fail(field: string | undefined, code: ImportIssueCode, reason: string, params: ImportIssueParams = {}): undefined {
    const p = { line: this.line, ...(field === undefined ? {} : { field }), ...params };
    this.errors.push(field === undefined ? { line: this.line, reason, code, params: p } : { line: this.line, field, reason, code, params: p });
    return undefined;
  }

  /** The utterance text: required, not blank, at most 10,000 characters. */
  text(value: unknown, field: string): string | undefined {
    if (isAbsent(value)) return this.fail(field, 'missing_field', `missing "${short(field)}"`);
    if (typeof value !== 'string') return this.fail(field, 'not_text', `"${short(field)}" must be text, got ${describe(value)}`, { got: describe(value) });
    if (value.trim() === '') return this.fail(field, 'blank_field', `"${short(field)}" is blank`);
    if (value.length > MAX_TEXT_CHARS) return this.fail(field, 'text_too_long', `text too long (${value.length} > ${MAX_TEXT_CHARS} characters)`, { got: value.length, max: MAX_TEXT_CHARS });
    return value;
  }

  /** The speaker, "user" when absent. */
  speaker(value: unknown, field: string): Speaker | undefined {
    if (isAbsent(value)) return 'user';
    const v = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (v === 'user' || v === 'bot') return v;
    return this.fail(field, 'bad_speaker', `speaker must be "user" or "bot", got ${describe(value)}`, { got: describe(value) });
  }

  /** A confidence in [0,1], undefined when absent. */
  confidence(value: unknown, field: string): number | undefined {
    if (isAbsent(value)) return undefined;
    const n = this.number(value);
    if (n === undefined || n < 0 || n > 1) return this.fail(field, 'bad_confidence', `${short(field)} must be a number in [0,1], got ${describe(value)}`, { got: describe(value) });
    return n;
  }

  /** A label: an intent name or a keyword; null when absent. */
  label(value: unknown, field: string): ImportedLabelTarget | null | undefined {
    if (isAbsent(value)) return null;
    const name = this.name(value, field);
    return name === undefined ? undefined : toLabelTarget(name);
  }

  /** A predicted intent name; null for "no match" (null, or a none keyword); undefined when absent. */
  predictedIntent(value: unknown, field: string): string | null | undefined {
    if (value === undefined || (this.textual && value === '')) return undefined;
    if (value === null || value === '') return null;
    const name = this.name(value, field);
    if (name === undefined) return undefined;
    return isNoneKeyword(name) ? null : name;
  }

  /** A time as epoch milliseconds, given as epoch ms or an ISO 8601 date; undefined when absent. */
  time(value: unknown, field: string): number | undefined {
    if (isAbsent(value)) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value);
    if (typeof value === 'string') {
      const s = value.trim();
      if (/^\d+$/.test(s)) return Number(s);
      if (ISO_DATE.test(s)) {
        const ms = Date.parse(s);
        if (!Number.isNaN(ms)) return ms;
      }
    }
    return this.fail(field, 'bad_time', `${short(field)} must be epoch milliseconds or an ISO 8601 date, got ${describe(value)}`, { got: describe(value) });
  }

  /** A non-negative integer turn position; undefined when absent. */
  turnIndex(value: unknown, field: string): number | undefined {
    if (isAbsent(value)) return undefined;
    const n = this.number(value);
    if (n === undefined || !Number.isInteger(n) || n < 0) return this.fail(field, 'bad_turn_index', `${short(field)} must be a whole number ≥ 0, got ${describe(value)}`, { got: describe(value) });
    return n;
  }

  /** An id given as text or a whole number; undefined when absent. */
  id(value: unknown, field: string): string | undefined {
    if (isAbsent(value)) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return String(value);
    if (typeof value !== 'string' || value.trim() === '') return this.fail(field, 'not_text', `${short(field)} must be text, got ${describe(value)}`, { got: describe(value) });
    if (value.length > MAX_ID_CHARS) return this.fail(field, 'value_too_long', `${short(field)} too long (> ${MAX_ID_CHARS} characters)`, { max: MAX_ID_CHARS });
    return value.trim();
  }

  /** A short name (intent, campaign, language, annotator, split); undefined when absent. */
  name(value: unknown, field: string): string | undefined {
    if (isAbsent(value)) return undefined;
    if (typeof value !== 'string' || value.trim() === '') return this.fail(field, 'not_text', `${short(field)} must be text, got ${describe(value)}`, { got: describe(value) });
    if (value.length > MAX_NAME_CHARS) return this.fail(field, 'value_too_long', `${short(field)} too long (> ${MAX_NAME_CHARS} characters)`, { max: MAX_NAME_CHARS });
    return value.trim();
  }

  private number(value: unknown): number | undefined {
    if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
    if (this.textual && typeof value === 'string' && value.trim() !== '') {
      const n = Number(value.trim());
      return Number.isFinite(n) ? n : undefined;
    }
    return undefined;
  }
}
