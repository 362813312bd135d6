import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateFindings, scanSources, toFindings, type Finding } from './securityCheck';

const projectRoot = resolve(__dirname, '..');

describe('securityCheck script', () => {
  it('passes on the project sources', () => {
    const result = spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(projectRoot, 'scripts', 'securityCheck.ts')], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr + result.stdout).toContain('Security check passed');
    expect(result.status).toBe(0);
  });
});

describe('scanSources + gateFindings on an insecure fixture', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callsift-security-fixture-'));
    await mkdir(join(dir, 'app'), { recursive: true });
    await writeFile(
      join(dir, 'app', 'main.ts'),
      [
        "import { BrowserWindow } from 'electron';",
        'export function open(): BrowserWindow {',
        "  return new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, disableBlinkFeatures: 'Auxclick' } });",
        '}',
        '',
      ].join('\n'),
    );
    await mkdir(join(dir, 'report'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('flags a window with Node and no context isolation as HIGH and fails the gate', async () => {
    const { findings } = await scanSources({ roots: [join(dir, 'app')], reportDir: join(dir, 'report'), electronVersion: '41.7.0' });
    expect(findings.find((f) => f.id === 'CONTEXT_ISOLATION_JS_CHECK')).toMatchObject({ severity: 'HIGH', file: 'app/main.ts', line: 3 });
    expect(findings.some((f) => f.id === 'NODE_INTEGRATION_JS_CHECK' && f.file === 'app/main.ts')).toBe(true);
    const gate = gateFindings(findings);
    expect(gate.blocking.map((f) => f.id)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']),
    );
  });
});

describe('gateFindings', () => {
  const finding = (over: Partial<Finding>): Finding => ({
    id: 'PRELOAD_JS_CHECK',
    severity: 'MEDIUM',
    confidence: 'FIRM',
    file: 'electron/main/window.ts',
    line: 1,
    column: 0,
    sample: 'preload: options.preloadPath,',
    description: '',
    manualReview: true,
    ...over,
  });

  it('lets a reviewed finding through only at its reviewed place', () => {
    expect(gateFindings([finding({})]).blocking).toEqual([]);
    expect(gateFindings([finding({ file: 'electron/main/other.ts' })]).blocking).toHaveLength(1);
    expect(gateFindings([finding({ sample: 'preload: somethingElse' })]).blocking).toHaveLength(1);
    expect(gateFindings([finding({ id: 'NODE_INTEGRATION_JS_CHECK', severity: 'HIGH' })]).blocking).toHaveLength(1);
    expect(gateFindings([finding({ severity: 'LOW', file: 'x.ts' })]).other).toHaveLength(1);
  });
});

describe('toFindings', () => {
  it('normalizes raw issues and rejects unknown shapes', () => {
    const raw = [{ id: 'X', severity: { name: 'HIGH' }, confidence: { name: 'CERTAIN' }, file: 'a\\b.ts', location: { line: 2, column: 3 }, sample: 's', description: 'd', manualReview: false }];
    expect(toFindings(raw)).toEqual([{ id: 'X', severity: 'HIGH', confidence: 'CERTAIN', file: 'a/b.ts', line: 2, column: 3, sample: 's', description: 'd', manualReview: false }]);
    expect(() => toFindings([{ id: 'X', severity: 'HIGH' }])).toThrow(/unexpected shape/);
    expect(() => toFindings(undefined)).toThrow(/no issue list/);
  });
});
