import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorCode } from '../shared/platformApi/schemas';

/** The API version this server speaks; sent on every response as `X-Callsift-Api-Version`. */
export const API_VERSION = '1.0';
export const API_VERSION_HEADER = 'X-Callsift-Api-Version';
export const API_PREFIX = '/api/v1';

/** Machine-readable error codes of the platform API (`{ error: { code, message } }`). */
export type { ApiErrorCode } from '../shared/platformApi/schemas';

/** An error the API answers with on purpose: an HTTP status and a message a person can read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Serializes `body` as JSON, or sends `rawJson` as is (already serialized), with the API headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Readonly<Record<string, string>> = {}): void {
  sendRawJson(res, status, JSON.stringify(body), extraHeaders);
}

/** Sends an already serialized JSON body. */
export function sendRawJson(res: ServerResponse, status: number, json: string | Buffer, extraHeaders: Readonly<Record<string, string>> = {}): void {
  const body = typeof json === 'string' ? Buffer.from(json, 'utf8') : json;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    [API_VERSION_HEADER]: API_VERSION,
    ...extraHeaders,
  });
  res.end(body);
}

/** Sends an ApiError (or an unexpected error as 500) as `{ error: { code, message, details? } }`. */
export function sendError(res: ServerResponse, err: unknown): void {
  const apiError = err instanceof ApiError ? err : new ApiError(500, 'internal', `The platform failed: ${err instanceof Error ? err.message : String(err)}`);
  const headers: Record<string, string> = apiError.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="callsift-platform"' } : {};
  const error = { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}) };
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, apiError.status, { error }, headers);
}

/** Reads and parses a JSON request body of at most `limitBytes`; an empty body is an error. */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'invalid_json', 'The request body is empty; a JSON object was expected.');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `The request body is larger than ${Math.round(limitBytes / 1024 / 1024)} MB.`);
}
