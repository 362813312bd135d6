import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsFile } from './settingsFile';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe('SettingsFile', () => {
  it('says the annotator name was never chosen until one is saved, and remembers it across opens', async () => {
    dir = await mkdtemp(join(tmpdir(), 'callsift-settings-'));
    const first = await SettingsFile.open(dir);
    expect(first.value).toMatchObject({ annotator: userInfo().username, annotatorChosen: false });
    await first.update({ annotator: '小王' });
    expect(first.value).toMatchObject({ annotator: '小王', annotatorChosen: true });
    const again = await SettingsFile.open(dir);
    expect(again.value).toMatchObject({ annotator: '小王', annotatorChosen: true });
  });
});
