import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Call } from '../shared/domain/types';
import { startPlatform, type Platform } from './server';
import { callsDue, scheduleTraffic } from './simulator';
import type { CatalogueChanges } from './store/catalogue';
import { apiClient } from './testPlatform';

const dialogues = [
  { id: 'd1', turns: [{ speaker: 'user', text: 'I want to book a table for two', intent: 'BookRestaurant' }, { speaker: 'system', text: 'Which city?' }, { speaker: 'user', text: 'In San Jose please', intent: 'BookRestaurant' }] },
  { id: 'd2', turns: [{ speaker: 'user', text: '帮我查一下明天的天气', intent: 'GetWeather' }, { speaker: 'bot', text: '好的' }] },
];

let dir: string;
let platform: Platform;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsift-platform-dataset-'));
  const file = join(dir, 'dialogues.jsonl');
  await writeFile(file, dialogues.map((d) => JSON.stringify(d)).join('\n') + '\n\n');
  platform = await startPlatform({ dataDir: join(dir, 'data'), token: 'dataset-token', project: 'sgd', dataset: file, simulatePerSecond: 50 });
});

afterAll(async () => {
  await platform.close();
  await rm(dir, { recursive: true, force: true });
});

describe('traffic from a dialogue dataset', () => {
  it('builds the catalogue from the dataset and streams its dialogues, cycling', async () => {
    const api = apiClient(platform.url, 'dataset-token');
    const intents = await api.call<CatalogueChanges>('GET', '/projects/sgd/intents');
    expect(intents.json.intents.map((i) => [i.id, i.examples])).toEqual([
      ['BookRestaurant', ['I want to book a table for two', 'In San Jose please']],
      ['GetWeather', ['帮我查一下明天的天气']],
    ]);
    await vi.waitFor(() => expect(platform.project.feed.headSeq).toBeGreaterThanOrEqual(5), { timeout: 5000, interval: 20 });
    const page = await api.call<{ calls: (Call & { seq: number })[] }>('GET', '/projects/sgd/calls?limit=3');
    const [first, second, third] = page.json.calls;
    expect(first!.turns.map((t) => [t.speaker, t.text])).toEqual([
      ['user', 'I want to book a table for two'],
      ['bot', 'Which city?'],
      ['user', 'In San Jose please'],
    ]);
    expect(first!.turns[0]).toMatchObject({ predictedIntent: 'BookRestaurant', predictedConfidence: 1 });
    expect(second).toMatchObject({ language: 'zh', campaign: 'dialogues', turns: [{ predictedIntent: 'GetWeather' }, { speaker: 'bot' }] });
    expect(third!.turns[0]!.text).toBe(first!.turns[0]!.text);
    expect(third!.id).not.toBe(first!.id);
  });
});

describe('the traffic rate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts the calls due from the elapsed time, never below zero', () => {
    expect(callsDue(0, 50, 0)).toBe(0);
    expect(callsDue(100, 50, 0)).toBe(5);
    expect(callsDue(1000, 50, 5)).toBe(45);
    expect(callsDue(1019, 3, 3)).toBe(0);
    expect(callsDue(1500, 3, 0)).toBe(4);
    expect(callsDue(200, 10, 9)).toBe(0);
  });

  it('produces exactly the requested rate, second by second, on a fake clock', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const batches: number[] = [];
    const traffic = scheduleTraffic(30, async (count) => void batches.push(count), (err) => expect.unreachable(err.message));
    const total = () => batches.reduce((a, b) => a + b, 0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(total()).toBe(30);
    expect(batches).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(2000);
    expect(total()).toBe(90);
    await traffic.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(total()).toBe(90);
  });

  it('makes up for ticks skipped while a slow batch was in flight', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const batches: number[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const traffic = scheduleTraffic(10, async (count) => {
      batches.push(count);
      if (batches.length === 1) await slow;
    }, (err) => expect.unreachable(err.message));
    await vi.advanceTimersByTimeAsync(1000);
    expect(batches).toEqual([1]);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([1, 10]);
    await traffic.stop();
  });
});
