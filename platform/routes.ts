import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import * as wire from '../shared/platformApi/schemas';
import { checkWire, platformOperations, type OperationId, type PlatformOperation } from '../shared/platformApi/operations';
import { decodeCursor, encodeCursor } from './cursor';
import type { FaultSwitch } from './faults';
import { API_PREFIX, API_VERSION, ApiError, readJsonBody } from './http';
import { simulateCalls, simulatedClock, type CallSource } from './simulator';
import { contextualText } from '../shared/ml/turnContext';
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
  /** The operation being served (its body and query schemas). */
  readonly operation: PlatformOperation;
  readonly faults: FaultSwitch;
  readonly allowFaults: boolean;
  readonly projects: ReadonlyMap<string, PlatformProject>;
  readonly sourceOf: (project: PlatformProject) => CallSource;
}

/** One API operation (from shared/platformApi) with this server's handler. */
export interface Route extends PlatformOperation {
  /** False for the fault switch and the version probe, which faults never hit. */
  readonly faultable: boolean;
  readonly handle: (ctx: RouteContext) => Promise<Reply>;
}

const BODY_LIMIT = 8 * 1024 * 1024;
const MODEL_BODY_LIMIT = 128 * 1024 * 1024;

/** Reads the request body and checks it with `schema` (the operation's body schema from shared/platformApi). */
async function parseBody<T>(ctx: RouteContext, schema: z.ZodType<T>, limit = BODY_LIMIT): Promise<T> {
  if (ctx.operation.body !== schema) throw new Error(`${ctx.operation.operationId} reads a body its operation does not declare.`);
  const raw = await readJsonBody(ctx.req, limit);
  const checked = checkWire(schema, raw);
  if (!checked.ok) {
    const { field, message } = checked.problem;
    throw new ApiError(400, 'invalid_request', `${field ? `"${field}": ` : ''}${message}`, field ? { field } : undefined);
  }
  return checked.value;
}

function projectOf(ctx: RouteContext): PlatformProject {
  const name = ctx.params.project!;
  const project = ctx.projects.get(name);
  if (!project) throw new ApiError(404, 'not_found', `There is no project "${name}" on this platform.`);
  return project;
}

/**
 * Reads integer query parameter `name` with the operation's schema for it: its default (or null when it has none)
 * when absent, else a whole number within the schema's bounds or a 400 naming them.
 */
function intParam(ctx: RouteContext, name: string): number | null {
  const schema = ctx.operation.query?.[name];
  if (!schema) throw new Error(`${ctx.operation.operationId} reads a query parameter "${name}" its operation does not declare.`);
  const text = ctx.url.searchParams.get(name);
  if (text === null || text === '') {
    const fallback = schema.safeParse(undefined);
    return fallback.success && typeof fallback.data === 'number' ? fallback.data : null;
  }
  const n = Number(text);
  const checked = schema.safeParse(n);
  if (!Number.isSafeInteger(n) || !checked.success || typeof checked.data !== 'number') {
    const json = z.toJSONSchema(schema, { io: 'input' }) as { minimum?: number; maximum?: number };
    const min = json.minimum ?? 0;
    const range = json.maximum !== undefined && json.maximum < Number.MAX_SAFE_INTEGER ? `from ${min} to ${json.maximum}` : `of at least ${min}`;
    throw new ApiError(400, 'invalid_request', `"${name}" must be a whole number ${range}, not "${text}".`, { field: name });
  }
  return checked.data;
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
/**
 * The model texts of a `predict` request: each text with its context (`contextualText`, as the app builds it from
 * its index columns), so the same turn gets the same text, and the same probabilities, on both sides. Without
 * `contexts` the texts are predicted as sent, as before contexts existed.
 */
export function predictTexts(texts: readonly string[], contexts: readonly wire.WirePredictContext[] | undefined): readonly string[] {
  if (contexts === undefined) return texts;
  return texts.map((text, i) => contextualText(text, contexts[i] ?? {}));
}

function predictorInfo(project: PlatformProject): { version: number | null; kind: string } {
  return { version: project.predictor.version, kind: project.predictor.kind };
}

/** This server's handler of each operation. */
const handlers: Record<OperationId, (ctx: RouteContext) => Promise<Reply>> = {
  getVersion: async () => ok({ apiVersion: API_VERSION, server: 'callsift-reference-platform', serverVersion: '0.1.0' }),
  listProjects: async (ctx) =>
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
  getIntents: async (ctx) => {
    const project = projectOf(ctx);
    const { catalogue } = project;
    const headers = { ETag: catalogue.etag };
    if (ctx.req.headers['if-none-match'] === catalogue.etag) return { status: 304, headers };
    const since = intParam(ctx, 'since');
    return ok(catalogue.changesSince(since), 200, headers);
  },
  putIntent: async (ctx) => {
    const project = projectOf(ctx);
    const patch = await parseBody(ctx, wire.intentPatch);
    const intent = await project.upsertIntent(ctx.params.intentId!, patch);
    return ok({ intent, version: project.catalogue.version, etag: project.catalogue.etag }, 200, { ETag: project.catalogue.etag });
  },
  getCalls: async (ctx) => {
    const project = projectOf(ctx);
    const limit = intParam(ctx, 'limit')!;
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
  uploadLabels: async (ctx) => {
    const project = projectOf(ctx);
    const { labels } = await parseBody(ctx, wire.labelUpload);
    const results = await project.labels.upload(labels, (id) => project.isKnownUtterance(id));
    return ok({ results });
  },
  getLabels: async (ctx) => {
    const project = projectOf(ctx);
    const since = intParam(ctx, 'since')!;
    const limit = intParam(ctx, 'limit')!;
    const page = await project.labels.since(since, limit);
    return { status: 200, rawJson: `{"labels":[${page.labelsJson.join(',')}],"nextSince":${page.lastSeq},"hasMore":${page.lastSeq < page.headSeq}}` };
  },
  listModels: async (ctx) => {
    const project = projectOf(ctx);
    const active = project.models.activeVersion;
    return ok({ active, activatedAt: project.models.activatedAt, rolledBack: project.models.rolledBack, history: project.models.history, models: project.models.list().map((m) => ({ ...m, active: m.version === active })) });
  },
  uploadModel: async (ctx) => {
    const project = projectOf(ctx);
    const body = await parseBody(ctx, wire.modelUpload, MODEL_BODY_LIMIT);
    const model = await project.models.upload(body.artifact, body.evaluation ?? null, body.notes ?? '');
    return ok({ version: model.version, model }, 201, { Location: `${API_PREFIX}/projects/${encodeURIComponent(project.name)}/models/${model.version}` });
  },
  getActiveModel: async (ctx) => {
    const project = projectOf(ctx);
    const version = project.models.activeVersion;
    return ok({ model: version === null ? null : await project.models.get(version), predictor: predictorInfo(project) });
  },
  rollbackModel: async (ctx) => {
    const project = projectOf(ctx);
    const model = await project.rollbackModel();
    return ok({ active: model.version, model, predictor: predictorInfo(project) });
  },
  getModel: async (ctx) => ok({ model: await projectOf(ctx).models.get(versionParam(ctx)) }),
  activateModel: async (ctx) => {
    const project = projectOf(ctx);
    const model = await project.activateModel(versionParam(ctx));
    return ok({ active: model.version, model, predictor: predictorInfo(project) });
  },
  predict: async (ctx) => {
    const project = projectOf(ctx);
    const { texts, contexts } = await parseBody(ctx, wire.predictRequest);
    if (contexts !== undefined && contexts.length !== texts.length) {
      throw new ApiError(400, 'invalid_request', `"contexts": has ${contexts.length} entries for ${texts.length} texts; give one per text or none`, { field: 'contexts' });
    }
    const predictor = project.predictor;
    return ok({ modelVersion: predictor.version, kind: predictor.kind, predictions: predictor.predict(predictTexts(texts, contexts)) });
  },
  simulateCalls: async (ctx) => {
    const project = projectOf(ctx);
    const { calls, startAt, spacingMs } = await parseBody(ctx, wire.simulateRequest);
    const clock = startAt === undefined ? undefined : simulatedClock(startAt, spacingMs ?? 0);
    const range = await simulateCalls(project, ctx.sourceOf(project), calls, clock);
    return ok({ ...range, headSeq: project.feed.headSeq, modelVersion: project.predictor.version });
  },
  getFaults: async (ctx) => ok({ faults: requireFaults(ctx).settings }),
  setFaults: async (ctx) => {
    const faults = requireFaults(ctx);
    faults.set(await parseBody(ctx, wire.faultSettings));
    return ok({ faults: faults.settings });
  },
  clearFaults: async (ctx) => {
    const faults = requireFaults(ctx);
    faults.set({});
    return ok({ faults: faults.settings });
  },
};

/** The platform API, in matching order (literal paths before templated ones): every operation with its handler. */
export const routes: readonly Route[] = platformOperations.map((op) => ({
  ...op,
  faultable: op.auth && !op.path.startsWith('/_'),
  handle: handlers[op.operationId],
}));

/**
 * Checks a reply against its operation's schema for the status. Raw JSON text (the feed and label pages, served
 * without re-serializing) is parsed and checked only when `checkRaw` is set. Returns the problem, or null.
 */
export function replyProblem(route: Route, reply: Reply, checkRaw: boolean): string | null {
  const schema = route.replies[reply.status];
  if (schema === undefined) return `${route.operationId} answered status ${reply.status}, which its operation does not declare.`;
  if (schema === null) return reply.body === undefined && reply.rawJson === undefined ? null : `${route.operationId} sent a body with status ${reply.status}.`;
  if (reply.rawJson !== undefined && !checkRaw) return null;
  const checked = checkWire(schema, reply.rawJson !== undefined ? (JSON.parse(reply.rawJson) as unknown) : reply.body);
  return checked.ok ? null : `${route.operationId}'s answer breaks the API at "${checked.problem.field}": ${checked.problem.message}`;
}

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
