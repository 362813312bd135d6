import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { platformOperations, type PlatformOperation } from '../shared/platformApi/operations';
import { errorBody } from '../shared/platformApi/schemas';
import { routes } from './routes';

const specPath = resolve(import.meta.dirname, '..', 'docs', 'platform-api.yaml');

type Json = Record<string, unknown>;

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Json;
}

interface SpecOperation {
  operationId?: string;
  security?: unknown[];
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

interface Spec {
  openapi: string;
  paths: Record<string, Record<string, SpecOperation>>;
  components: Record<string, Record<string, Json>>;
}

/**
 * A schema reduced to what the wire promises: the type (a union when several), for objects every property with
 * its shape, which are required and whether others are refused, for arrays the items, enums, bounds and defaults.
 * Descriptions, examples and the way a schema is spelled ($ref, allOf, `type: [x, 'null']`, anyOf) are left out,
 * so a zod schema and the hand-written OpenAPI one compare equal exactly when they describe the same values.
 */
type Shape =
  | { readonly type: 'any' }
  | { readonly type: 'union'; readonly of: readonly Shape[] }
  | { readonly type: 'object'; readonly properties: Readonly<Record<string, Shape>>; readonly required: readonly string[]; readonly closed: boolean }
  | { readonly type: 'array'; readonly items: Shape; readonly bounds: Json }
  | { readonly type: string; readonly bounds: Json };

const BOUND_KEYS = ['enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'default'] as const;

function boundsOf(schema: Json): Json {
  const bounds: Json = {};
  for (const key of BOUND_KEYS) {
    const value = schema[key];
    if (value === undefined) continue;
    // zod spells "an integer" with the safe-integer range; the document leaves it unsaid.
    if ((key === 'minimum' || key === 'maximum') && typeof value === 'number' && Math.abs(value) >= Number.MAX_SAFE_INTEGER) continue;
    bounds[key] = key === 'enum' && Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value;
  }
  return bounds;
}

function unionOf(shapes: readonly Shape[]): Shape {
  const flat = shapes.flatMap((s) => (s.type === 'union' ? (s as { of: readonly Shape[] }).of : [s]));
  if (flat.some((s) => s.type === 'any')) return { type: 'any' };
  const unique = [...new Map(flat.map((s) => [JSON.stringify(s), s])).values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return unique.length === 1 ? unique[0]! : { type: 'union', of: unique };
}

function shapeOf(schema: Json, refs: (ref: string) => Json): Shape {
  if (typeof schema.$ref === 'string') return shapeOf(refs(schema.$ref), refs);
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as Json[]).map((s) => shapeOf(s, refs));
    const properties: Record<string, Shape> = {};
    const required = new Set<string>();
    let closed = true;
    for (const part of parts) {
      if (part.type !== 'object') throw new Error(`allOf of a non-object: ${JSON.stringify(part)}`);
      const o = part as Extract<Shape, { properties: unknown }>;
      Object.assign(properties, o.properties);
      o.required.forEach((r) => required.add(r));
      closed &&= o.closed;
    }
    return { type: 'object', properties, required: [...required].sort(), closed };
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (alternatives) return unionOf(alternatives.map((s) => shapeOf(s, refs)));
  if (Array.isArray(schema.type)) return unionOf((schema.type as string[]).map((type) => shapeOf({ ...schema, type }, refs)));
  const type = schema.type as string | undefined;
  if (type === undefined) return schema.properties ? shapeOf({ ...schema, type: 'object' }, refs) : { type: 'any' };
  if (type === 'object') {
    const properties: Record<string, Shape> = {};
    for (const [name, value] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) properties[name] = shapeOf(value, refs);
    return { type, properties, required: [...((schema.required ?? []) as string[])].sort(), closed: schema.additionalProperties === false };
  }
  if (type === 'array') return { type, items: schema.items ? shapeOf(schema.items as Json, refs) : { type: 'any' }, bounds: boundsOf(schema) };
  if (type === 'null' || type === 'boolean') return { type, bounds: {} };
  return { type, bounds: boundsOf(schema) };
}

function zodShape(schema: z.ZodType): Shape {
  return shapeOf(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'throw' }) as Json, () => {
    throw new Error('zod schemas here are inlined');
  });
}

let spec: Spec;
let refs: (ref: string) => Json;

beforeAll(async () => {
  spec = parse(await readFile(specPath, 'utf8')) as Spec;
  refs = (ref) => {
    const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
    const target = spec.components[section!]?.[name!];
    if (!target) throw new Error(`dangling ${ref}`);
    return target;
  };
});

function deref<T extends Json>(value: Json): T {
  return (typeof value.$ref === 'string' ? deref(refs(value.$ref)) : value) as T;
}

function specOperation(op: PlatformOperation): SpecOperation {
  const found = spec.paths[op.path]?.[op.method.toLowerCase()];
  if (!found) throw new Error(`docs/platform-api.yaml has no ${op.method} ${op.path}`);
  return found;
}

function jsonSchemaOf(container: Json | undefined): Json | undefined {
  const content = container?.content as Record<string, { schema?: Json }> | undefined;
  return content?.['application/json']?.schema;
}

const cases = platformOperations.map((op) => [`${op.method} ${op.path}`, op as PlatformOperation] as const);

describe('docs/platform-api.yaml against shared/platformApi', () => {
  it('documents exactly the operations the reference server serves, with their ids and auth', () => {
    expect(spec.openapi).toBe('3.1.0');
    const documented = Object.entries(spec.paths)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, o]) => `${method.toUpperCase()} ${path} ${o.operationId}${o.security?.length === 0 ? ' (open)' : ''}`))
      .sort();
    const declared = platformOperations.map((op) => `${op.method} ${op.path} ${op.operationId}${op.auth ? '' : ' (open)'}`).sort();
    expect(documented).toEqual(declared);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(platformOperations.map((op) => `${op.method} ${op.path}`));
  });

  it.each(cases)('%s: the same request body, field by field', (_name, op) => {
    const documented = specOperation(op).requestBody;
    if (op.body === undefined) {
      expect(documented).toBeUndefined();
      return;
    }
    const body = deref(documented!);
    expect(body.required).toBe(true);
    expect(shapeOf(jsonSchemaOf(body)!, refs)).toEqual(zodShape(op.body));
  });

  it.each(cases)('%s: the same success replies, field by field', (_name, op) => {
    const responses = specOperation(op).responses;
    const success = Object.keys(responses).filter((status) => Number(status) < 400);
    expect(success.sort()).toEqual(Object.keys(op.replies).sort());
    for (const [status, schema] of Object.entries(op.replies)) {
      const documented = jsonSchemaOf(deref(responses[status]!));
      if (schema === null) expect(documented, `${status} has no body`).toBeUndefined();
      else expect(shapeOf(documented!, refs), `reply ${status}`).toEqual(zodShape(schema));
    }
  });

  it.each(cases)('%s: every error reply is the error body', (_name, op) => {
    const responses = specOperation(op).responses;
    const errors = Object.keys(responses).filter((status) => Number(status) >= 400);
    if (op.auth) expect(errors).toContain('401');
    for (const status of errors) expect(shapeOf(jsonSchemaOf(deref(responses[status]!))!, refs), `error ${status}`).toEqual(zodShape(errorBody));
  });

  it.each(cases)('%s: the same query and path parameters', (_name, op) => {
    const params = (specOperation(op).parameters ?? []).map((p) => deref<Json>(p) as unknown as SpecParameter);
    const query = Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, shapeOf(p.schema ?? {}, refs)]));
    const declared = Object.fromEntries(Object.entries(op.query ?? {}).map(([name, schema]) => [name, zodShape(schema)]));
    expect(query).toEqual(declared);
    const inPath = params.filter((p) => p.in === 'path').map((p) => p.name).sort();
    const templated = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(inPath).toEqual(templated);
    expect(params.filter((p) => p.in === 'path').every((p) => p.required === true)).toBe(true);
  });

  it('has no dangling $ref', () => {
    const collect = (value: unknown, out: string[]): string[] => {
      if (Array.isArray(value)) value.forEach((v) => collect(v, out));
      else if (typeof value === 'object' && value !== null) {
        for (const [key, v] of Object.entries(value)) {
          if (key === '$ref' && typeof v === 'string') out.push(v);
          else collect(v, out);
        }
      }
      return out;
    };
    for (const ref of collect(spec, [])) expect(() => refs(ref), ref).not.toThrow();
  });
});

describe('the shape comparison', () => {
  it('tells apart what differs in a field, its type, required-ness, enum, bounds or closedness, and not the spelling', () => {
    const base = z.strictObject({ id: z.string().max(8), status: z.enum(['a', 'b']), n: z.number().int().nullable(), tags: z.array(z.string()).optional() });
    const spelled: Json = {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'id', 'n'],
      properties: {
        id: { type: 'string', maxLength: 8, description: 'words do not matter' },
        status: { type: 'string', enum: ['b', 'a'] },
        n: { type: ['integer', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
    };
    const same = (s: Json): boolean => JSON.stringify(shapeOf(s, refs)) === JSON.stringify(zodShape(base));
    expect(same(spelled)).toBe(true);
    const props = spelled.properties as Json;
    expect(same({ ...spelled, additionalProperties: true })).toBe(false);
    expect(same({ ...spelled, required: ['status', 'id'] })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, status: { type: 'string', enum: ['a', 'b', 'c'] } } })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, id: { type: 'string', maxLength: 9 } } })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, n: { type: 'integer' } } })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, n: { type: ['number', 'null'] } } })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, extra: { type: 'string' } } })).toBe(false);
    expect(same({ ...spelled, properties: { ...props, tags: { type: 'array', items: { type: 'integer' } } } })).toBe(false);
  });
});
