import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, type LogRecord } from './logger';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'callsift-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function records(path: string): LogRecord[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord);
}

describe('the JSON-lines log', () => {
  it('writes one JSON object a line with time, level, event, message, fields and the error with its stack and code', () => {
    const dir = join(tempDir(), 'logs');
    const logger = createFileLogger({ dir, now: () => Date.UTC(2026, 11, 4, 12, 0, 0) });
    const err = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    logger.error('store.compact', err, { folder: '/w', entries: 3 });
    logger.warn('model.restore', 'not an Error');
    logger.info('server.start', 'listening', { port: 4780 });
    expect(logger.path).toBe(join(dir, 'callsift.log'));
    const [first, second, third] = records(logger.path);
    expect(first).toMatchObject({ time: '2026-12-04T12:00:00.000Z', level: 'error', event: 'store.compact', message: 'disk full', folder: '/w', entries: 3 });
    expect(first!.error).toMatchObject({ name: 'Error', message: 'disk full', code: 'ENOSPC' });
    expect(first!.error!.stack).toContain('logger.test.ts');
    expect(second).toMatchObject({ level: 'warn', event: 'model.restore', message: 'not an Error', error: { name: 'string', message: 'not an Error' } });
    expect(third).toMatchObject({ level: 'info', event: 'server.start', message: 'listening', port: 4780 });
    expect(third!.error).toBeUndefined();
  });

  it('rotates by size, keeping maxFiles files, newest first, and no line is split across files', () => {
    const dir = tempDir();
    const logger = createFileLogger({ dir, maxBytes: 1000, maxFiles: 3 });
    for (let i = 0; i < 100; i++) logger.info('tick', `record ${i}`, { i });
    expect(readdirSync(dir).sort()).toEqual(['callsift.log', 'callsift.log.1', 'callsift.log.2']);
    const files = ['callsift.log.2', 'callsift.log.1', 'callsift.log'].map((name) => join(dir, name));
    for (const file of files) expect(readFileSync(file).length).toBeLessThanOrEqual(1000);
    // Oldest to newest, the kept records are consecutive and end with the last one written.
    const kept = files.flatMap((file) => records(file)).map((r) => r['i'] as number);
    expect(kept.at(-1)).toBe(99);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 100 - kept.length + k));
    expect(kept.length).toBeLessThan(100);
  });

  it('appends to the file a previous run left and counts its size', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'callsift.log'), `${JSON.stringify({ time: 'x', level: 'info', event: 'old', message: 'old' })}\n`.padEnd(950, ' '));
    const logger = createFileLogger({ dir, maxBytes: 1000, maxFiles: 2 });
    logger.info('new', 'a record long enough to pass the limit of one thousand bytes');
    expect(records(join(dir, 'callsift.log')).map((r) => r.event)).toEqual(['new']);
    expect(readFileSync(join(dir, 'callsift.log.1'), 'utf8')).toContain('"old"');
  });

  it('never throws when the file cannot be written, and says so once on stderr', () => {
    // The log folder's place is taken by a file: every write fails, as on a read-only or full disk.
    const blocked = join(tempDir(), 'logs');
    writeFileSync(blocked, 'not a folder');
    const lines: string[] = [];
    const logger = createFileLogger({ dir: blocked, warn: (line) => lines.push(line) });
    for (let i = 0; i < 5; i++) expect(() => logger.error('x', new Error('boom'))).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/cannot write its log .*callsift\.log/);
    expect(existsSync(join(blocked, 'callsift.log'))).toBe(false);
  });
});
