import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import { KEY_MAP_SLOTS, resolvePinnedSlots, type KeyMapPin } from '../../shared/domain/keyMapPin';
import type { WorkspaceMeta } from '../../shared/domain/types';
import type { WorkspaceSession } from './workspaceSession';

/**
 * The key map a lead pins for a workspace, kept in workspace.json's meta (written atomically, the replaced version
 * kept as workspace.prev.json). Read back as the catalogue has it now, so merges and deletions made after the pin
 * show at once, and an undone merge puts the source back on its key.
 */
export class KeyMapPins {
  constructor(private readonly session: WorkspaceSession) {}

  async get(): Promise<KeyMapPin | null> {
    const store = this.session.store;
    const pin = storedPinOf(store.meta);
    if (!pin) return null;
    return { ...pin, slots: resolvePinnedSlots(pin.slots, store.intents) };
  }

  /** Pins `slots` after checking each names an intent of the catalogue that is not deprecated. */
  async pin(arg: MethodArgs<'intent.pinKeyMap'>): Promise<KeyMapPin> {
    const store = this.session.store;
    const pin = await store.exclusive(async () => {
      const byId = new Map(store.intents.map((i) => [i.id, i]));
      arg.slots.forEach((id, k) => {
        if (id === null) return;
        const intent = byId.get(id);
        if (!intent) throw new ContractError('not_found', sentence('no_intent', { id }), { field: `slots.${k}` });
        if (intent.status === 'deprecated') throw new ContractError('invalid_argument', sentence('intent_deprecated', { name: intent.name }), { field: `slots.${k}` });
      });
      const next: KeyMapPin = { slots: [...arg.slots], pinnedBy: this.session.annotator, pinnedAt: Date.now() };
      await store.updateMeta((meta) => ({ ...meta, keyMapPin: next }));
      return next;
    });
    this.session.events.emit('onDidChangeIntents', {});
    return pin;
  }

  async unpin(): Promise<null> {
    const store = this.session.store;
    await store.exclusive(async () => {
      if (!store.meta.keyMapPin) return;
      await store.updateMeta(({ keyMapPin: _dropped, ...meta }) => meta);
    });
    this.session.events.emit('onDidChangeIntents', {});
    return null;
  }
}

/** The pin workspace.json holds, when it has the expected shape (a hand-edited or foreign file may not). */
function storedPinOf(meta: WorkspaceMeta): KeyMapPin | null {
  const pin: unknown = meta.keyMapPin;
  if (typeof pin !== 'object' || pin === null) return null;
  const { slots, pinnedBy, pinnedAt } = pin as Record<string, unknown>;
  if (!Array.isArray(slots) || slots.length !== KEY_MAP_SLOTS || !slots.every((s) => s === null || typeof s === 'string')) return null;
  return { slots: slots as (string | null)[], pinnedBy: typeof pinnedBy === 'string' ? pinnedBy : '', pinnedAt: typeof pinnedAt === 'number' ? pinnedAt : 0 };
}
