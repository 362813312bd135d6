import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import type { Intent, IntentPatch, IntentStatus } from '../../../shared/domain/types';

/** One intent as an action left it: `before` null = created, `after` null = removed. */
export interface IntentChange {
  readonly before: Intent | null;
  readonly after: Intent | null;
}

export interface NewIntent {
  readonly name: string;
  readonly description: string;
  readonly examples: readonly string[];
  readonly status?: IntentStatus;
  readonly group?: string;
  /** A preferred id (library key, platform id); a free one is chosen when it is taken. */
  readonly id?: string;
}

export type { IntentPatch };

/**
 * The intent catalogue's rules, on a working copy: ids, unique names (case-insensitive among intents not deprecated),
 * create, update, merge, remove. Every change to the intents goes through a draft, and the draft's `changes` are
 * committed in the same journal write as the labels of the action, so the action is whole or absent after a crash.
 */
export class CatalogueDraft {
  private readonly byId: Map<string, Intent>;
  private readonly order: string[];
  private readonly originals = new Map<string, Intent | null>();

  constructor(
    intents: readonly Intent[],
    private readonly now: number = Date.now(),
  ) {
    this.byId = new Map(intents.map((i) => [i.id, i]));
    this.order = intents.map((i) => i.id);
  }

  /** The intents as the draft has them, in catalogue order. */
  get intents(): Intent[] {
    return this.order.map((id) => this.byId.get(id)).filter((i): i is Intent => i !== undefined);
  }

  find(id: string): Intent | undefined {
    return this.byId.get(id);
  }

  /** The intent of id `id`, or not_found in words naming `field`. */
  require(id: string, field = 'intentId'): Intent {
    const intent = this.byId.get(id);
    if (!intent) throw new ContractError('not_found', sentence('no_intent', { id }), { field });
    return intent;
  }

  /** An intent not deprecated whose name equals `name` (case-insensitive). */
  findByName(name: string): Intent | undefined {
    const lower = name.toLowerCase();
    return this.intents.find((i) => i.status !== 'deprecated' && i.name.toLowerCase() === lower);
  }

  /** Adds an intent; its name must be free. Returns it with its id. */
  create(input: NewIntent): Intent {
    this.assertNameFree(input.name);
    const intent: Intent = {
      id: this.freeId(input.id, input.name),
      name: input.name,
      description: input.description,
      examples: dedupeExamples(input.examples),
      status: input.status ?? 'active',
      ...(input.group ? { group: input.group } : {}),
      createdAt: this.now,
      updatedAt: this.now,
    };
    this.put(intent);
    return intent;
  }

  /** Changes an intent's fields; a new name must be free. */
  update(id: string, patch: IntentPatch): Intent {
    const current = this.require(id, 'id');
    if (patch.name !== undefined && patch.name.toLowerCase() !== current.name.toLowerCase()) this.assertNameFree(patch.name);
    const next: Intent = {
      ...current,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.examples !== undefined ? { examples: dedupeExamples(patch.examples) } : {}),
      ...(patch.group !== undefined ? { group: patch.group } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.critical !== undefined ? { critical: patch.critical } : {}),
      ...(patch.transfer !== undefined ? { transfer: patch.transfer } : {}),
      updatedAt: this.now,
    };
    this.put(next);
    return next;
  }

  /** Deprecates `sourceId` as merged into `targetId`, which takes over its examples. Returns the target. */
  merge(sourceId: string, targetId: string): Intent {
    if (sourceId === targetId) throw new ContractError('invalid_argument', sentence('intent_merge_self'), { field: 'targetId' });
    const source = this.require(sourceId, 'sourceId');
    const target = this.require(targetId, 'targetId');
    if (target.status === 'deprecated') throw new ContractError('invalid_argument', sentence('intent_deprecated_merge', { name: target.name }), { field: 'targetId' });
    const merged: Intent = { ...target, examples: dedupeExamples([...target.examples, ...source.examples]), updatedAt: this.now };
    this.put(merged);
    this.put({ ...source, status: 'deprecated', mergedInto: target.id, updatedAt: this.now });
    return merged;
  }

  /** Replaces (or adds) an intent as given, with no rule applied: for intents that come from the platform. */
  put(intent: Intent): void {
    if (!this.originals.has(intent.id)) this.originals.set(intent.id, this.byId.get(intent.id) ?? null);
    if (!this.byId.has(intent.id)) this.order.push(intent.id);
    this.byId.set(intent.id, intent);
  }

  /** Removes an intent. */
  remove(id: string): void {
    if (!this.byId.has(id)) return;
    if (!this.originals.has(id)) this.originals.set(id, this.byId.get(id)!);
    this.byId.delete(id);
  }

  /** What the draft changed, intent by intent (unchanged ones left out). */
  changes(): IntentChange[] {
    const out: IntentChange[] = [];
    for (const [id, before] of this.originals) {
      const after = this.byId.get(id) ?? null;
      if (before === null && after === null) continue;
      if (before !== null && after !== null && sameIntent(before, after)) continue;
      out.push({ before, after });
    }
    return out;
  }

  /**
   * Undoes `change` (made by an earlier action) by its inverse, on this draft, leaving alone what was done since:
   * each field the action changed goes back only while it still holds the action's value (examples one by one);
   * an intent the action created is removed only when `inUse` says no label uses it and nobody changed it since,
   * else it is deprecated; an intent it removed comes back unless its id was taken again.
   */
  revert(change: IntentChange, inUse: (id: string) => boolean): void {
    const { before, after } = change;
    if (after === null) {
      if (before && !this.byId.has(before.id)) this.put(before);
      return;
    }
    const current = this.byId.get(after.id);
    if (!current) return;
    if (before === null) {
      if (!inUse(after.id) && sameIntent(current, after)) this.remove(after.id);
      else if (current.status !== 'deprecated') this.put({ ...current, status: 'deprecated', updatedAt: this.now });
      return;
    }
    const next: Record<string, unknown> = { ...current };
    let changed = false;
    for (const field of ['name', 'description', 'status', 'group', 'mergedInto', 'critical', 'transfer'] as const) {
      if (before[field] === after[field] || current[field] !== after[field]) continue;
      next[field] = before[field];
      changed = true;
    }
    const added = after.examples.filter((e) => !before.examples.includes(e));
    const dropped = before.examples.filter((e) => !after.examples.includes(e));
    if (added.length + dropped.length > 0) {
      const examples = current.examples.filter((e) => !added.includes(e));
      for (const e of dropped) if (!examples.includes(e)) examples.push(e);
      if (examples.length !== current.examples.length || examples.some((e, i) => e !== current.examples[i])) {
        next.examples = examples;
        changed = true;
      }
    }
    if (!changed) return;
    const reverted = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as unknown as Intent;
    if (reverted.status !== 'deprecated' && (reverted.name !== current.name || current.status === 'deprecated')) this.assertNameFree(reverted.name, current.id);
    this.put({ ...reverted, updatedAt: this.now });
  }

  private assertNameFree(name: string, except?: string): void {
    const clash = this.findByName(name);
    if (clash && clash.id !== except) throw new ContractError('conflict', sentence('intent_name_taken', { name: clash.name }), { field: 'name' });
  }

  private freeId(preferred: string | undefined, name: string): string {
    if (preferred && !this.byId.has(preferred) && !this.originals.has(preferred)) return preferred;
    const base = name.toLowerCase().normalize('NFKC').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'intent';
    const taken = (id: string) => this.byId.has(id) || this.originals.has(id);
    if (!taken(base)) return base;
    for (let n = 2; ; n++) if (!taken(`${base}_${n}`)) return `${base}_${n}`;
  }
}

/** True when two intents have the same content (timestamps aside). */
export function sameIntent(a: Intent, b: Intent): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.description === b.description &&
    a.status === b.status &&
    a.group === b.group &&
    a.mergedInto === b.mergedInto &&
    (a.critical ?? false) === (b.critical ?? false) &&
    (a.transfer ?? false) === (b.transfer ?? false) &&
    a.examples.length === b.examples.length &&
    a.examples.every((e, i) => e === b.examples[i])
  );
}

/** Examples trimmed, without blanks and repeats, in their first order. */
export function dedupeExamples(examples: readonly string[]): string[] {
  return [...new Set(examples.map((e) => e.trim()).filter(Boolean))];
}
