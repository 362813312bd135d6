import { describe, expect, it } from 'vitest';
import { ref } from 'vue';
import { useWorkerJobState, type JobEvent, type JobInfo } from './workerJobState';

type Phase = 'a' | 'b';

function setup(startJob: () => Promise<JobInfo<Phase>>) {
  const statusJob = ref<JobInfo<Phase> | null>(null);
  const cancelled: string[] = [];
  const errors: unknown[] = [];
  const state = useWorkerJobState<Phase, JobEvent<Phase>>({
    statusJob: () => statusJob.value,
    overall: (phase, progress) => (phase === 'a' ? progress / 2 : 0.5 + progress / 2),
    startJob,
    cancelJob: async (jobId) => cancelled.push(jobId),
    onError: (err) => errors.push(err),
  });
  return { state, statusJob, cancelled, errors };
}

describe('useWorkerJobState', () => {
  it('shows a started job as running until its final event, with overall percent and phase', async () => {
    const { state, cancelled } = setup(async () => ({ jobId: 'j1', phase: 'a', progress: 0 }));
    expect(state.running.value).toBe(false);
    await state.start();
    expect(state.running.value).toBe(true);
    expect(state.jobId.value).toBe('j1');
    state.progress.value = { jobId: 'j1', phase: 'b', progress: 0.5, state: 'running' };
    expect(state.percent.value).toBe(75);
    expect(state.phase.value).toBe('b');
    await state.cancel();
    expect(cancelled).toEqual(['j1']);
    state.progress.value = { jobId: 'j1', phase: 'b', progress: 1, state: 'done' };
    expect(state.running.value).toBe(false);
    expect(state.jobId.value).toBeNull();
  });

  it('follows the status job after a reload and forgets a stale running event', () => {
    const { state, statusJob } = setup(async () => ({ jobId: 'x', phase: 'a', progress: 0 }));
    statusJob.value = { jobId: 'j2', phase: 'a', progress: 0.4 };
    expect(state.running.value).toBe(true);
    expect(state.percent.value).toBe(20);
    state.progress.value = { jobId: 'j2', phase: 'a', progress: 0.6, state: 'running' };
    statusJob.value = null;
    state.settle();
    expect(state.progress.value).toBeNull();
    expect(state.running.value).toBe(false);
  });

  it('hands a refused start to onError and stops starting', async () => {
    const { state, errors } = setup(async () => {
      throw new Error('too few labels');
    });
    await state.start();
    expect(errors).toHaveLength(1);
    expect(state.starting.value).toBe(false);
    expect(state.running.value).toBe(false);
  });
});
