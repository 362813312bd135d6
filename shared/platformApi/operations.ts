import { z } from 'zod';
import * as wire from './schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One operation of the platform API: where it lives, who may call it, and the shape of what goes in and out. */
export interface PlatformOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path template under `/api/v1`. */
  readonly path: string;
  /** False only for the unauthenticated version probe. */
  readonly auth: boolean;
  /** Query parameters; every value arrives as text and is read as the schema's type. */
  readonly query?: Readonly<Record<string, z.ZodType>>;
  /** The JSON request body, when the operation takes one. */
  readonly body?: z.ZodType;
  /** The JSON body of each success status; null for a status without a body (304). */
  readonly replies: Readonly<Record<number, z.ZodType | null>>;
}

const since = z.number().int().min(0);

/**
 * Every operation of the platform API, in matching order (literal paths before templated ones). The reference
 * server attaches a handler to each; the spec test checks docs/platform-api.yaml against each.
 */
export const platformOperations = [
  { operationId: 'getVersion', method: 'GET', path: '/version', auth: false, replies: { 200: wire.versionInfo } },
  { operationId: 'listProjects', method: 'GET', path: '/projects', auth: true, replies: { 200: wire.projectList } },
  { operationId: 'getIntents', method: 'GET', path: '/projects/{project}/intents', auth: true, query: { since }, replies: { 200: wire.intentChanges, 304: null } },
  { operationId: 'putIntent', method: 'PUT', path: '/projects/{project}/intents/{intentId}', auth: true, body: wire.intentPatch, replies: { 200: wire.intentPut } },
  {
    operationId: 'getCalls',
    method: 'GET',
    path: '/projects/{project}/calls',
    auth: true,
    query: { cursor: z.string(), limit: z.number().int().min(1).max(wire.FEED_MAX_LIMIT).default(wire.FEED_DEFAULT_LIMIT) },
    replies: { 200: wire.feedPage },
  },
  { operationId: 'uploadLabels', method: 'POST', path: '/projects/{project}/labels', auth: true, body: wire.labelUpload, replies: { 200: wire.labelUploadReply } },
  {
    operationId: 'getLabels',
    method: 'GET',
    path: '/projects/{project}/labels',
    auth: true,
    query: { since: since.default(0), limit: z.number().int().min(1).max(wire.LABELS_MAX_LIMIT).default(wire.LABELS_DEFAULT_LIMIT) },
    replies: { 200: wire.labelsPage },
  },
  { operationId: 'listModels', method: 'GET', path: '/projects/{project}/models', auth: true, replies: { 200: wire.modelList } },
  { operationId: 'uploadModel', method: 'POST', path: '/projects/{project}/models', auth: true, body: wire.modelUpload, replies: { 201: wire.modelCreated } },
  { operationId: 'getActiveModel', method: 'GET', path: '/projects/{project}/models/active', auth: true, replies: { 200: wire.activeModel } },
  { operationId: 'rollbackModel', method: 'POST', path: '/projects/{project}/models/rollback', auth: true, replies: { 200: wire.modelActivated } },
  { operationId: 'getModel', method: 'GET', path: '/projects/{project}/models/{version}', auth: true, replies: { 200: wire.modelVersion } },
  { operationId: 'activateModel', method: 'POST', path: '/projects/{project}/models/{version}/activate', auth: true, replies: { 200: wire.modelActivated } },
  { operationId: 'predict', method: 'POST', path: '/projects/{project}/predict', auth: true, body: wire.predictRequest, replies: { 200: wire.predictReply } },
  { operationId: 'simulateCalls', method: 'POST', path: '/projects/{project}/simulate', auth: true, body: wire.simulateRequest, replies: { 200: wire.simulateReply } },
  { operationId: 'getFaults', method: 'GET', path: '/_faults', auth: true, replies: { 200: wire.faultsReply } },
  { operationId: 'setFaults', method: 'POST', path: '/_faults', auth: true, body: wire.faultSettings, replies: { 200: wire.faultsReply } },
  { operationId: 'clearFaults', method: 'DELETE', path: '/_faults', auth: true, replies: { 200: wire.faultsReply } },
] as const satisfies readonly PlatformOperation[];

export type OperationId = (typeof platformOperations)[number]['operationId'];

/** The operation named `id`. */
export function operation(id: OperationId): PlatformOperation {
  return platformOperations.find((op) => op.operationId === id)!;
}

/** Where a value broke its schema: the first problem, with the path of the field it is in (`calls.2.turns.0.speaker`). */
export interface WireProblem {
  readonly field: string;
  readonly message: string;
}

/** Parses `value` with `schema`; the parsed value, or the first problem naming its field. */
export function checkWire<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; problem: WireProblem } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: { field: issue.path.map(String).join('.'), message: issue.message } };
}
