import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle, useHarnessOnWorkspace, type Harness } from './harness';

let h: Harness;

// A workspace whose only saved model version is damaged: it cannot rank the queues.
useHarnessOnWorkspace(
  'callsift-e2e-model-problem-',
  (workspace) => {
    mkdirSync(join(workspace, 'models'), { recursive: true });
    writeFileSync(join(workspace, 'models', 'v0001.json'), '{"report": {"version": 1');
  },
  (started) => (h = started),
);

describe('a saved model that cannot rank the queues', () => {
  it('is told to the user as an error notice in Chinese, and recorded in the log', async () => {
    const { page } = h;
    await page.goto(`${h.url}/#/inbox`);
    const notice = page.locator('[data-testid="notice-title"][data-kind="error"]', { hasText: '模型版本 1 的文件无法读取' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('重新训练模型即可恢复排序');
    expect((await h.api.model.getStatus({})).rankingProblem).toMatchObject({ version: 1, reason: 'damaged' });
    const records = readFileSync(join(h.dataDir, 'logs', 'callsift.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; level: string; version?: number });
    expect(records.filter((r) => r.event === 'model.restore')).toEqual([expect.objectContaining({ level: 'error', version: 1 })]);
    await settle(page);
    await h.shot('model-problem-01-notice-zh');
  });
});
