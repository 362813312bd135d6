import { pathToFileURL } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { ContractError } from '../../shared/contract/errors';
import { errorName, sentence, term, type ErrorSentence } from '../../shared/contract/errorWords';

/** A job running in its own worker thread; `cancel` terminates the thread. */
export interface RunningJob<R> {
  readonly result: Promise<R>;
  cancel(): Promise<void>;
}

export class JobCancelled extends Error {
  constructor() {
    super('The job was cancelled.');
    this.name = 'JobCancelled';
  }
}

/** Where a job stands, as its progress events say. */
export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

/**
 * A job's progress event: its info in `state`, with the error's message and, when it failed, its sentences (the
 * ContractError's own, or an unexpected error named).
 */
export function jobProgressEvent<I extends object>(info: I, state: JobState, err?: unknown): I & { readonly state: JobState; readonly message?: string; readonly sentences?: readonly ErrorSentence[] } {
  const message = err === undefined ? undefined : err instanceof Error ? err.message : String(err);
  const sentences = state !== 'failed' ? undefined : err instanceof ContractError && err.sentences ? err.sentences : [sentence('unexpected', { detail: errorName(err) })];
  return { ...info, state, ...(message ? { message } : {}), ...(sentences ? { sentences } : {}) };
}

/** The info of a long job as its progress events carry it. */
interface JobInfo {
  readonly phase: string;
  readonly progress: number;
}

/** A job a service runs: its info as last reported, its worker, and its end (result saved or failure reported). */
export interface TrackedJob<I extends JobInfo, R> {
  info: I;
  readonly run: RunningJob<R>;
  finished?: Promise<void>;
}

/**
 * The one job a service runs at a time (a training, a clustering, a replay), reporting its progress as events through `emit`.
 */
export class JobSlot<I extends JobInfo, R> {
  current: TrackedJob<I, R> | null = null;

  constructor(private readonly emit: (event: ReturnType<typeof jobProgressEvent<I>>) => void) {}

  /** Records the running job's phase and progress and reports it. */
  progress(phase: I['phase'], done: number): void {
    if (!this.current) return;
    this.current.info = { ...this.current.info, phase, progress: done };
    this.report('running');
  }

  /** Reports the running job in `state` (with the error it failed with). */
  report(state: JobState, err?: unknown): void {
    if (this.current) this.emit(jobProgressEvent(this.current.info, state, err));
  }

  /** Waits until no job runs. */
  async whenIdle(): Promise<void> {
    while (this.current?.finished) await this.current.finished;
  }
}

/** What every Callsift worker posts: progress, an error in words, or its one result. */
export type JobMessage<P extends string, R> = { readonly kind: 'progress'; readonly phase: P; readonly done: number } | { readonly kind: 'error'; readonly message: string } | R;

/**
 * Starts the worker at `workerPath` (a built .js file, or the .ts source under tsx) on `request` (with `transfer`
 * moved, not copied: buffers, message ports), reporting progress
 * until its result. The result promise rejects with JobCancelled when cancelled, or with the worker's error; `name`
 * says which worker in the message when the thread dies.
 */
export function runJob<P extends string, R extends { readonly kind: string }>(
  workerPath: string,
  request: unknown,
  onProgress: (phase: P, done: number) => void,
  name: 'training' | 'discovery' | 'replay',
  transfer: readonly TransferListItem[] = [],
): RunningJob<R> {
  const which = term(name === 'training' ? 'worker_training' : name === 'discovery' ? 'worker_discovery' : 'worker_replay');
  const worker = startWorker(workerPath);
  let cancelled = false;
  const result = new Promise<R>((resolve, reject) => {
    worker.on('message', (message: JobMessage<P, R>) => {
      if (message.kind === 'progress') {
        const progress = message as { phase: P; done: number };
        onProgress(progress.phase, progress.done);
      } else if (message.kind === 'error') {
        const text = (message as { message: string }).message;
        reject(new ContractError('internal', sentence('worker_failed', { worker: which, detail: 'error' }), undefined, text));
      } else resolve(message as R);
    });
    worker.on('error', (err) => reject(new ContractError('internal', sentence('worker_failed', { worker: which, detail: errorName(err) }), undefined, err.message)));
    worker.on('exit', (code) => {
      if (cancelled) reject(new JobCancelled());
      else if (code !== 0) reject(new ContractError('internal', sentence('worker_failed', { worker: which, detail: `exit ${code}` }), undefined, `The ${name} worker stopped with exit code ${code}.`));
    });
  }).finally(() => void worker.terminate());
  worker.postMessage(request, transfer);
  return {
    result,
    async cancel() {
      cancelled = true;
      await worker.terminate();
    },
  };
}

/** Starts the worker thread at `path`: a built .js file, or a .ts source when running under tsx. */
function startWorker(path: string): Worker {
  return path.endsWith('.ts') ? startTypeScriptWorker(path) : new Worker(path);
}

/**
 * Runs a TypeScript worker from source (browser mode and tests run under tsx): a small bootstrap registers tsx's
 * loader inside the worker thread, then imports the entry.
 */
function startTypeScriptWorker(path: string): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = pathToFileURL(path).href;
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true });
}
