import type { RowError } from '../../../shared/contract/dto';
import { IdSet } from './idSet';
import type { Call, Turn } from '../../../shared/domain/types';
import type { ImportedLabelTarget } from './importFields';

/** A label found in an import file; `turnIndex` is the turn's position in the imported call. */
export interface ImportedLabel {
  readonly turnIndex: number;
  readonly target: ImportedLabelTarget;
  readonly annotator?: string;
  /** When the label was made, if the file says (epoch ms). */
  readonly labeledAt?: number;
}

/** One call read from an import file, with the labels of its user turns. */
export interface ImportedCall {
  readonly call: Call;
  readonly labels: ImportedLabel[];
  /** The line the call's first row starts on. */
  readonly line: number;
  /** How many rows of the file made the call (its bad rows, reported, not counted). */
  readonly rows: number;
}

/** A turn that passed validation, with what the row said about its label. */
export interface ParsedTurn {
  readonly turn: Turn;
  readonly turnIndex?: number;
  readonly label: ImportedLabelTarget | null;
  readonly annotator?: string;
  readonly labeledAt?: number;
}

/** Call-level fields a row may carry. */
export interface CallFields {
  readonly startedAt?: number;
  readonly campaign?: string;
  readonly language?: string;
  readonly split?: string;
}

/** One turn-row of a flat file (CSV row or JSONL utterance), already validated. */
export interface TurnRow {
  readonly line: number;
  /** The call the row belongs to; undefined for a one-turn call of its own. */
  readonly callId?: string;
  /** Id of the one-turn call when `callId` is undefined. */
  readonly ownId: string;
  /** True when `ownId` was given in the file (not made from the line, which is unique anyway). */
  readonly ownIdGiven?: boolean;
  /** Null when the row was bad (its errors were already reported). */
  readonly turn: ParsedTurn | null;
  /** The bot's words of the same row (a `botText` column), a turn before `turn`. */
  readonly botTurn?: ParsedTurn;
  readonly fields: CallFields;
}

/** What a call gets when the file does not say. */
export interface CallDefaults {
  readonly startedAt: number;
  /** Campaign for calls without one; `/${split}` is appended when the row has a split. */
  readonly campaign: string;
}

export type Emit = (rec: ImportedCall) => void | Promise<void>;

const MAX_TURNS_PER_CALL = 5_000;

interface OpenCall {
  readonly id: string;
  readonly firstLine: number;
  readonly turns: ParsedTurn[];
  readonly lines: number[];
  rows: number;
  hadBadRow: boolean;
  fields: CallFields;
}

/** Builds a call from its validated turns; null when it has no user turn. */
export function buildCall(id: string, turns: readonly ParsedTurn[], fields: CallFields, defaults: CallDefaults, line: number, rows: number): ImportedCall | null {
  if (!turns.some((t) => t.turn.speaker === 'user')) return null;
  const labels: ImportedLabel[] = [];
  turns.forEach((t, turnIndex) => {
    if (t.label === null || t.turn.speaker !== 'user') return;
    labels.push({
      turnIndex,
      target: t.label,
      ...(t.annotator !== undefined ? { annotator: t.annotator } : {}),
      ...(t.labeledAt !== undefined ? { labeledAt: t.labeledAt } : {}),
    });
  });
  const campaign = fields.campaign ?? (fields.split !== undefined ? `${defaults.campaign}/${fields.split}` : defaults.campaign);
  const call: Call = {
    id,
    startedAt: fields.startedAt ?? defaults.startedAt,
    campaign,
    ...(fields.language !== undefined ? { language: fields.language } : {}),
    turns: turns.map((t) => t.turn),
  };
  return { call, labels, line, rows };
}

function mergeFields(into: CallFields, from: CallFields): CallFields {
  return {
    startedAt: into.startedAt ?? from.startedAt,
    campaign: into.campaign ?? from.campaign,
    language: into.language ?? from.language,
    split: into.split ?? from.split,
  };
}

/**
 * Groups consecutive turn-rows of the same call id into calls and emits each call when the next
 * one starts. A call id that comes back after another call started is reported, not merged.
 */
export class CallAssembler {
  private open: OpenCall | null = null;

  /** `finished` holds the ids of the calls of the file so far (shared with the reader, to find repeated ids). */
  constructor(
    private readonly emit: Emit,
    private readonly report: (err: RowError) => void,
    private readonly defaults: CallDefaults,
    private readonly finished: IdSet = new IdSet(),
  ) {}

  /** Adds one row; returns a promise when a call was emitted and the consumer asked to wait. */
  add(row: TurnRow): void | Promise<void> {
    if (row.callId === undefined) {
      const flushed = this.flush();
      if (row.turn === null) return flushed;
      if (row.ownIdGiven === true && this.finished.has(row.ownId)) {
        this.report({
          line: row.line,
          field: 'id',
          reason: `call id "${row.ownId}" was used by an earlier row of this file; this row was skipped`,
          code: 'duplicate_call_id',
          params: { line: row.line, callId: row.ownId },
        });
        return flushed;
      }
      if (row.ownIdGiven === true) this.finished.add(row.ownId);
      const rec = buildCall(row.ownId, row.botTurn !== undefined ? [row.botTurn, row.turn] : [row.turn], row.fields, this.defaults, row.line, 1);
      if (rec === null) {
        this.report({ line: row.line, field: 'speaker', reason: 'a row without a call id must be a user turn', code: 'row_needs_user_turn', params: { line: row.line } });
        return flushed;
      }
      return flushed === undefined ? this.emit(rec) : flushed.then(() => this.emit(rec));
    }
    if (this.open !== null && this.open.id === row.callId) {
      this.append(this.open, row);
      return undefined;
    }
    const flushed = this.flush();
    if (this.finished.has(row.callId)) {
      this.report({
        line: row.line,
        field: 'call_id',
        reason: `call "${row.callId}" appeared earlier and another call came in between; rows of one call must be consecutive`,
        code: 'call_not_consecutive',
        params: { line: row.line, callId: row.callId },
      });
      return flushed;
    }
    this.open = { id: row.callId, firstLine: row.line, turns: [], lines: [], rows: 0, hadBadRow: false, fields: {} };
    this.append(this.open, row);
    return flushed;
  }

  /** Emits the call still open at the end of the file. */
  finish(): void | Promise<void> {
    return this.flush();
  }

  private append(open: OpenCall, row: TurnRow): void {
    if (row.turn === null) {
      open.hadBadRow = true;
      return;
    }
    if (open.turns.length >= MAX_TURNS_PER_CALL) {
      this.report({
        line: row.line,
        reason: `call "${open.id}" has more than ${MAX_TURNS_PER_CALL} turns; the rest are skipped`,
        code: 'too_many_turns',
        params: { line: row.line, callId: open.id, max: MAX_TURNS_PER_CALL },
      });
      open.hadBadRow = true;
      return;
    }
    if (row.botTurn !== undefined) {
      open.turns.push(row.botTurn);
      open.lines.push(row.line);
    }
    open.turns.push(row.turn);
    open.lines.push(row.line);
    open.rows++;
    open.fields = mergeFields(open.fields, row.fields);
  }

  private flush(): void | Promise<void> {
    const open = this.open;
    if (open === null) return undefined;
    this.open = null;
    this.finished.add(open.id);
    const turns = this.orderTurns(open);
    const rec = buildCall(open.id, turns, open.fields, this.defaults, open.firstLine, open.rows);
    if (rec === null) {
      if (!open.hadBadRow) {
        this.report({ line: open.firstLine, field: 'speaker', reason: `call "${open.id}" has no user turn; skipped`, code: 'no_user_turn', params: { line: open.firstLine, callId: open.id } });
      }
      return undefined;
    }
    return this.emit(rec);
  }

  private orderTurns(open: OpenCall): ParsedTurn[] {
    if (!open.turns.every((t) => t.turnIndex !== undefined)) return open.turns;
    const order = open.turns.map((t, i) => i).sort((a, b) => (open.turns[a]?.turnIndex ?? 0) - (open.turns[b]?.turnIndex ?? 0) || a - b);
    const kept: ParsedTurn[] = [];
    let previous: ParsedTurn | undefined;
    for (const i of order) {
      const t = open.turns[i];
      if (t === undefined) continue;
      if (previous !== undefined && previous.turnIndex === t.turnIndex) {
        const line = open.lines[i] ?? open.firstLine;
        const turnIndex = Math.ceil(t.turnIndex ?? 0);
        this.report({ line, field: 'turn_index', reason: `turn_index ${turnIndex} repeats in call "${open.id}"`, code: 'duplicate_turn_index', params: { line, callId: open.id, turnIndex } });
        continue;
      }
      kept.push(t);
      previous = t;
    }
    return kept;
  }
}
