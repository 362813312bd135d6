import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultWindowState, fitToDisplays, loadWindowState, parseWindowState, saveWindowState } from './windowState';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('parseWindowState', () => {
  it('falls back to defaults for malformed input', () => {
    expect(parseWindowState(null)).toEqual(defaultWindowState);
    expect(parseWindowState({ width: 'wide', height: 3 })).toEqual(defaultWindowState);
    expect(parseWindowState({ width: Number.NaN, height: 800 })).toEqual(defaultWindowState);
  });

  it('keeps valid fields and enforces the minimum size', () => {
    expect(parseWindowState({ x: 10.4, y: 20, width: 100, height: 2000, maximized: true })).toEqual({
      x: 10,
      y: 20,
      width: 640,
      height: 2000,
      maximized: true,
    });
    expect(parseWindowState({ x: 10, width: 900, height: 700 })).toEqual({ width: 900, height: 700, maximized: false });
  });
});

describe('fitToDisplays', () => {
  it('keeps a position that is on a display', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [laptop, rightMonitor])).toEqual(state);
  });

  it('drops the position when the saved display is gone', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: true };
    expect(fitToDisplays(state, [laptop])).toEqual({ width: 1200, height: 800, maximized: true });
  });

  it('drops the position when the title bar is above every display', () => {
    expect(fitToDisplays({ x: 100, y: -500, width: 800, height: 700, maximized: false }, [laptop])).toEqual({
      width: 800,
      height: 700,
      maximized: false,
    });
  });

  it('drops the position when only a sliver is visible', () => {
    expect(fitToDisplays({ x: 1420, y: 100, width: 800, height: 600, maximized: false }, [laptop])).toEqual({
      width: 800,
      height: 600,
      maximized: false,
    });
  });

  it('shrinks a window larger than every display', () => {
    expect(fitToDisplays({ width: 3000, height: 2000, maximized: false }, [laptop])).toEqual({ width: 1440, height: 900, maximized: false });
  });
});

describe('loadWindowState / saveWindowState', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'callsift-window-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through a file', async () => {
    const file = join(dir, 'nested', 'window-state.json');
    const state = { x: 5, y: 6, width: 1000, height: 700, maximized: true };
    saveWindowState(file, state);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
    expect(await loadWindowState(file)).toEqual(state);
  });

  it('gives the defaults for a missing or corrupt file', async () => {
    expect(await loadWindowState(join(dir, 'missing.json'))).toEqual(defaultWindowState);
    const corrupt = join(dir, 'corrupt.json');
    await writeFile(corrupt, '{"width": 12', 'utf8');
    expect(await loadWindowState(corrupt)).toEqual(defaultWindowState);
  });
});
