import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Position and size of the main window as saved between runs. */
export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

/** A display's usable area in screen coordinates. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Size the window opens with on first run or after an unreadable state file. */
export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false };

const minWidth = 640;
const minHeight = 480;
/** How much of the window must overlap a display for the saved position to be kept. */
const minVisible = 64;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Reads a saved state from untrusted JSON; anything malformed falls back to the defaults. */
export function parseWindowState(raw: unknown): WindowState {
  if (typeof raw !== 'object' || raw === null) return defaultWindowState;
  const r = raw as Record<string, unknown>;
  if (!isFiniteNumber(r.width) || !isFiniteNumber(r.height)) return defaultWindowState;
  const state: WindowState = {
    width: Math.max(minWidth, Math.round(r.width)),
    height: Math.max(minHeight, Math.round(r.height)),
    maximized: r.maximized === true,
  };
  return isFiniteNumber(r.x) && isFiniteNumber(r.y) ? { ...state, x: Math.round(r.x), y: Math.round(r.y) } : state;
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Makes a saved state safe for the current displays: the size shrinks to the largest work area,
 * and the position is dropped (the window centers) unless enough of the window lands on some display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxWidth = Math.max(...workAreas.map((a) => a.width));
  const maxHeight = Math.max(...workAreas.map((a) => a.height));
  const width = Math.min(state.width, maxWidth);
  const height = Math.min(state.height, maxHeight);
  const sized: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return sized;
  const bounds: Rect = { x: state.x, y: state.y, width, height };
  const titleBarY = state.y;
  const visible = workAreas.some((area) => {
    const o = overlap(bounds, area);
    const titleBarOnArea = titleBarY >= area.y && titleBarY < area.y + area.height;
    return titleBarOnArea && o.width >= Math.min(minVisible, width) && o.height >= Math.min(minVisible, height);
  });
  return visible ? { ...sized, x: state.x, y: state.y } : sized;
}

/** Loads the saved state from `file`; a missing or corrupt file gives the defaults. */
export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    return parseWindowState(JSON.parse(await readFile(file, 'utf8')) as unknown);
  } catch {
    return defaultWindowState;
  }
}

/** Saves `state` to `file` atomically (write then rename); synchronous so it completes while the app quits. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, 'utf8');
  renameSync(tmp, file);
}
