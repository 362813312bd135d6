import type { Page } from 'playwright-core';

/** The count the Inbox shows for a queue (its digits; 0 when none is shown). */
export async function queueCountOnScreen(page: Page, queue: string): Promise<number> {
  const text = (await page.getByTestId(`queue-count-${queue}`).textContent()) ?? '';
  return Number(text.replace(/[^\d]/g, ''));
}

/** Waits until the Inbox shows `count` for a queue. */
export async function waitForQueueCountOnScreen(page: Page, queue: string, count: number): Promise<void> {
  await page.waitForFunction(
    ([id, want]) => {
      const el = document.querySelector(`[data-testid="queue-count-${id}"]`);
      return el !== null && Number((el.textContent ?? '').replace(/[^\d]/g, '')) === want;
    },
    [queue, count] as const,
  );
}
