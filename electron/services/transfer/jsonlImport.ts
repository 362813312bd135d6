import { CallAssembler } from './callAssembler';
import { decodeError, type ImportRun } from './importRun';
import { jsonRow, parseCallObject, parseTurnRow } from './rowParsers';
import { LineSplitter, OVERLONG_LINE } from './textSource';

const MAX_LINE_CHARS = 8 * 1024 * 1024;

/** Describes a JSON.parse failure in plain words, with the column when V8 names a position. */
export function describeJsonError(err: unknown, text: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /at position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return `invalid JSON at column ${Number(position[1]) + 1}`;
  if (message.includes('Unexpected end of JSON input')) return `invalid JSON: the line ends before the JSON is complete (column ${text.length + 1})`;
  const token = /^Unexpected token '(.+?)'/.exec(message);
  if (token?.[1] !== undefined) {
    const column = text.indexOf(token[1]);
    return column >= 0 ? `invalid JSON at column ${column + 1}: unexpected "${token[1]}"` : `invalid JSON: unexpected "${token[1]}"`;
  }
  return `invalid JSON: ${message}`;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function handleLine(text: string, line: number, run: ImportRun, assembler: CallAssembler): void | Promise<void> {
  if (isBlank(text)) return undefined;
  run.countRow();
  if (text.includes('\uFFFD')) {
    run.report(decodeError(line, run.encoding));
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    run.report({ line, reason: describeJsonError(err, text), code: 'invalid_json', params: { line } });
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    run.report({ line, reason: 'each line must be a JSON object ({…})', code: 'not_json_object', params: { line } });
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  if ('turns' in obj) {
    const flushed = assembler.finish();
    const { rec, reader } = parseCallObject(obj, line, run.fileStem, run.defaults);
    for (const e of reader.errors) run.report(e);
    if (rec === null) return flushed;
    const given = obj.id !== undefined && obj.id !== null && obj.id !== '';
    if (given && run.seenCallIds.has(rec.call.id)) {
      run.report({ line, field: 'id', reason: `call id "${rec.call.id}" was used by an earlier line of this file; this line was skipped`, code: 'duplicate_call_id', params: { line, callId: rec.call.id } });
      return flushed;
    }
    if (given) run.seenCallIds.add(rec.call.id);
    return flushed === undefined ? run.emit(rec) : flushed.then(() => run.emit(rec));
  }
  const { row, reader } = parseTurnRow(jsonRow(obj), line, false, run.fileStem);
  for (const e of reader.errors) run.report(e);
  return assembler.add(row);
}

/** Reads JSON Lines: each line a call (`turns`) or an utterance (`text`); blank lines are skipped. */
export async function readJsonLines(run: ImportRun): Promise<void> {
  const assembler = new CallAssembler(run.emit, run.report, run.defaults, run.seenCallIds);
  const splitter = new LineSplitter(MAX_LINE_CHARS);
  let sawContent = false;
  let stopped = false;
  const handle = async (lines: Array<string | typeof OVERLONG_LINE>, first: number): Promise<void> => {
    for (let i = 0; i < lines.length && !stopped; i += 1) {
      const text = lines[i];
      const line = first + i;
      if (!sawContent && typeof text === 'string' && !isBlank(text)) {
        sawContent = true;
        if (text.trimStart().startsWith('[')) {
          run.countRow();
          run.report({ line, reason: 'this file is one JSON array; import reads JSON Lines: one JSON object per line', code: 'json_array_file', params: { line } });
          stopped = true;
          return;
        }
      }
      if (text === OVERLONG_LINE) {
        run.countRow();
        run.report({ line, reason: `line longer than ${MAX_LINE_CHARS / 1024 / 1024} M characters; skipped`, code: 'line_too_long', params: { line } });
        continue;
      }
      if (text === undefined) continue;
      const pending = handleLine(text, line, run, assembler);
      if (pending !== undefined) await pending;
    }
  };
  for await (const chunk of run.source.chunks()) {
    run.checkpoint();
    const first = splitter.nextLine;
    await handle(splitter.push(chunk), first);
    if (stopped) return;
  }
  const first = splitter.nextLine;
  await handle(splitter.end(), first);
  const pending = assembler.finish();
  if (pending !== undefined) await pending;
}
