import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LAPTOP, settle, useHarness, type Harness } from './harness';

/** axe-core in the page, on every view, in both languages: no serious or critical WCAG 2 A/AA violation. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const views = ['inbox', 'label', 'intents', 'discovery', 'calls', 'models', 'settings'] as const;

interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

let h: Harness;
let page: Page;

useHarness((started) => ([h, page] = [started, started.page]), { viewport: LAPTOP });

async function setLanguage(language: 'zh-CN' | 'en'): Promise<void> {
  await h.api.workspace.updateSettings({ uiLanguage: language });
}

async function scan(): Promise<AxeFinding[]> {
  // Strings, not functions: evaluated over CDP, so the page's CSP does not apply, and tsx adds no helpers to them.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  const script = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then(function (r) {
    return r.violations
      .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
      .map(function (v) {
        return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return { target: n.target, failureSummary: n.failureSummary }; }) };
      });
  })`;
  const found = (await page.evaluate(script)) as AxeFinding[];
  return found;
}

describe.each(['zh-CN', 'en'] as const)('accessibility in %s', (language) => {
  it.each(views)('%s has no serious or critical violation', async (view) => {
    await setLanguage(language);
    await page.goto(`${h.url}/#/${view}`);
    await page.reload();
    await page.waitForSelector('.shell-content > *');
    await settle(page);
    const findings = await scan();
    if (findings.length > 0) console.log(view, language, JSON.stringify(findings, null, 1));
    expect(findings.map((f) => `${f.id}: ${f.help} (${f.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
});
