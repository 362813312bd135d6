import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorData } from '../../shared/contract/errors';
import { describeInvalidArgument } from '../../shared/contract/dispatch';
import { sentence } from '../../shared/contract/errorWords';
import { pathFields, schemas } from '../../shared/contract/schemas';
import { FIELD_NAMES_EN, FIELD_NAMES_ZH } from '../i18n/fieldNames';
import { errorText } from './errorText';
import { fieldLabel } from './fieldLabel';

const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

/** Every field id a service, bridge or the contract names by hand: `field: 'id'` in a non-test source. */
function fieldsNamedInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of ['electron/services', 'electron/server', 'shared/contract'].flatMap((d) => sources(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bfield: '([A-Za-z_][\w.]*)'/g)) {
      const id = m[1]!;
      if (!found.has(id)) found.set(id, `${relative(root, file)}:${text.slice(0, m.index).split('\n').length}`);
    }
  }
  return found;
}

/** Every top-level argument field of every contract method: what argument validation can name. */
function schemaFields(): Set<string> {
  const keys = new Set<string>();
  for (const s of Object.values(schemas)) {
    const shape = (s as unknown as { shape?: Record<string, unknown> }).shape;
    if (shape) for (const k of Object.keys(shape)) keys.add(k);
  }
  for (const fields of Object.values(pathFields)) for (const k of Object.keys(fields)) keys.add(k);
  return keys;
}

describe('field names', () => {
  it('has a zh-CN and an en name for every field id the services and the contract can name', () => {
    const named = fieldsNamedInSources();
    const fromSchemas = schemaFields();
    // The scans find what they look for (so an empty scan cannot pass).
    expect(named.size).toBeGreaterThan(10);
    expect(fromSchemas.size).toBeGreaterThan(30);
    expect(named.has('name') && named.has('clusterId') && fromSchemas.has('annotator')).toBe(true);
    const missing: string[] = [];
    for (const [id, where] of named) if (!Object.hasOwn(FIELD_NAMES_ZH, id) || !Object.hasOwn(FIELD_NAMES_EN, id)) missing.push(`${id} (${where})`);
    for (const id of fromSchemas) if (!Object.hasOwn(FIELD_NAMES_ZH, id) || !Object.hasOwn(FIELD_NAMES_EN, id)) missing.push(`${id} (schemas)`);
    expect(missing).toEqual([]);
  });

  it('names fields in Chinese in the zh-CN table, key for key with en', () => {
    expect(Object.keys(FIELD_NAMES_EN).sort()).toEqual(Object.keys(FIELD_NAMES_ZH).sort());
    for (const [id, name] of Object.entries(FIELD_NAMES_ZH)) expect(name, id).toMatch(/[\u4e00-\u9fff]/);
    for (const [id, name] of Object.entries(FIELD_NAMES_EN)) expect(name.length, id).toBeGreaterThan(0);
  });

  it('reads a nested or listed field by its name, and an unknown one as its id', () => {
    expect(fieldLabel('name', 'zh-CN')).toBe('名称');
    expect(fieldLabel('name', 'en')).toBe('name');
    expect(fieldLabel('target.intentId', 'zh-CN')).toBe('标注的意图');
    expect(fieldLabel('target.kind', 'zh-CN')).toBe('标注目标');
    expect(fieldLabel('slots.3', 'zh-CN')).toBe('数字键（第 4 项）');
    expect(fieldLabel('slots.3', 'en')).toBe('digit keys (item 4)');
    expect(fieldLabel('brandNewField', 'zh-CN')).toBe('brandNewField');
  });

  it('words a field error with the field’s name, not its id', () => {
    const taken = errorData('conflict', sentence('intent_name_taken', { name: '退保' }), { field: 'name' });
    expect(errorText(taken, 'zh-CN')).not.toContain('name');
    const invalid = describeInvalidArgument('intent.createIntent', [{ code: 'too_small', path: ['name'], message: 'x', minimum: 1, origin: 'string' }]);
    expect(errorText(invalid, 'zh-CN')).toContain('名称');
    expect(errorText(invalid, 'zh-CN')).not.toMatch(/[A-Za-z]/);
    expect(errorText(invalid, 'en')).toMatch(/^Field name: /);
  });
});
