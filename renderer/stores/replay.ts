import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JudgeItem, JudgeState, ReplayJudgment, ReplayPhase, ReplayStatus } from '../../shared/contract/dto';
import type { EventMap } from '../../shared/contract/services';
import { api, events } from '../api';
import { replayProgress } from '../composables/gateFormat';
import { jobFailure, useNoticeStore } from './notices';

/** A replay's latest progress event. */
export type ReplayProgress = EventMap['onDidReplayProgress'];

/** What the lead chose to replay: a date range (epoch ms, end exclusive), a campaign (null: all), the coverage threshold. */
export interface ReplayChoice {
  readonly from: number;
  readonly to: number;
  readonly campaign: string | null;
  readonly threshold: number;
}

/**
 * The release gate's replay and judged sample (Models view): the last replay's result, the running replay's progress,
 * the sample with its judgments and the net-change estimate, and the position of the judge in the sample.
 */
export const useReplayStore = defineStore('replay', () => {
  const status = ref<ReplayStatus | null>(null);
  const progress = ref<ReplayProgress | null>(null);
  const starting = ref(false);
  const judging = ref<JudgeState | null>(null);
  /** Index of the item being judged in `judging.items`. */
  const position = ref(0);
  const saving = ref(false);

  const notices = () => useNoticeStore();
  const result = computed(() => status.value?.result ?? null);
  const running = computed(() => (progress.value ? progress.value.state === 'running' : status.value?.job != null));
  const job = computed(() => (progress.value?.state === 'running' ? progress.value : (status.value?.job ?? null)));
  const percent = computed(() => (job.value ? Math.round(replayProgress(job.value.phase, job.value.progress) * 100) : 0));
  const phase = computed<ReplayPhase | null>(() => job.value?.phase ?? null);
  const current = computed<JudgeItem | null>(() => judging.value?.items[position.value] ?? null);
  const judgedCount = computed(() => judging.value?.items.filter((i) => i.judgment !== null).length ?? 0);

  async function load(): Promise<void> {
    try {
      status.value = await api.replay.getStatus({});
      if (!status.value.job && progress.value?.state === 'running') progress.value = null;
    } catch (err) {
      notices().error(err);
    }
  }

  /** Replays version `version` on the chosen traffic; progress comes by event. */
  async function start(version: number, choice: ReplayChoice): Promise<void> {
    starting.value = true;
    try {
      const started = await api.replay.start({ version, ...choice });
      if (progress.value?.jobId !== started.jobId) progress.value = { ...started, state: 'running' };
    } catch (err) {
      notices().error(err);
    } finally {
      starting.value = false;
    }
  }

  async function cancel(): Promise<void> {
    const id = job.value?.jobId;
    if (!id) return;
    try {
      await api.replay.cancel({ jobId: id });
    } catch (err) {
      notices().error(err);
    }
  }

  function onProgress(event: ReplayProgress): void {
    progress.value = event;
    if (event.state === 'failed') notices().error(jobFailure(event));
    if (event.state === 'done') {
      judging.value = null;
      position.value = 0;
    }
    if (event.state !== 'running') void load();
  }

  /** Opens the judged sample at its first item not judged yet. */
  async function openJudging(): Promise<void> {
    try {
      judging.value = await api.replay.getJudging({});
      const first = judging.value.items.findIndex((i) => i.judgment === null);
      position.value = first >= 0 ? first : 0;
    } catch (err) {
      notices().error(err);
    }
  }

  function closeJudging(): void {
    judging.value = null;
  }

  /** Judges the current item (a label), then moves to the next item not judged yet. */
  async function judge(judgment: ReplayJudgment, intentId?: string | null): Promise<void> {
    const item = current.value;
    if (!item || saving.value) return;
    saving.value = true;
    try {
      judging.value = await api.replay.judge({ utteranceId: item.utteranceId, judgment, ...(judgment === 'neither' ? { intentId: intentId ?? null } : {}) });
      move(1, true);
    } catch (err) {
      notices().error(err);
    } finally {
      saving.value = false;
    }
  }

  /** Moves `delta` items; with `unjudged`, forward to the next item not judged yet (staying when none is left). */
  function move(delta: number, unjudged = false): void {
    const items = judging.value?.items ?? [];
    if (items.length === 0) return;
    if (unjudged) {
      for (let k = 1; k <= items.length; k++) {
        const at = (position.value + k * Math.sign(delta)) % items.length;
        const index = at < 0 ? at + items.length : at;
        if (items[index]!.judgment === null) {
          position.value = index;
          return;
        }
      }
      return;
    }
    position.value = Math.min(items.length - 1, Math.max(0, position.value + delta));
  }

  /** Listens to replay progress; returns the function that stops listening. */
  function subscribe(): () => void {
    return events.on('onDidReplayProgress', onProgress);
  }

  return { status, progress, starting, judging, position, saving, result, running, job, percent, phase, current, judgedCount, load, start, cancel, onProgress, openJudging, closeJudging, judge, move, subscribe };
});
