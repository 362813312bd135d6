import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { currentUtteranceId, waitForUtteranceOtherThan } from './labelPage';

/** The first run asks who is labeling; the name goes on every label. */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ firstRun: true });
});
afterAll(async () => {
  await h?.close();
});

describe('first run', () => {
  it('asks for the annotator name once, prefilled with the user name, and labels carry it', async () => {
    const page = h.page;
    await page.goto(`${h.url}/#/inbox`);
    await page.getByTestId('annotator-prompt').waitFor();
    expect(await page.getByTestId('annotator-prompt-input').locator('input').inputValue()).toBe(userInfo().username);
    await page.getByTestId('annotator-prompt-input').locator('input').fill('小王');
    await h.shot('firstrun-01-annotator-zh');
    await page.keyboard.press('Enter');
    await page.getByTestId('annotator-prompt').waitFor({ state: 'detached' });
    expect(await h.api.workspace.getSettings({})).toMatchObject({ annotator: '小王', annotatorChosen: true });

    await page.reload();
    await page.waitForSelector('[data-testid="queue-start-unlabeled"]');
    expect(await page.getByTestId('annotator-prompt').count()).toBe(0);
    await page.getByTestId('queue-start-unlabeled').click();
    await page.waitForSelector('[data-testid="current-utterance"]');
    const id = await currentUtteranceId(page);
    await page.keyboard.press('1');
    await waitForUtteranceOtherThan(page, id);
    await page.waitForSelector('[data-testid="save-status"][data-state="saved"]');
    const history = await h.api.label.getHistory({ utteranceId: id, limit: 1 });
    expect(history[0]?.annotator).toBe('小王');
  });
});
