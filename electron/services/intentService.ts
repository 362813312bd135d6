import { join } from 'node:path';
import type { IntentWithCounts, LibraryIntent, MergeResult } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { IntentService } from '../../shared/contract/services';
import type { Intent } from '../../shared/domain/types';
import { outboundIntentLibrary } from '../../resources/library/outboundIntents';
import type { LabelStore } from './labelService';
import { CorruptFileError, DurableJsonFile } from './store/durableFile';
import type { WorkspaceDoc } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

/** IntentService over workspace.json; merges relabel through the label journal. */
export class IntentStore implements IntentService {
  constructor(
    private readonly session: WorkspaceSession,
    private readonly labels: LabelStore,
  ) {}

  async listIntents(): Promise<readonly IntentWithCounts[]> {
    const store = this.session.store;
    const labeled = new Map<string, number>();
    const slots = new Map<number, number>();
    const n = store.calls.utteranceCount;
    for (let i = 0; i < n; i++) {
      const slot = store.labels.intentSlot(i);
      if (slot >= 0) slots.set(slot, (slots.get(slot) ?? 0) + 1);
    }
    for (const [slot, count] of slots) labeled.set(store.labels.intentIdList[slot]!, count);
    const predictedBySlot = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const p = store.calls.uttPred[i]!;
      if (p >= 0) predictedBySlot.set(p, (predictedBySlot.get(p) ?? 0) + 1);
    }
    const predicted = new Map<string, number>();
    for (const [p, count] of predictedBySlot) predicted.set(store.calls.predictions.values[p]!, count);
    return store.intents.map((intent) => ({ ...intent, labeled: labeled.get(intent.id) ?? 0, predicted: predicted.get(intent.id) ?? 0 }));
  }

  async createIntent(arg: MethodArgs<'intent.createIntent'>): Promise<Intent> {
    this.assertNameFree(arg.name);
    const now = Date.now();
    const intent: Intent = {
      id: this.newId(arg.name),
      name: arg.name,
      description: arg.description,
      examples: dedupe(arg.examples),
      status: arg.status,
      ...(arg.group ? { group: arg.group } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await this.session.store.updateDoc((doc) => doc.intents.push(intent));
    this.session.events.emit('onDidChangeIntents', {});
    return intent;
  }

  async updateIntent(arg: MethodArgs<'intent.updateIntent'>): Promise<Intent> {
    const current = this.session.requireIntent(arg.id);
    if (arg.name !== undefined && arg.name.toLowerCase() !== current.name.toLowerCase()) this.assertNameFree(arg.name);
    const next: Intent = {
      ...current,
      ...(arg.name !== undefined ? { name: arg.name } : {}),
      ...(arg.description !== undefined ? { description: arg.description } : {}),
      ...(arg.examples !== undefined ? { examples: dedupe(arg.examples) } : {}),
      ...(arg.group !== undefined ? { group: arg.group } : {}),
      ...(arg.status !== undefined ? { status: arg.status } : {}),
      updatedAt: Date.now(),
    };
    await this.session.store.updateDoc((doc) => {
      doc.intents = doc.intents.map((i) => (i.id === arg.id ? next : i));
    });
    this.session.events.emit('onDidChangeIntents', {});
    return next;
  }

  async mergeIntents(arg: MethodArgs<'intent.mergeIntents'>): Promise<MergeResult> {
    if (arg.sourceId === arg.targetId) throw new ContractError('invalid_argument', 'An intent cannot be merged into itself.', { field: 'targetId' });
    const source = this.session.requireIntent(arg.sourceId);
    const target = this.session.requireIntent(arg.targetId);
    if (target.status === 'deprecated') throw new ContractError('invalid_argument', `Intent "${target.name}" is deprecated; merge into an active intent.`, { field: 'targetId' });
    const store = this.session.store;
    const intentsBefore = store.intents.map((i) => ({ ...i }));
    const now = Date.now();
    const merged: Intent = { ...target, examples: dedupe([...target.examples, ...source.examples]), updatedAt: now };
    await store.updateDoc((doc) => {
      doc.intents = doc.intents.map((i) => {
        if (i.id === target.id) return merged;
        if (i.id === source.id) return { ...i, status: 'deprecated', mergedInto: target.id, updatedAt: now };
        return i;
      });
    });
    const members: number[] = [];
    const n = store.calls.utteranceCount;
    for (let i = 0; i < n; i++) {
      const t = store.labels.targetOf(i);
      if (t?.kind === 'intent' && t.intentId === source.id) members.push(i);
    }
    const result = await this.labels.apply(
      members.map((utterance) => ({ utterance, target: { kind: 'intent', intentId: target.id } })),
      'merge',
      { intentsBefore },
    );
    this.session.events.emit('onDidChangeIntents', {});
    return { actionId: result.actionId, relabeled: result.changed, target: merged };
  }

  async listLibrary(arg: MethodArgs<'intent.listLibrary'>): Promise<readonly LibraryIntent[]> {
    return outboundIntentLibrary[arg.language];
  }

  async addFromLibrary(arg: MethodArgs<'intent.addFromLibrary'>): Promise<readonly Intent[]> {
    const wanted = new Set(arg.keys);
    const picked = outboundIntentLibrary[arg.language].filter((l) => wanted.has(l.key));
    return this.addCopies(
      picked.map((l) => ({ id: l.key, name: l.name, description: l.description, examples: l.examples, group: l.group })),
    );
  }

  async listFromWorkspace(arg: MethodArgs<'intent.listFromWorkspace'>): Promise<readonly Intent[]> {
    return (await readOtherWorkspace(arg.folder)).intents.filter((i) => i.status !== 'deprecated');
  }

  async addFromWorkspace(arg: MethodArgs<'intent.addFromWorkspace'>): Promise<readonly Intent[]> {
    const wanted = new Set(arg.ids);
    const other = await readOtherWorkspace(arg.folder);
    return this.addCopies(other.intents.filter((i) => wanted.has(i.id)));
  }

  /** Adds copies of intents, skipping names already in the catalogue; returns those added. */
  private async addCopies(candidates: readonly Pick<Intent, 'id' | 'name' | 'description' | 'examples' | 'group'>[]): Promise<Intent[]> {
    const now = Date.now();
    const taken = new Set(this.session.store.intents.filter((i) => i.status !== 'deprecated').map((i) => i.name.toLowerCase()));
    const added: Intent[] = [];
    for (const c of candidates) {
      if (taken.has(c.name.toLowerCase())) continue;
      taken.add(c.name.toLowerCase());
      const id = this.session.store.intents.some((i) => i.id === c.id) || added.some((i) => i.id === c.id) ? this.newId(c.name) : c.id;
      added.push({ id, name: c.name, description: c.description, examples: [...c.examples], status: 'active', ...(c.group ? { group: c.group } : {}), createdAt: now, updatedAt: now });
    }
    if (added.length > 0) {
      await this.session.store.updateDoc((doc) => doc.intents.push(...added));
      this.session.events.emit('onDidChangeIntents', {});
    }
    return added;
  }

  private assertNameFree(name: string): void {
    const lower = name.toLowerCase();
    const clash = this.session.store.intents.find((i) => i.status !== 'deprecated' && i.name.toLowerCase() === lower);
    if (clash) throw new ContractError('conflict', `An intent named "${clash.name}" already exists.`, { field: 'name' });
  }

  private newId(name: string): string {
    const ids = new Set(this.session.store.intents.map((i) => i.id));
    const slug = name.toLowerCase().normalize('NFKC').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
    const base = slug || 'intent';
    if (!ids.has(base)) return base;
    for (let n = 2; ; n++) if (!ids.has(`${base}_${n}`)) return `${base}_${n}`;
  }
}

async function readOtherWorkspace(folder: string): Promise<WorkspaceDoc> {
  const path = join(folder, 'workspace.json');
  try {
    const doc = await new DurableJsonFile<WorkspaceDoc>(path).read();
    if (!doc || !Array.isArray(doc.intents)) throw new ContractError('not_found', `No Callsift workspace in ${folder} (workspace.json is missing).`, { file: path });
    return doc;
  } catch (err) {
    if (err instanceof CorruptFileError) throw new ContractError('bad_input', `${path} is damaged: ${err.message}`, { file: path });
    throw err;
  }
}

function dedupe(examples: readonly string[]): string[] {
  return [...new Set(examples.map((e) => e.trim()).filter(Boolean))];
}
