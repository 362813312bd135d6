import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** One planted import: the file it is written in (need not exist), its code, and words the report must contain. */
interface Plant {
  readonly file: string;
  readonly code: string;
  readonly says: string;
}

/** One violation per rule: every layer, every way of naming a module (static, export-from, import(), require()). */
const violations: readonly Plant[] = [
  // shared/
  { file: 'shared/ml/planted.ts', code: "import { readFile } from 'node:fs/promises';\nvoid readFile;", says: 'Node builtins' },
  { file: 'shared/ml/planted.ts', code: "import { join } from 'path';\nvoid join;", says: 'Node builtins' },
  { file: 'shared/contract/planted.ts', code: "import { ref } from 'vue';\nvoid ref;", says: 'no Vue' },
  { file: 'shared/contract/planted.ts', code: "import { app } from 'electron';\nvoid app;", says: "no 'electron'" },
  { file: 'shared/ml/planted.ts', code: "import { createServiceHost } from '../../electron/services/index';\nvoid createServiceHost;", says: 'shared/ imports only shared/' },
  { file: 'shared/ml/planted.ts', code: "export const client = await import('../../renderer/api/client');", says: 'shared/ imports only shared/' },
  { file: 'shared/domain/planted.ts', code: "export const server = require('../../platform/server');", says: 'shared/ imports only shared/' },
  // renderer/
  { file: 'renderer/stores/planted.ts', code: "import { createServiceHost } from '../../electron/services/index';\nvoid createServiceHost;", says: 'renderer/ imports only renderer/ and shared/' },
  { file: 'renderer/views/Planted.vue', code: "<script setup lang=\"ts\">\nconst platform = await import('../../platform/server');\nvoid platform;\n</script>\n<template><div /></template>\n", says: 'renderer/ imports only renderer/ and shared/' },
  { file: 'renderer/composables/planted.ts', code: "import { join } from 'node:path';\nvoid join;", says: 'Node builtins' },
  { file: 'renderer/api/planted.ts', code: "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;", says: 'renderer/api only' },
  { file: 'renderer/api/planted.ts', code: "export type Host = import('../../electron/services/index').ServiceHost;", says: 'renderer/ imports only renderer/ and shared/' },
  { file: 'renderer/stores/planted.test.ts', code: "export { WorkspaceStore } from '../../electron/services/store/workspaceStore';", says: 'renderer/ imports only renderer/ and shared/' },
  // electron/services and electron/workers
  { file: 'electron/services/planted.ts', code: "import { app } from 'electron';\nvoid app;", says: "Only electron/main and electron/preload import 'electron'" },
  { file: 'electron/services/planted.ts', code: "import { registerIpc } from '../main/ipc';\nvoid registerIpc;", says: 'never import electron/main' },
  { file: 'electron/services/sync/planted.ts', code: "export const ipc = await import('../../main/ipc');", says: 'never import electron/main' },
  { file: 'electron/services/sync/planted.ts', code: "import { startPlatform } from '../../../platform/server';\nvoid startPlatform;", says: 'never renderer/ or platform/' },
  { file: 'electron/services/planted.test.ts', code: "import { useLabelingStore } from '../../renderer/stores/labeling';\nvoid useLabelingStore;", says: 'never import renderer/' },
  { file: 'electron/workers/planted.ts', code: "export const main = require('../main/index');", says: 'never import electron/main' },
  { file: 'electron/services/planted.ts', code: "import { startHttpBridge } from '../server/httpBridge';\nvoid startHttpBridge;", says: 'never import electron/main, preload, server or cli' },
  // electron/server, electron/cli, electron/main, electron/preload
  { file: 'electron/server/planted.ts', code: "import { registerIpc } from '../main/ipc';\nvoid registerIpc;", says: 'never import electron/main or electron/preload' },
  { file: 'electron/cli/planted.ts', code: "import { dialog } from 'electron';\nvoid dialog;", says: "Only electron/main and electron/preload import 'electron'" },
  { file: 'electron/main/planted.ts', code: "import { useLabelingStore } from '../../renderer/stores/labeling';\nvoid useLabelingStore;", says: 'electron/main imports only' },
  { file: 'electron/main/planted.ts', code: "export const platform = await import('../../platform/server');", says: 'electron/main imports only' },
  { file: 'electron/preload/planted.ts', code: "import { createServiceHost } from '../services/index';\nvoid createServiceHost;", says: 'electron/preload is bundled into a sandbox' },
  // platform/
  { file: 'platform/store/planted.ts', code: "import { WorkspaceStore } from '../../electron/services/store/workspaceStore';\nvoid WorkspaceStore;", says: 'platform/ is another product' },
  { file: 'platform/planted.ts', code: "export const store = await import('../electron/services/store/workspaceStore');", says: 'platform/ is another product' },
  { file: 'platform/planted.ts', code: "export * from '../renderer/api/client';", says: 'platform/ is another product' },
  { file: 'platform/planted.ts', code: "import x = require('../electron/services/index');\nvoid x;", says: 'platform/ is another product' },
  { file: 'platform/planted.ts', code: "import { app } from 'electron';\nvoid app;", says: "platform/ is its own server process" },
  // lib/, resources/, scripts/, eslint/
  { file: 'lib/durable/planted.ts', code: "import { WorkspaceStore } from '../../electron/services/store/workspaceStore';\nvoid WorkspaceStore;", says: 'lib/ holds building blocks' },
  { file: 'lib/durable/planted.ts', code: "export const p = await import('../../platform/server');", says: 'lib/ holds building blocks' },
  { file: 'resources/demo/planted.ts', code: "import { createServiceHost } from '../../electron/services/index';\nvoid createServiceHost;", says: 'resources/ (demo data' },
  { file: 'scripts/planted.ts', code: "import { startPlatform } from '../platform/server';\nvoid startPlatform;", says: 'scripts/ are standalone tools' },
  { file: 'eslint/planted.ts', code: "import { routes } from '../platform/routes';\nvoid routes;", says: 'eslint/ holds the lint rules' },
  // bench/
  { file: 'bench/planted.ts', code: "import { useLabelingStore } from '../renderer/stores/labeling';\nvoid useLabelingStore;", says: 'never renderer/ or e2e/' },
  { file: 'bench/model/planted.ts', code: "export const main = await import('../../electron/main/index');", says: 'never electron/main or electron/preload' },
  { file: 'bench/planted.ts', code: "import { startHarness } from '../e2e/harness';\nvoid startHarness;", says: 'never renderer/ or e2e/' },
  // e2e/
  { file: 'e2e/planted.e2e.ts', code: "import { createServiceHost } from '../electron/services/index';\nvoid createServiceHost;", says: 'e2e/ talks to the app through renderer/api' },
  { file: 'e2e/planted.e2e.ts', code: "import { useLabelingStore } from '../renderer/stores/labeling';\nvoid useLabelingStore;", says: 'e2e/ talks to the app through renderer/api' },
  { file: 'e2e/planted.e2e.ts', code: "export const platform = await import('../platform/server');", says: 'e2e/ talks to the app through renderer/api' },
  // a module named by an expression cannot be checked
  { file: 'renderer/views/planted.ts', code: "const name = './x';\nexport const m = await import(name);", says: 'must name its module with a string literal' },
  { file: 'electron/services/planted.ts', code: "const name = 'electron';\nexport const m = require(name);", says: 'must name its module with a string literal' },
];

/** Imports the rules allow, next to the ones they refuse, so a rule that refuses everything fails too. */
const allowed: readonly Plant[] = [
  { file: 'shared/ml/planted.ts', code: "import { z } from 'zod';\nimport type { Intent } from '../domain/types';\nexport type T = [typeof z, Intent];", says: '' },
  { file: 'renderer/stores/planted.ts', code: "import { createClient } from '../api/client';\nimport type { Intent } from '../../shared/domain/types';\nexport type T = [typeof createClient, Intent];\nexport const v = () => import('../views/IntentsView.vue');", says: '' },
  { file: 'electron/services/planted.ts', code: "import { DurableJsonFile } from '../../lib/durable/durableFile';\nexport const d = DurableJsonFile;", says: '' },
  { file: 'electron/services/sync/planted.test.ts', code: "import { startPlatform } from '../../../platform/server';\nexport const s = startPlatform;", says: '' },
  { file: 'electron/main/planted.ts', code: "import { app } from 'electron';\nimport { createServiceHost } from '../services/index';\nexport const a = [app, createServiceHost];", says: '' },
  { file: 'platform/store/planted.ts', code: "import { GroupCommit } from '../../lib/durable/groupCommit';\nimport { routeSchemas } from '../../shared/platformApi/routes';\nexport const g = [GroupCommit, routeSchemas];", says: '' },
  { file: 'e2e/planted.e2e.ts', code: "import { createClient } from '../renderer/api/client';\nimport { makeTestCalls } from '../electron/services/store/testCalls';\nexport const c = [createClient, makeTestCalls];", says: '' },
  { file: 'bench/planted.ts', code: "import { createServiceHost } from '../electron/services/index';\nimport { startPlatform } from '../platform/server';\nexport const b = [createServiceHost, startPlatform];", says: '' },
];

/** Top-level source folders (and electron's layers): each must be under a layer rule. */
const layerFolders = ['shared/ml', 'renderer/stores', 'electron/main', 'electron/preload', 'electron/services', 'electron/workers', 'electron/server', 'electron/cli', 'platform', 'lib/durable', 'resources/demo', 'scripts', 'bench', 'e2e', 'eslint'];

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layerMessages(plant: Plant): Promise<string[]> {
  const [result] = await eslint.lintText(plant.code, { filePath: resolve(root, plant.file) });
  return result!.messages.filter((m) => m.ruleId === 'layers/imports' || m.fatal === true).map((m) => m.message);
}

describe("npm run lint's layer rules", () => {
  it.each(violations.map((v) => [`${v.file}: ${v.code.split('\n')[0]}`, v] as const))('refuses %s', async (_name, plant) => {
    const messages = await layerMessages(plant);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(plant.says);
  });

  it.each(allowed.map((a) => [`${a.file}: ${a.code.split('\n')[0]}`, a] as const))('allows %s', async (_name, plant) => {
    expect(await layerMessages(plant)).toEqual([]);
  });

  it.each(layerFolders)('puts %s under a layer rule', async (folder) => {
    const config = (await eslint.calculateConfigForFile(resolve(root, folder, 'planted.ts'))) as { rules?: Record<string, unknown> };
    expect(config.rules?.['layers/imports']).toBeDefined();
  });

  it('passes on the tree (npx eslint .)', { timeout: 300_000 }, async () => {
    const results = await eslint.lintFiles(['.']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.ruleId ?? ''} ${m.message}`));
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(300);
  });
});
