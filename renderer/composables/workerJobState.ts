import { computed, ref, type ComputedRef, type Ref } from 'vue';

/** A job a service runs in a worker: its id, phase and share of the phase done. */
export interface JobInfo<P extends string> {
  readonly jobId: string;
  readonly phase: P;
  readonly progress: number;
}

/** A job's progress event: the job with its state. */
export type JobEvent<P extends string> = JobInfo<P> & { readonly state: 'running' | 'done' | 'cancelled' | 'failed'; readonly message?: string };

export interface WorkerJobState<P extends string, E extends JobEvent<P>> {
  /** The latest progress event, or null. */
  readonly progress: Ref<E | null>;
  /** True while the start request is in flight. */
  readonly starting: Ref<boolean>;
  readonly running: ComputedRef<boolean>;
  readonly jobId: ComputedRef<string | null>;
  /** Overall progress in whole percent. */
  readonly percent: ComputedRef<number>;
  readonly phase: ComputedRef<P | null>;
  /** Starts the job (errors go to `onError`). */
  start(): Promise<void>;
  /** Cancels the running job, if any. */
  cancel(): Promise<void>;
  /** Forgets a finished job's progress when the status says nothing runs. */
  settle(): void;
}

/**
 * The live state of a worker job, from the service's status (`job`) and its progress events: used by the training
 * and the clustering panels alike.
 */
export function useWorkerJobState<P extends string, E extends JobEvent<P>>(options: {
  readonly statusJob: () => JobInfo<P> | null | undefined;
  readonly overall: (phase: P, progress: number) => number;
  readonly startJob: () => Promise<JobInfo<P>>;
  readonly cancelJob: (jobId: string) => Promise<unknown>;
  readonly onError: (err: unknown) => void;
}): WorkerJobState<P, E> {
  const progress = ref<E | null>(null) as Ref<E | null>;
  const starting = ref(false);
  const current = () => (progress.value?.state === 'running' ? progress.value : options.statusJob());
  const running = computed(() => (progress.value ? progress.value.state === 'running' : options.statusJob() != null));
  const jobId = computed(() => current()?.jobId ?? null);
  const percent = computed(() => {
    const job = current();
    return job ? Math.round(options.overall(job.phase, job.progress) * 100) : 0;
  });
  const phase = computed(() => current()?.phase ?? null);

  async function start(): Promise<void> {
    starting.value = true;
    try {
      const job = await options.startJob();
      if (progress.value?.jobId !== job.jobId) progress.value = { ...job, state: 'running' } as E;
    } catch (err) {
      options.onError(err);
    } finally {
      starting.value = false;
    }
  }

  async function cancel(): Promise<void> {
    const id = jobId.value;
    if (!id) return;
    try {
      await options.cancelJob(id);
    } catch (err) {
      options.onError(err);
    }
  }

  function settle(): void {
    if (!options.statusJob() && progress.value?.state === 'running') progress.value = null;
  }

  return { progress, starting, running, jobId, percent, phase, start, cancel, settle };
}
