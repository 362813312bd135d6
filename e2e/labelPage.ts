import type { Page } from 'playwright-core';

/** The id of the utterance the Label view is showing. */
export async function currentUtteranceId(page: Page): Promise<string> {
  return (await page.getByTestId('current-utterance').getAttribute('data-utterance-id')) ?? '';
}

/** Waits until the Label view shows an utterance other than `id`, and returns its id. */
export async function waitForUtteranceOtherThan(page: Page, id: string): Promise<string> {
  await page.waitForFunction((prev) => {
    const el = document.querySelector('[data-testid="current-utterance"]');
    return el !== null && el.getAttribute('data-utterance-id') !== prev;
  }, id);
  return currentUtteranceId(page);
}

/** Labels `times` items in a row with a key (a digit picks that intent), each time waiting for the next item. */
export async function labelInARow(page: Page, times: number, key = '1'): Promise<void> {
  for (let i = 0; i < times; i++) {
    const before = await currentUtteranceId(page);
    await page.keyboard.press(key);
    await waitForUtteranceOtherThan(page, before);
  }
}
