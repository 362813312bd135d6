import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { routes } from './routes';

const specPath = resolve(import.meta.dirname, '..', 'docs', 'platform-api.yaml');

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[] }>>;
  components: Record<string, Record<string, unknown>>;
}

function collectRefs(value: unknown, out: string[]): string[] {
  if (Array.isArray(value)) value.forEach((v) => collectRefs(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe('docs/platform-api.yaml', () => {
  it('documents exactly the operations the reference server serves, with matching auth', async () => {
    const spec = parse(await readFile(specPath, 'utf8')) as Spec;
    expect(spec.openapi).toBe('3.1.0');
    const documented = Object.entries(spec.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}${ops[method]!.security?.length === 0 ? ' (open)' : ''}`))
      .sort();
    const served = routes.map((r) => `${r.method} ${r.path}${r.auth ? '' : ' (open)'}`).sort();
    expect(documented).toEqual(served);
  });

  it('has no dangling $ref', async () => {
    const spec = parse(await readFile(specPath, 'utf8')) as Spec;
    for (const ref of collectRefs(spec, [])) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect(spec.components[section!]?.[name!], ref).toBeDefined();
    }
  });
});
