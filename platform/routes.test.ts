import { describe, expect, it } from 'vitest';
import { replyProblem, routes, type Route } from './routes';

function route(operationId: string): Route {
  return routes.find((r) => r.operationId === operationId)!;
}

const summary = { version: 2, uploadedAt: 1, notes: '', evaluation: null, sha256: 'ab', sizeBytes: 10 };

describe('replyProblem', () => {
  it('passes a reply that matches its operation, extra fields included', () => {
    expect(replyProblem(route('uploadModel'), { status: 201, body: { version: 2, model: { ...summary, extra: true } } }, false)).toBeNull();
    expect(replyProblem(route('getIntents'), { status: 304, headers: { ETag: '"v1"' } }, false)).toBeNull();
  });

  it('names the field a reply breaks', () => {
    const problem = replyProblem(route('uploadModel'), { status: 201, body: { version: 2, model: { ...summary, sha256: 7 } } }, false);
    expect(problem).toContain(`uploadModel's answer breaks the API at "model.sha256"`);
    expect(replyProblem(route('predict'), { status: 200, body: { modelVersion: null, kind: 'magic', predictions: [] } }, false)).toContain('"kind"');
  });

  it('refuses a status the operation does not declare, and a body on 304', () => {
    expect(replyProblem(route('uploadModel'), { status: 200, body: { version: 2, model: summary } }, false)).toContain('status 200');
    expect(replyProblem(route('getIntents'), { status: 304, body: {} }, false)).toContain('sent a body with status 304');
  });

  it('checks raw JSON pages only when asked', () => {
    const page = { status: 200, rawJson: '{"calls":[{"seq":1}],"nextCursor":"x","hasMore":false}' };
    expect(replyProblem(route('getCalls'), page, false)).toBeNull();
    expect(replyProblem(route('getCalls'), page, true)).toContain('"calls.0.id"');
  });
});
