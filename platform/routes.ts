import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';
import type { FaultSwitch } from './faults';
import { API_PREFIX, API_VERSION, ApiError, readJsonBody } from './http';
import { simulateCalls, type CallSource } from './simulator';
import type { PlatformProject } from './store/project';

/** What a handler answers: a JSON value, or JSON text already serialized. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly rawJson?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Everything a handler may use. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly faults: FaultSwitch;
  readonly allowFaults: boolean;
  readonly projects: ReadonlyMap<string, PlatformProject>;
  readonly sourceOf: (project: PlatformProject) => CallSource;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One API operation: method, OpenAPI-style path template and handler. */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  /** False only for the unauthenticated version probe. */
  readonly auth: boolean;
  /** False for the fault switch and the version probe, which faults never hit. */
  readonly faultable: boolean;
  readonly handle: (ctx: RouteContext) => Promise<Reply>;
}

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 2000;
const LABEL_BATCH_MAX = 5000;
const BODY_LIMIT = 8 * 1024 * 1024;
const MODEL_BODY_LIMIT = 128 * 1024 * 1024;

const labelSchema = z
  .object({
    id: z.string().min(8).max(128),
    utteranceId: z.string().min(3).max(512),
    intent: z.string().min(1).max(256).nullable(),
    annotator: z.string().min(1).max(256),
    labeledAt: z.number().int().nonnegative(),
  })
  .strict();
const labelsBody = z.object({ labels: z.array(labelSchema).max(LABEL_BATCH_MAX) }).strict();
const modelBody = z.object({ artifact: z.record(z.string(), z.unknown()), evaluation: z.unknown().optional(), notes: z.string().max(20_000).optional() }).strict();
const predictBody = z.object({ texts: z.array(z.string().max(4000)).max(2000) }).strict();
const simulateBody = z.object({ calls: z.number().int().min(1).max(200_000) }).strict();
const intentBody = z
  .object({
    name: z.string().min(1).max(256).optional(),
    description: z.string().max(4000).optional(),
    examples: z.array(z.string().max(4000)).max(1000).optional(),
    status: z.enum(['active', 'proposed', 'deprecated']).optional(),
    group: z.string().max(256).optional(),
    mergedInto: z.string().max(256).optional(),
  })
  .strict();
const faultsBody = z
  .object({
    fail: z.number().int().nonnegative().optional(),
    delay: z.number().int().nonnegative().optional(),
    delayMs: z.number().int().nonnegative().max(600_000).optional(),
    truncate: z.number().int().nonnegative().optional(),
    hangUp: z.number().int().nonnegative().optional(),
    repeatIds: z.number().int().nonnegative().optional(),
    skipIds: z.number().int().nonnegative().optional(),
    match: z.string().max(512).optional(),
  })
  .strict();

async function parseBody<T>(ctx: RouteContext, schema: z.ZodType<T>, limit = BODY_LIMIT): Promise<T> {
  const raw = await readJsonBody(ctx.req, limit);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new ApiError(400, 'invalid_request', `${field ? `"${field}": ` : ''}${issue.message}`, field ? { field } : undefined);
  }
  return parsed.data;
}

function projectOf(ctx: RouteContext): PlatformProject {
  const name = ctx.params.project!;
  const project = ctx.projects.get(name);
  if (!project) throw new ApiError(404, 'not_found', `There is no project "${name}" on this platform.`);
  return project;
}

function intParam(ctx: RouteContext, name: string, fallback: number, min: number, max: number): number {
  const text = ctx.url.searchParams.get(name);
  if (text === null || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ApiError(400, 'invalid_request', `"${name}" must be a whole number from ${min} to ${max}, not "${text}".`, { field: name });
  return n;
}

function versionParam(ctx: RouteContext): number {
  const text = ctx.params.version!;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new ApiError(404, 'not_found', `"${text}" is not a model version.`);
  return n;
}

function ok(body: unknown, status = 200, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

function requireFaults(ctx: RouteContext): FaultSwitch {
  if (!ctx.allowFaults) throw new ApiError(404, 'not_found', 'Fault injection is off; start the platform with --allow-faults.');
  return ctx.faults;
}

/** Serializes the active model's identity for replies. */
function predictorInfo(project: PlatformProject): { version: number | null; kind: string } {
  return { version: project.predictor.version, kind: project.predictor.kind };
}

/** The platform API, in matching order (literal paths before templated ones). */
export const routes: readonly Route[] = [
  {
    method: 'GET',
    path: '/version',
    auth: false,
    faultable: false,
    handle: async () => ok({ apiVersion: API_VERSION, server: 'callsift-reference-platform', serverVersion: '0.1.0' }),
  },
  {
    method: 'GET',
    path: '/projects',
    auth: true,
    faultable: true,
    handle: async (ctx) =>
      ok({
        projects: [...ctx.projects.values()].map((p) => ({
          name: p.name,
          createdAt: p.meta.createdAt,
          calls: p.feed.headSeq,
          labels: p.labels.headSeq,
          intentsVersion: p.catalogue.version,
          activeModel: p.models.activeVersion,
        })),
      }),
  },
  {
    method: 'GET',
    path: '/projects/{project}/intents',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const { catalogue } = project;
      const headers = { ETag: catalogue.etag };
      if (ctx.req.headers['if-none-match'] === catalogue.etag) return { status: 304, headers };
      const sinceText = ctx.url.searchParams.get('since');
      const since = sinceText === null || sinceText === '' ? null : intParam(ctx, 'since', 0, 0, Number.MAX_SAFE_INTEGER);
      return ok(catalogue.changesSince(since), 200, headers);
    },
  },
  {
    method: 'PUT',
    path: '/projects/{project}/intents/{intentId}',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const patch = await parseBody(ctx, intentBody);
      const intent = await project.upsertIntent(ctx.params.intentId!, patch);
      return ok({ intent, version: project.catalogue.version, etag: project.catalogue.etag }, 200, { ETag: project.catalogue.etag });
    },
  },
  {
    method: 'GET',
    path: '/projects/{project}/calls',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const limit = intParam(ctx, 'limit', FEED_DEFAULT_LIMIT, 1, FEED_MAX_LIMIT);
      let after = decodeCursor(ctx.url.searchParams.get('cursor'));
      const head = project.feed.headSeq;
      if (after > head) throw new ApiError(409, 'cursor_ahead', `The cursor points past the newest call (${after} > ${head}); this platform's data is not the data the cursor came from.`);
      if (after > 0 && ctx.faults.take('repeatIds', ctx.url.pathname)) after -= 1;
      else if (after + 1 < head && ctx.faults.take('skipIds', ctx.url.pathname)) after += 1;
      const page = await project.feed.page(after, limit);
      const hasMore = page.lastSeq < page.headSeq;
      const tail = `],"nextCursor":${JSON.stringify(encodeCursor(page.lastSeq))},"hasMore":${hasMore},"remaining":${page.headSeq - page.lastSeq}}`;
      return { status: 200, rawJson: `{"calls":[${page.callsJson.join(',')}${tail}` };
    },
  },
  {
    method: 'POST',
    path: '/projects/{project}/labels',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const { labels } = await parseBody(ctx, labelsBody);
      const results = await project.labels.upload(labels, (id) => project.isKnownUtterance(id));
      return ok({ results });
    },
  },
  {
    method: 'GET',
    path: '/projects/{project}/labels',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const since = intParam(ctx, 'since', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(ctx, 'limit', 1000, 1, 10_000);
      const page = await project.labels.since(since, limit);
      return { status: 200, rawJson: `{"labels":[${page.labelsJson.join(',')}],"nextSince":${page.lastSeq},"hasMore":${page.lastSeq < page.headSeq}}` };
    },
  },
  {
    method: 'GET',
    path: '/projects/{project}/models',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const active = project.models.activeVersion;
      return ok({ active, history: project.models.history, models: project.models.list().map((m) => ({ ...m, active: m.version === active })) });
    },
  },
  {
    method: 'POST',
    path: '/projects/{project}/models',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const body = await parseBody(ctx, modelBody, MODEL_BODY_LIMIT);
      const model = await project.models.upload(body.artifact, body.evaluation ?? null, body.notes ?? '');
      return ok({ version: model.version, model }, 201, { Location: `${API_PREFIX}/projects/${encodeURIComponent(project.name)}/models/${model.version}` });
    },
  },
  {
    method: 'GET',
    path: '/projects/{project}/models/active',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const version = project.models.activeVersion;
      return ok({ model: version === null ? null : await project.models.get(version), predictor: predictorInfo(project) });
    },
  },
  {
    method: 'POST',
    path: '/projects/{project}/models/rollback',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const model = await project.rollbackModel();
      return ok({ active: model.version, model, predictor: predictorInfo(project) });
    },
  },
  {
    method: 'GET',
    path: '/projects/{project}/models/{version}',
    auth: true,
    faultable: true,
    handle: async (ctx) => ok({ model: await projectOf(ctx).models.get(versionParam(ctx)) }),
  },
  {
    method: 'POST',
    path: '/projects/{project}/models/{version}/activate',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const model = await project.activateModel(versionParam(ctx));
      return ok({ active: model.version, model, predictor: predictorInfo(project) });
    },
  },
  {
    method: 'POST',
    path: '/projects/{project}/predict',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const { texts } = await parseBody(ctx, predictBody);
      const predictor = project.predictor;
      return ok({ modelVersion: predictor.version, kind: predictor.kind, predictions: predictor.predict(texts) });
    },
  },
  {
    method: 'POST',
    path: '/projects/{project}/simulate',
    auth: true,
    faultable: true,
    handle: async (ctx) => {
      const project = projectOf(ctx);
      const { calls } = await parseBody(ctx, simulateBody);
      const range = await simulateCalls(project, ctx.sourceOf(project), calls);
      return ok({ ...range, headSeq: project.feed.headSeq, modelVersion: project.predictor.version });
    },
  },
  {
    method: 'GET',
    path: '/_faults',
    auth: true,
    faultable: false,
    handle: async (ctx) => ok({ faults: requireFaults(ctx).settings }),
  },
  {
    method: 'POST',
    path: '/_faults',
    auth: true,
    faultable: false,
    handle: async (ctx) => {
      const faults = requireFaults(ctx);
      faults.set(await parseBody(ctx, faultsBody));
      return ok({ faults: faults.settings });
    },
  },
  {
    method: 'DELETE',
    path: '/_faults',
    auth: true,
    faultable: false,
    handle: async (ctx) => {
      const faults = requireFaults(ctx);
      faults.set({});
      return ok({ faults: faults.settings });
    },
  },
];

/** A route with its path compiled to a regular expression. */
export interface CompiledRoute extends Route {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Compiles `{name}` path templates (one path segment each) under API_PREFIX. */
export function compileRoutes(list: readonly Route[]): CompiledRoute[] {
  return list.map((route) => {
    const names: string[] = [];
    const source = (API_PREFIX + route.path)
      .split('/')
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '([^/]+)';
      })
      .join('/');
    return { ...route, pattern: new RegExp(`^${source}$`), names };
  });
}
