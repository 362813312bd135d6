import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../shared/domain/types';
import { startPlatform, type Platform } from './server';
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
  it('builds the catalogue from the dataset and streams its dialogues, cycling, at the requested rate', async () => {
    const api = apiClient(platform.url, 'dataset-token');
    const intents = await api.call<CatalogueChanges>('GET', '/projects/sgd/intents');
    expect(intents.json.intents.map((i) => [i.id, i.examples])).toEqual([
      ['BookRestaurant', ['I want to book a table for two', 'In San Jose please']],
      ['GetWeather', ['帮我查一下明天的天气']],
    ]);
    const deadline = Date.now() + 5000;
    while (platform.project.feed.headSeq < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
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
