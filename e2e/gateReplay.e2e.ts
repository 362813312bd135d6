import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LAPTOP, settle, useHarness, type Harness } from './harness';

let h: Harness;
let page: Page;

useHarness((started) => ([h, page] = [started, started.page]), { viewport: LAPTOP });

/** Signed points as the Judge panel words them (gateFormat.pointsText). */
function points(delta: number): string {
  const rounded = Math.round(delta * 1000) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)}`;
}

async function judgedShown(): Promise<number> {
  return Number(await page.getByTestId('gate-judge').getAttribute('data-judged'));
}

describe('the release gate: replay and a judged sample', () => {
  it('replays the demo traffic with a trained version against the platform’s stored predictions', async () => {
    await h.api.model.train({});
    await page.goto(`${h.url}/#/models`);
    await page.waitForSelector('[data-testid="version-row"][data-version="1"]', { timeout: 180_000 });
    await page.waitForSelector('[data-testid="gate-run"]');
    await expect(page.getByTestId('gate-replay').textContent()).resolves.toContain('用近期通话回放');
    await page.getByTestId('gate-run').click();
    await page.waitForSelector('[data-testid="gate-result"][data-version="1"]', { timeout: 120_000 });
    const { result } = await h.api.replay.getStatus({});
    expect(result).not.toBeNull();
    expect(result!.turns).toBeGreaterThan(100);
    expect(result!.changed).toBeGreaterThan(10);
    // The default range is the traffic's last seven days, every campaign.
    const { traffic } = await h.api.replay.getStatus({});
    expect(result!.campaign).toBeNull();
    expect(result!.to).toBeGreaterThan(traffic!.last);
    expect(result!.to - result!.from).toBeLessThanOrEqual(7 * 86_400_000 + 3_600_000);
    await expect(page.getByTestId('gate-changed').getAttribute('data-share')).resolves.toBe(String(result!.changedShare));
    await expect(page.getByTestId('gate-changed').textContent()).resolves.toContain(`${(result!.changedShare * 100).toFixed(1)}%`);
    await expect(page.getByTestId('gate-coverage').textContent()).resolves.toContain(`${(result!.before.coverage * 100).toFixed(1)}% → ${(result!.after.coverage * 100).toFixed(1)}%`);
    const first = page.getByTestId('gate-transition').first();
    await expect(first.getAttribute('data-count')).resolves.toBe(String(result!.transitions[0]!.count));
    await expect(first.textContent()).resolves.toContain(result!.transitions[0]!.examples[0]!.text);
    await expect(first.textContent()).resolves.toContain('机器人');
    await settle(page);
    await page.getByTestId('gate-replay').scrollIntoViewIfNeeded();
    await h.shot('gate-01-replay');
  });

  it('judges ten changes by keyboard; each becomes a label and the estimate is shown with its interval', async () => {
    await page.getByTestId('gate-judge-open').click();
    await page.waitForSelector('[data-testid="gate-judge-item"]');
    const start = await judgedShown();
    const intents = await h.api.intent.listIntents({});
    const judged: { id: string; key: string; from: string | null; to: string | null; picked?: string }[] = [];
    for (let i = 0; i < 10; i++) {
      const item = page.getByTestId('gate-judge-item');
      const id = (await item.getAttribute('data-utterance-id'))!;
      expect(await item.getAttribute('data-judgment')).toBe('');
      const sample = (await h.api.replay.getJudging({})).items.find((x) => x.utteranceId === id)!;
      const key = ['1', '2', '3'][i % 3]!;
      await page.keyboard.press(key);
      if (key === '3') {
        // Neither: pick an intent that is neither side's, by typing its name in the picker.
        const other = intents.find((x) => x.status === 'active' && x.id !== sample.from && x.id !== sample.to)!;
        await page.waitForSelector('[data-testid="picker-input"]');
        await page.getByTestId('picker-input').fill(other.name);
        await page.waitForSelector(`[data-testid="picker-choice"][data-intent-id="${other.id}"]`);
        await page.keyboard.press('Enter');
        judged.push({ id, key, from: sample.from, to: sample.to, picked: other.id });
      } else judged.push({ id, key, from: sample.from, to: sample.to });
      await page.waitForFunction((want) => Number(document.querySelector('[data-testid="gate-judge"]')?.getAttribute('data-judged')) === want, start + i + 1);
      if (i === 2) {
        await settle(page);
        await h.shot('gate-02-judging');
      }
    }
    const state = await h.api.replay.getJudging({});
    for (const j of judged) {
      const item = state.items.find((x) => x.utteranceId === j.id)!;
      const want = j.key === '1' ? 'new' : j.key === '2' ? 'old' : 'neither';
      expect(item.judgment).toBe(want);
      const intent = j.key === '1' ? j.to : j.key === '2' ? j.from : j.picked!;
      expect(item.label).toEqual(intent === null ? { kind: 'none' } : { kind: 'intent', intentId: intent });
      const history = await h.api.label.getHistory({ utteranceId: j.id, limit: 1 });
      expect(history[0]?.annotator).toBe('e2e');
    }
    const e = state.estimate;
    expect(e.judged).toBe(start + 10);
    expect(e.low).toBeLessThanOrEqual(e.estimate);
    expect(e.high).toBeGreaterThanOrEqual(e.estimate);
    const shown = (await page.getByTestId('gate-estimate-value').textContent()) ?? '';
    expect(shown).toContain(`${points(e.estimate)} 个百分点`);
    expect(shown).toContain(`${points(e.low)} 至 ${points(e.high)}`);
    const more = (await page.getByTestId('gate-estimate-more').textContent()) ?? '';
    if (e.excludesZero) expect(more).toContain('区间不含零');
    else if (e.moreJudgments !== null) expect(more).toContain(`大约再评判 ${e.moreJudgments} 条`);
    await settle(page);
    await h.shot('gate-03-estimate');
  });
});
