import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildDemoIntents, DEMO_DEFAULT_SEED } from '../resources/demo/demoGenerator';
import { FaultSwitch, type FaultSettings } from './faults';
import { API_PREFIX, ApiError, sendError, sendRawJson } from './http';
import { compileRoutes, replyProblem, routes, type CompiledRoute, type Reply, type RouteContext } from './routes';
import { buildDatasetIntents, createDatasetSource, createDemoSource, readDialogues, startTraffic, type CallSource, type Traffic } from './simulator';
import { listProjectNames, PlatformProject, PROJECT_NAME, projectDir, type ProjectSeed } from './store/project';
import { resolveToken, tokenMatches } from './token';

export interface PlatformOptions {
  /** The platform's own data folder. */
  readonly dataDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** The bearer token; default: the one saved in `<data>/token`, or a new one saved there. */
  readonly token?: string;
  /** The project to create when missing and to simulate traffic for (default `demo`). */
  readonly project?: string;
  /** A dialogue JSONL file to simulate traffic from (default: the demo generator). */
  readonly dataset?: string;
  /** Seed of the demo generator for a new project. */
  readonly seed?: number;
  /** New calls a second for the project (0 or absent: none; use `POST …/simulate`). */
  readonly simulatePerSecond?: number;
  /** Enables `/api/v1/_faults`. */
  readonly allowFaults?: boolean;
  /** Faults armed at start (implies allowFaults). */
  readonly faults?: FaultSettings;
  /** Called when background traffic fails. */
  readonly onTrafficError?: (err: Error) => void;
  /**
   * Also checks the feed and label pages (sent as raw JSON text) against the API schema before sending them; other
   * replies are always checked. For tests: it parses every page once more.
   */
  readonly checkRawReplies?: boolean;
}

/** A running reference platform. */
export interface Platform {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly project: PlatformProject;
  readonly projects: ReadonlyMap<string, PlatformProject>;
  readonly faults: FaultSwitch;
  /** Stops traffic, closes every connection and flushes the stores. */
  close(): Promise<void>;
}

const compiled = compileRoutes(routes);

/**
 * Starts the reference platform on 127.0.0.1: opens every project under `<data>/projects` (creating
 * `options.project` from the demo generator or the dataset when missing) and serves the API.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const name = options.project ?? 'demo';
  if (!PROJECT_NAME.test(name)) throw new Error(`"${name}" is not a valid project name (letters, digits, . _ -).`);
  const token = await resolveToken(options.dataDir, options.token);
  const dialogues = options.dataset ? await readDialogues(options.dataset) : null;
  const seed: ProjectSeed =
    options.dataset && dialogues
      ? { source: { kind: 'dataset', path: options.dataset }, intents: () => buildDatasetIntents(dialogues) }
      : { source: { kind: 'demo', seed: options.seed ?? DEMO_DEFAULT_SEED }, intents: buildDemoIntents };

  const projects = new Map<string, PlatformProject>();
  for (const existing of await listProjectNames(options.dataDir)) {
    if (existing !== name) projects.set(existing, await PlatformProject.open(projectDir(options.dataDir, existing), existing, null));
  }
  const project = await PlatformProject.open(projectDir(options.dataDir, name), name, seed);
  projects.set(name, project);

  const sources = new Map<string, CallSource>();
  for (const p of projects.values()) {
    if (p === project && options.dataset && dialogues) sources.set(p.name, createDatasetSource(options.dataset, dialogues));
    else if (p.meta.source.kind === 'demo') sources.set(p.name, createDemoSource(p.meta.source.seed));
    else sources.set(p.name, createDatasetSource(p.meta.source.path, await readDialogues(p.meta.source.path)));
  }
  const sourceOf = (p: PlatformProject): CallSource => sources.get(p.name)!;

  const faults = new FaultSwitch(options.faults ?? {});
  const allowFaults = options.allowFaults === true || options.faults !== undefined;
  const delays = new Set<() => void>();
  const server = createServer((req, res) => {
    void handle(req, res, { token, projects, faults, allowFaults, sourceOf, delays, checkRawReplies: options.checkRawReplies ?? false });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const traffic: Traffic | null =
    options.simulatePerSecond && options.simulatePerSecond > 0
      ? startTraffic(project, sourceOf(project), options.simulatePerSecond, options.onTrafficError ?? ((err) => console.error(`Traffic simulation failed: ${err.message}`)))
      : null;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    project,
    projects,
    faults,
    close() {
      closing ??= (async () => {
        await traffic?.stop();
        for (const release of delays) release();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        for (const p of projects.values()) await p.close();
      })();
      return closing;
    },
  };
}

interface ServerState {
  readonly token: string;
  readonly projects: ReadonlyMap<string, PlatformProject>;
  readonly faults: FaultSwitch;
  readonly allowFaults: boolean;
  readonly sourceOf: (project: PlatformProject) => CallSource;
  readonly delays: Set<() => void>;
  readonly checkRawReplies: boolean;
}

async function handle(req: IncomingMessage, res: ServerResponse, state: ServerState): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const { route, params } = matchRoute(req.method ?? 'GET', url.pathname);
    if (route.auth) authenticate(req, state.token);
    if (route.faultable && state.allowFaults) {
      if (state.faults.take('hangUp', url.pathname)) {
        req.socket.destroy();
        return;
      }
      if (state.faults.take('fail', url.pathname)) throw new ApiError(500, 'fault_injected', 'Injected fault: the platform failed on purpose.');
      if (state.faults.take('delay', url.pathname)) await wait(state.faults.delayMillis, state.delays);
    }
    const ctx: RouteContext = { req, url, params, operation: route, faults: state.faults, allowFaults: state.allowFaults, projects: state.projects, sourceOf: state.sourceOf };
    const reply = await route.handle(ctx);
    if (res.destroyed) return;
    const problem = replyProblem(route, reply, state.checkRawReplies);
    if (problem !== null) throw new Error(problem);
    send(res, reply, route.faultable && state.allowFaults && state.faults.take('truncate', url.pathname));
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(`Platform error on ${req.method} ${req.url}:`, err);
    sendError(res, err);
  }
}

function send(res: ServerResponse, reply: Reply, truncate: boolean): void {
  if (reply.status === 304) {
    res.writeHead(304, { ...reply.headers });
    res.end();
    return;
  }
  const json = reply.rawJson ?? JSON.stringify(reply.body);
  if (!truncate) {
    sendRawJson(res, reply.status, json, reply.headers);
    return;
  }
  const bytes = Buffer.from(json, 'utf8');
  sendRawJson(res, reply.status, bytes.subarray(0, Math.floor(bytes.length / 2)), reply.headers);
}

function matchRoute(method: string, pathname: string): { route: CompiledRoute; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of compiled) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        throw new ApiError(400, 'invalid_request', `The path segment "${m[i + 1]}" is not valid percent-encoding.`);
      }
    });
    return { route, params };
  }
  if (pathMatched) throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}.`);
  const hint = pathname.startsWith(API_PREFIX) ? '' : ` The API lives under ${API_PREFIX}.`;
  throw new ApiError(404, 'not_found', `There is no ${pathname} on this platform.${hint}`);
}

function authenticate(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization;
  if (!header) throw new ApiError(401, 'missing_token', 'This request needs an access token: send "Authorization: Bearer <token>".');
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m || !tokenMatches(m[1]!.trim(), token)) throw new ApiError(401, 'invalid_token', 'The access token is wrong or has been replaced; copy the current token from the platform.');
}

function wait(ms: number, pending: Set<() => void>): Promise<void> {
  return new Promise((resolve) => {
    const release = (): void => {
      clearTimeout(timer);
      pending.delete(release);
      resolve();
    };
    const timer = setTimeout(release, ms);
    pending.add(release);
  });
}
