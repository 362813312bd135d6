import { describe, expect, it } from 'vitest';
import { CsvRecordReader, MAX_QUOTED_LINES, sepLineOf, sniffDelimiter, type CsvEvent, type Delimiter } from './csvReader';

/** Feeds `text` in chunks of `size` characters and returns every event. */
function read(text: string, options: { delimiter?: string; size?: number; width?: number } = {}): CsvEvent[] {
  const reader = new CsvRecordReader(options.delimiter ?? ',');
  if (options.width !== undefined) reader.expectedWidth = options.width;
  const out: CsvEvent[] = [];
  const size = options.size ?? text.length;
  for (let at = 0; at < text.length; at += size) out.push(...reader.push(text.slice(at, at + size)));
  out.push(...reader.end());
  return out;
}

const records = (events: CsvEvent[]): [number, string[]][] => events.flatMap((e) => (e.kind === 'record' ? [[e.line, e.cells] as [number, string[]]] : []));
const errors = (events: CsvEvent[]): [number, string][] => events.flatMap((e) => (e.kind === 'error' ? [[e.line, e.code] as [number, string]] : []));

describe('CsvRecordReader', () => {
  it('reads RFC 4180: quoted delimiters, doubled quotes and line breaks inside quotes, with physical line numbers', () => {
    const text = 'a,b\n"x, y","he said ""hi"""\n"two\nlines",z\nlast,row';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(records(read(text, { size })), `chunk ${size}`).toEqual([
        [1, ['a', 'b']],
        [2, ['x, y', 'he said "hi"']],
        [3, ['two\nlines', 'z']],
        [5, ['last', 'row']],
      ]);
    }
  });

  it('takes CR, LF and CRLF as line ends, also mixed, and skips blank lines', () => {
    for (const eol of ['\r', '\n', '\r\n']) {
      for (const size of [1, 2, 5, 100]) {
        const events = read(['h1,h2', 'a,1', '', 'b,2', ''].join(eol), { size });
        expect(records(events), JSON.stringify([eol, size])).toEqual([
          [1, ['h1', 'h2']],
          [2, ['a', '1']],
          [4, ['b', '2']],
        ]);
      }
    }
    expect(records(read('h\ra\nb\r\nc'))).toEqual([
      [1, ['h']],
      [2, ['a']],
      [3, ['b']],
      [4, ['c']],
    ]);
  });

  it('keeps a quote inside an unquoted field as written (Excel)', () => {
    expect(records(read('他说"好的",x\n'))).toEqual([[1, ['他说"好的"', 'x']]]);
  });

  it('reports an unclosed quote at the line its field starts and reads on from the next line', () => {
    const lines = ['id,text,intent', 'c1,"never closed,a'];
    for (let i = 3; i <= 200; i++) lines.push(`c${i - 1},row ${i},b`);
    for (const size of [3, 64, 100_000]) {
      const events = read(lines.join('\n') + '\n', { size, width: 3 });
      expect(errors(events), `chunk ${size}`).toEqual([[2, 'unclosed_quote']]);
      const recs = records(events);
      expect(recs).toHaveLength(199);
      expect(recs[1]).toEqual([3, ['c2', 'row 3', 'b']]);
      expect(recs.at(-1)).toEqual([200, ['c199', 'row 200', 'b']]);
    }
  });

  it('does not let an unbalanced quote merge rows: the later quote closes it, the record is refused and reading recovers', () => {
    const text = ['id,text,intent', 'c1,"unbalanced,a', 'c2,fine,b', 'c3,"quoted",c', 'c4,fine,d'].join('\n');
    const events = read(text, { width: 3 });
    expect(errors(events)).toEqual([[2, 'unclosed_quote']]);
    expect(records(events).map(([line]) => line)).toEqual([1, 3, 4, 5]);
  });

  it('refuses a record that spans lines through a quote and has the wrong number of cells', () => {
    const text = ['a,b,c', '1,"x,2', '3,4",5,6', '7,8,9'].join('\n');
    const events = read(text, { width: 3 });
    expect(errors(events)).toEqual([[2, 'unclosed_quote']]);
    expect(records(events).map(([line, cells]) => [line, cells.length])).toEqual([
      [1, 3],
      [3, 4],
      [4, 3],
    ]);
  });

  it('bounds a quoted field by lines: an open quote never swallows the file', () => {
    const text = '"open\n' + 'x\n'.repeat(MAX_QUOTED_LINES + 10) + 'end';
    const events = read(text, { size: 5 });
    expect(errors(events)[0]).toEqual([1, 'unclosed_quote']);
    expect(records(events)[0]).toEqual([2, ['x']]);
  });

  it('reports a stray character after a closing quote on that line and goes on', () => {
    const events = read('a,b\n"x"y,1\nz,2\n');
    expect(errors(events)).toEqual([[2, 'bad_closing_quote']]);
    expect(records(events)).toEqual([
      [1, ['a', 'b']],
      [3, ['z', '2']],
    ]);
  });

  it('skips an over-long line without a line end in bounded memory', () => {
    const reader = new CsvRecordReader(',');
    const out: CsvEvent[] = [...reader.push('h\n')];
    for (let i = 0; i < 40; i++) out.push(...reader.push('x'.repeat(64 * 1024)));
    out.push(...reader.push('\nok\n'), ...reader.end());
    expect(errors(out)).toEqual([[2, 'row_too_long']]);
    expect(records(out)).toEqual([
      [1, ['h']],
      [3, ['ok']],
    ]);
  });
});

describe('delimiters', () => {
  it.each<[string, Delimiter, Delimiter]>([
    ['a;b;c\n1;"2,5";3\n', ',', ';'],
    ['a\tb\n1\t2\n', ',', '\t'],
    ['a|b\n1|2\n', ',', '|'],
    ['a,b\n"x;y",2\n', ',', ','],
    ['text\nhello\n', '\t', '\t'],
  ])('sniffs comma, semicolon, tab and pipe, ignoring delimiters inside quotes: %j (fallback %j) → %j', (text, fallback, delimiter) => {
    expect(sniffDelimiter(text, fallback)).toBe(delimiter);
  });

  it('reads an Excel sep= first line', () => {
    expect(sepLineOf('sep=;\r\na;b\n')).toBe(';');
    expect(sepLineOf('SEP=|\na|b')).toBe('|');
    expect(sepLineOf('a,b\n')).toBeNull();
  });
});
