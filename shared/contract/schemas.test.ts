import { describe, expect, it } from 'vitest';
import { isPlatformUrl, methodNames, pathFields, pathFieldsOf, schemas } from './schemas';

/** Argument fields whose name says "path" but that never reach the file system (display names). */
const notPaths: Readonly<Record<string, readonly string[]>> = { 'transfer.importContent': ['fileName'], 'transfer.previewImport': ['fileName'] };

describe('pathFields', () => {
  it('declares every argument field whose name looks like a path or folder', () => {
    const undeclared: string[] = [];
    for (const method of methodNames) {
      const shape = (schemas[method] as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of Object.keys(shape)) {
        if (!/path|folder|dir|file/i.test(field) || notPaths[method]?.includes(field)) continue;
        if (!pathFieldsOf(method).some(([f]) => f === field)) undeclared.push(`${method}.${field}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('names only fields that exist in the schemas', () => {
    for (const [method, fields] of Object.entries(pathFields)) {
      const shape = (schemas[method as keyof typeof schemas] as unknown as { shape: Record<string, unknown> }).shape;
      for (const field of Object.keys(fields)) expect(Object.keys(shape), `${method}.${field}`).toContain(field);
    }
  });

  it('lists the fields with their kinds', () => {
    expect(pathFieldsOf('transfer.exportFile')).toEqual([['path', 'fileToWrite']]);
    expect(pathFieldsOf('model.exportReportFile')).toEqual([['path', 'fileToWrite']]);
    expect(pathFieldsOf('model.exportReportContent')).toEqual([]);
    expect(pathFieldsOf('workspace.openWorkspace')).toEqual([['folder', 'folder']]);
    expect(pathFieldsOf('label.setLabel')).toEqual([]);
  });
});

describe('sync.connect url', () => {
  const connect = (url: string) => schemas['sync.connect'].safeParse({ url, token: 't', project: 'p' });

  it('accepts http and https addresses', () => {
    expect(connect('http://127.0.0.1:4790').success).toBe(true);
    expect(connect(' https://platform.example.com/api/v1 ').success).toBe(true);
  });

  it('refuses other schemes, missing hosts and credentials, naming the field', () => {
    for (const url of ['file:///etc/passwd', 'data:text/plain,hi', 'javascript:alert(1)', 'ftp://x.example', 'http://', 'https://user:pw@x.example', '//x.example', 'x.example']) {
      const parsed = connect(url);
      expect(parsed.success, url).toBe(false);
      expect(parsed.error?.issues[0]?.path, url).toEqual(['url']);
    }
    expect(isPlatformUrl('file:///etc/passwd')).toBe(false);
  });
});

describe('export formats', () => {
  it('accepts xlsx beside jsonl, csv and rasa for label exports, and nothing else', () => {
    for (const format of ['jsonl', 'csv', 'rasa', 'xlsx']) {
      expect(schemas['transfer.exportContent'].safeParse({ format }).success, format).toBe(true);
      expect(schemas['transfer.exportFile'].safeParse({ path: '/tmp/x', format }).success, format).toBe(true);
    }
    expect(schemas['transfer.exportContent'].safeParse({ format: 'xls' }).success).toBe(false);
  });

  it('exports a model report as xlsx or csv, of a given version or the latest', () => {
    const content = schemas['model.exportReportContent'];
    expect(content.parse({ format: 'xlsx' })).toEqual({ format: 'xlsx' });
    expect(content.parse({ version: 2, format: 'csv' })).toEqual({ version: 2, format: 'csv' });
    for (const bad of [{ format: 'rasa' }, { format: 'xlsx', version: 0 }, { format: 'xlsx', version: 1.5 }, { format: 'xlsx', path: '/tmp/x' }, {}]) {
      expect(content.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    const file = schemas['model.exportReportFile'];
    expect(file.parse({ format: 'xlsx', path: '/tmp/report.xlsx' })).toEqual({ format: 'xlsx', path: '/tmp/report.xlsx' });
    expect(file.safeParse({ format: 'xlsx' }).success).toBe(false);
    expect(file.safeParse({ format: 'xlsx', path: '' }).success).toBe(false);
  });
});
