// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ModelStatus, QuestionReportDto, RankingProblem } from '../../shared/contract/dto';
import { serve } from '../api/fakeApi';
import { applyLanguage } from '../i18n';
import { useModelStore } from './model';
import { useNoticeStore } from './notices';

vi.mock('../api', () => import('../api/fakeApi'));

function statusWith(rankingProblem: RankingProblem | null): ModelStatus {
  return { job: null, latest: null, labelsSinceTraining: 0, cannotTrain: null, rankedAt: null, rankingProblem, retrainPending: false };
}

let status: ModelStatus;
beforeEach(() => {
  setActivePinia(createPinia());
  status = statusWith(null);
  serve({ 'model.getStatus': () => status, 'model.listVersions': () => [] });
});

describe('a saved model that ranks nothing', () => {
  it('is shown once as an error notice in the UI language, naming the version, and again only when it changes', async () => {
    applyLanguage('zh-CN');
    const store = useModelStore();
    await store.load();
    expect(useNoticeStore().queue).toEqual([]);

    status = statusWith({ version: 3, reason: 'cannot_score', detail: 'Unknown artifact format.' });
    await store.load();
    await store.load();
    expect(useNoticeStore().queue.map((n) => [n.kind, n.text])).toEqual([['error', '模型版本 3 无法为语句打分，排序队列因此为空。重新训练模型即可恢复排序。（Unknown artifact format.）']]);

    applyLanguage('en');
    status = statusWith({ version: 3, reason: 'damaged', detail: 'models/v0003.json cannot be read.' });
    await store.load();
    expect(useNoticeStore().queue.at(-1)?.text).toBe('Model version 3 cannot be read, so the ranked queues are empty. Train the model again to rank them. (models/v0003.json cannot be read.)');
    expect(useNoticeStore().queue).toHaveLength(2);
    applyLanguage('zh-CN');
  });
});

describe('the report per bot question', () => {
  it('keeps the answer to the newest request when an earlier one answers later', async () => {
    const answers = new Map<number, (r: QuestionReportDto) => void>();
    serve({ 'model.getQuestionReport': ({ version }) => new Promise<QuestionReportDto>((resolve) => answers.set(version!, resolve)) });
    const store = useModelStore();
    const first = store.loadQuestionReport(1);
    const second = store.loadQuestionReport(2);
    const report = (version: number): QuestionReportDto => ({ version, measured: true, threshold: 0.5, total: 0, questions: [] });
    answers.get(2)!(report(2));
    await second;
    answers.get(1)!(report(1));
    await first;
    expect(store.questionReport?.version).toBe(2);
  });
});
