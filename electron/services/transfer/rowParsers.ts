import type { ImportField } from '../../../shared/contract/dto';
import type { Turn } from '../../../shared/domain/types';
import { buildCall, type CallDefaults, type ImportedCall, type ParsedTurn, type TurnRow } from './callAssembler';
import { FieldReader } from './importFields';

/** Names of the fields a row may have; JSON uses them as they are, CSV in snake_case (or a synonym, see columnMapping). */
export type RowKey = ImportField;

/** snake_case name of each field (the CSV column and an accepted JSON alias). */
export const SNAKE_KEYS: Readonly<Record<RowKey, string>> = {
  text: 'text',
  botText: 'bot_text',
  speaker: 'speaker',
  intent: 'intent',
  annotator: 'annotator',
  labeledAt: 'labeled_at',
  asrConfidence: 'asr_confidence',
  predictedIntent: 'predicted_intent',
  predictedConfidence: 'predicted_confidence',
  turnIndex: 'turn_index',
  callId: 'call_id',
  id: 'id',
  campaign: 'campaign',
  language: 'language',
  startedAt: 'started_at',
  split: 'split',
  node: 'node',
};

/** One raw row: a value per field and the name to use for the field in error messages. */
export interface RawRow {
  get(key: RowKey): unknown;
  field(key: RowKey): string;
}

/** Reads a JSON object as a row; each field may be camelCase or snake_case, names prefixed in errors. */
export function jsonRow(obj: Readonly<Record<string, unknown>>, prefix = ''): RawRow {
  const keyOf = (key: RowKey): string => (key in obj ? key : SNAKE_KEYS[key] in obj ? SNAKE_KEYS[key] : key);
  return { get: (key) => obj[keyOf(key)], field: (key) => prefix + keyOf(key) };
}

/** One of the reader's field parsers (FieldReader.text, .time, …). */
type FieldParser = (this: FieldReader, value: unknown, field: string) => unknown;

/** Reads the fields `spec` names, each with its parser and in the spec's order; errors name the row's field. */
function readFields<S extends Partial<Record<RowKey, FieldParser>>>(row: RawRow, r: FieldReader, spec: S): { [K in keyof S]: S[K] extends FieldParser ? ReturnType<S[K]> : never } {
  const out: Record<string, unknown> = {};
  for (const [key, parse] of Object.entries(spec) as [RowKey, FieldParser][]) out[key] = parse.call(r, row.get(key), row.field(key));
  return out as { [K in keyof S]: S[K] extends FieldParser ? ReturnType<S[K]> : never };
}

/** Reads one turn from a row; null when a field is bad (the reader holds the errors). */
export function parseTurn(row: RawRow, r: FieldReader): ParsedTurn | null {
  const fields = readFields(row, r, { speaker: r.speaker, text: r.text, asrConfidence: r.confidence, predictedIntent: r.predictedIntent, predictedConfidence: r.confidence, turnIndex: r.turnIndex, intent: r.label, annotator: r.name, labeledAt: r.time });
  const { speaker, text, asrConfidence, predictedIntent, predictedConfidence, turnIndex, annotator, labeledAt } = fields;
  let label = fields.intent;
  if (!r.ok || speaker === undefined || text === undefined || label === undefined) return null;
  if (label !== null && speaker === 'bot') {
    r.fail(row.field('intent'), 'label_on_bot_turn', 'only user turns carry labels; the label of this bot turn was ignored');
    label = null;
  }
  const user = speaker === 'user';
  const turn: Turn = {
    speaker,
    text,
    ...(asrConfidence !== undefined ? { asrConfidence } : {}),
    ...(user && predictedIntent !== undefined ? { predictedIntent } : {}),
    ...(user && predictedConfidence !== undefined ? { predictedConfidence } : {}),
  };
  return {
    turn,
    label,
    ...(turnIndex !== undefined ? { turnIndex } : {}),
    ...(annotator !== undefined ? { annotator } : {}),
    ...(labeledAt !== undefined ? { labeledAt } : {}),
  };
}

/** Reads a flat row (CSV row or JSONL utterance) as one turn of a call; bad rows get `turn: null`. */
export function parseTurnRow(row: RawRow, line: number, textual: boolean, fileStem: string): { row: TurnRow; reader: FieldReader } {
  const r = new FieldReader(line, textual);
  const { callId, id, startedAt, campaign, language, split, node } = readFields(row, r, { callId: r.id, id: r.id, startedAt: r.time, campaign: r.name, language: r.name, split: r.name, node: r.name });
  const botText = row.get('botText');
  const bot = botText === undefined || botText === '' || botText === null ? undefined : r.text(botText, row.field('botText'));
  const rowFieldsOk = r.ok;
  const parsed = parseTurn(row, r);
  // The node names a bot turn: the row's own when the row is the bot's, else the bot words of the same row.
  const turn = parsed !== null && node !== undefined && parsed.turn.speaker === 'bot' ? { ...parsed, turn: { ...parsed.turn, node } } : parsed;
  const botTurn: ParsedTurn | undefined =
    bot === undefined
      ? undefined
      : { turn: { speaker: 'bot', text: bot, ...(node !== undefined ? { node } : {}) }, label: null, ...(turn?.turnIndex !== undefined ? { turnIndex: turn.turnIndex - 0.5 } : {}) };
  return {
    row: {
      line,
      ...(callId !== undefined ? { callId } : {}),
      ownId: id ?? `${fileStem}:${line}`,
      ...(id !== undefined ? { ownIdGiven: true } : {}),
      turn: rowFieldsOk ? turn : null,
      ...(rowFieldsOk && turn !== null && botTurn !== undefined ? { botTurn } : {}),
      fields: { startedAt, campaign, language, split },
    },
    reader: r,
  };
}

/** Reads a JSON call object (`{"id", "turns": [...]}`) as a call; null when nothing valid is left. */
export function parseCallObject(
  obj: Readonly<Record<string, unknown>>,
  line: number,
  fileStem: string,
  defaults: CallDefaults,
): { rec: ImportedCall | null; reader: FieldReader } {
  const r = new FieldReader(line, false);
  const call = jsonRow(obj);
  const id = r.id(call.get('id'), 'id');
  const startedAt = r.time(call.get('startedAt'), call.field('startedAt'));
  const campaign = r.name(call.get('campaign'), 'campaign');
  const language = r.name(call.get('language'), 'language');
  const rawTurns = obj.turns;
  if (!Array.isArray(rawTurns)) r.fail('turns', 'bad_turns', '"turns" must be a list of turns');
  if (!r.ok || !Array.isArray(rawTurns)) return { rec: null, reader: r };
  const turns: ParsedTurn[] = [];
  let badTurns = 0;
  rawTurns.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      r.fail(`turns[${i}]`, 'bad_turn', 'each turn must be a JSON object');
      badTurns += 1;
      return;
    }
    const rawTurn = raw as Record<string, unknown>;
    const turnReader = new FieldReader(line, false);
    const parsed = parseTurn(jsonRow(rawTurn, `turns[${i}].`), turnReader);
    // A bot turn may name its flow node (step id); a user turn's node is ignored like any other unknown field.
    const node = parsed?.turn.speaker === 'bot' ? turnReader.name(rawTurn.node, `turns[${i}].node`) : undefined;
    r.errors.push(...turnReader.errors);
    if (parsed === null || !turnReader.ok) badTurns += 1;
    else turns.push(node === undefined ? parsed : { ...parsed, turn: { ...parsed.turn, node } });
  });
  const callId = id ?? `${fileStem}:${line}`;
  const rec = buildCall(callId, turns, { startedAt, campaign, language }, defaults, line, 1);
  if (rec === null && badTurns === 0) r.fail('turns', 'no_user_turn', `call "${callId}" has no user turn; skipped`, { callId });
  return { rec, reader: r };
}
