import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/contract/dispatch';
import type { ServiceHost } from './index';
import { makeTestCalls, makeTestIntents } from './store/testCalls';
import { closeTestHost, openHostIn, openTestHost } from './testServiceHost';

let root: string;
let ws: string;
let host: ServiceHost;

const open = () => openHostIn(root);
const nine = (...ids: (string | null)[]) => [...ids, ...Array<null>(9 - ids.length).fill(null)];

beforeEach(async () => {
  ({ root, workspace: ws, host } = await openTestHost('callsift-keymap-', makeTestIntents(['confirm', 'busy', 'refund', 'complain', 'later']), makeTestCalls(10)));
});
afterEach(() => closeTestHost(host, root));

describe('pinned key map', () => {
  it('is absent until a lead pins one, and is kept in workspace.json across a reopen', async () => {
    const { intent, workspace } = host.services;
    expect(await intent.getKeyMap({})).toBeNull();
    await workspace.updateSettings({ annotator: '王组长' });
    const pinned = await intent.pinKeyMap({ slots: nine('busy', null, 'confirm') });
    expect(pinned).toMatchObject({ slots: nine('busy', null, 'confirm'), pinnedBy: '王组长' });
    const doc = JSON.parse(await readFile(join(ws, 'workspace.json'), 'utf8')) as { meta: { keyMapPin?: unknown } };
    expect(doc.meta.keyMapPin).toMatchObject({ slots: nine('busy', null, 'confirm'), pinnedBy: '王组长' });

    await host.close();
    host = await open();
    expect(await host.services.intent.getKeyMap({})).toEqual(pinned);
  });

  it('shows a merged intent as its target and empties the key of a deprecated one; an undone merge puts the source back', async () => {
    const { intent, label } = host.services;
    await intent.pinKeyMap({ slots: nine('confirm', 'busy', 'refund', 'later') });
    await intent.mergeIntents({ sourceId: 'refund', targetId: 'complain' });
    await intent.updateIntent({ id: 'later', status: 'deprecated' });
    expect((await intent.getKeyMap({}))!.slots).toEqual(nine('confirm', 'busy', 'complain', null));
    // Merged into an intent already on a key: the target keeps its own key, the source's key empties.
    const second = await intent.mergeIntents({ sourceId: 'busy', targetId: 'confirm' });
    expect((await intent.getKeyMap({}))!.slots).toEqual(nine('confirm', null, 'complain', null));
    await label.undoAction({ actionId: second.actionId });
    expect((await intent.getKeyMap({}))!.slots).toEqual(nine('confirm', 'busy', 'complain', null));

    await host.close();
    host = await open();
    expect((await host.services.intent.getKeyMap({}))!.slots).toEqual(nine('confirm', 'busy', 'complain', null));
  });

  it('refuses at the boundary: wrong length, duplicates, nothing pinned, unknown fields, unknown or deprecated intents', async () => {
    const s = host.services;
    const bad = async (arg: unknown) => {
      const res = await dispatch(s, 'intent.pinKeyMap', arg);
      expect(res.ok).toBe(false);
      return res.ok ? null : res.error;
    };
    expect(await bad({ slots: ['confirm'] })).toMatchObject({ code: 'invalid_argument', details: { field: 'slots' } });
    expect(await bad({ slots: nine('confirm', 'confirm') })).toMatchObject({ code: 'invalid_argument', details: { field: 'slots' } });
    expect(await bad({ slots: nine() })).toMatchObject({ code: 'invalid_argument' });
    expect(await bad({ slots: nine('confirm'), by: 'x' })).toMatchObject({ code: 'invalid_argument' });
    expect(await bad({ slots: nine('confirm', 'nope') })).toMatchObject({ code: 'not_found', details: { field: 'slots.1' } });
    await s.intent.updateIntent({ id: 'later', status: 'deprecated' });
    expect(await bad({ slots: nine('later') })).toMatchObject({ code: 'invalid_argument', details: { field: 'slots.0' } });
    expect(await s.intent.getKeyMap({})).toBeNull();
    const ok = await dispatch(s, 'intent.pinKeyMap', { slots: nine('refund') });
    expect(ok.ok).toBe(true);
  });

  it('unpins, and the workspace opens without a pin afterwards', async () => {
    await host.services.intent.pinKeyMap({ slots: nine('confirm') });
    expect(await host.services.intent.unpinKeyMap({})).toBeNull();
    expect(await host.services.intent.getKeyMap({})).toBeNull();
    await host.close();
    host = await open();
    expect(await host.services.intent.getKeyMap({})).toBeNull();
  });
});
