import type { Page } from 'playwright-core';

/** Clicks the element with `testId`, saves the download it starts to `path`, and returns the file name the app suggested. */
export async function downloadBy(page: Page, testId: string, path: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  await download.saveAs(path);
  return download.suggestedFilename();
}

/** Opens the import / export dialog on its tab (`导入` or `导出` in the zh-CN UI). */
export async function openTransferTab(page: Page, tab: '导入' | '导出'): Promise<void> {
  await page.getByTestId('open-transfer').click();
  await page.getByTestId('transfer-dialog').locator('.n-tabs-tab', { hasText: tab }).click();
}

/** Exports the labels in a format (its button's text) and saves the file to `path`; returns the suggested file name. */
export async function exportLabelsTo(page: Page, format: string, path: string): Promise<string> {
  await openTransferTab(page, '导出');
  await page.getByTestId('export-format').locator('.n-radio-button', { hasText: format }).click();
  return downloadBy(page, 'export-run', path);
}
