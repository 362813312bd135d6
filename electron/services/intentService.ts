import { join } from 'node:path';
import type { IntentWithCounts, LibraryIntent, MergeResult } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { IntentService } from '../../shared/contract/services';
import type { KeyMapPin } from '../../shared/domain/keyMapPin';
import type { Intent } from '../../shared/domain/types';
import { KeyMapPins } from './keyMapPins';
import { outboundIntentLibrary } from '../../resources/library/outboundIntents';
import type { LabelStore } from './labelService';
import type { CatalogueDraft } from './store/catalogue';
import { CorruptFileError, DurableJsonFile } from '../../lib/durable/durableFile';
import type { WorkspaceDoc } from './store/workspaceStore';
import type { WorkspaceSession } from './workspaceSession';

/** IntentService over workspace.json; merges relabel through the label journal. */
export class IntentStore implements IntentService {
  private readonly pins: KeyMapPins;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly labels: LabelStore,
  ) {
    this.pins = new KeyMapPins(session);
  }

  async listIntents(): Promise<readonly IntentWithCounts[]> {
    const store = this.session.store;
    const labeled = new Map<string, number>();
    for (const id of store.reads.labeledRows().intentIds) if (id !== null) labeled.set(id, (labeled.get(id) ?? 0) + 1);
    const predicted = store.reads.countPlatformIntents();
    return store.intents.map((intent) => ({ ...intent, labeled: labeled.get(intent.id) ?? 0, predicted: predicted.get(intent.id) ?? 0 }));
  }

  async createIntent(arg: MethodArgs<'intent.createIntent'>): Promise<Intent> {
    return this.changeCatalogue((draft) =>
      draft.create({ name: arg.name, description: arg.description, examples: arg.examples, status: arg.status, ...(arg.group ? { group: arg.group } : {}) }),
    );
  }

  async updateIntent(arg: MethodArgs<'intent.updateIntent'>): Promise<Intent> {
    const { id, ...patch } = arg;
    return this.changeCatalogue((draft) => draft.update(id, patch));
  }

  async mergeIntents(arg: MethodArgs<'intent.mergeIntents'>): Promise<MergeResult> {
    const store = this.session.store;
    return store.exclusive(async () => {
      const draft = store.catalogueDraft();
      const merged = draft.merge(arg.sourceId, arg.targetId);
      const rows = store.reads.labeledRows();
      const members: number[] = [];
      rows.intentIds.forEach((id, row) => {
        if (id === arg.sourceId) members.push(rows.utterances[row]!);
      });
      const result = await this.labels.apply(
        members.map((utterance) => ({ utterance, target: { kind: 'intent', intentId: merged.id } })),
        'merge',
        { intents: draft.changes() },
      );
      return { actionId: result.actionId, relabeled: result.changed, target: merged };
    });
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

  getKeyMap(): Promise<KeyMapPin | null> {
    return this.pins.get();
  }

  pinKeyMap(arg: MethodArgs<'intent.pinKeyMap'>): Promise<KeyMapPin> {
    return this.pins.pin(arg);
  }

  unpinKeyMap(): Promise<null> {
    return this.pins.unpin();
  }

  /** Adds copies of intents, skipping names already in the catalogue; returns those added. */
  private async addCopies(candidates: readonly Pick<Intent, 'id' | 'name' | 'description' | 'examples' | 'group'>[]): Promise<Intent[]> {
    return this.changeCatalogue((draft) => {
      const added: Intent[] = [];
      for (const c of candidates) {
        if (draft.findByName(c.name)) continue;
        added.push(draft.create({ id: c.id, name: c.name, description: c.description, examples: c.examples, ...(c.group ? { group: c.group } : {}) }));
      }
      return added;
    });
  }

  /** Plans a catalogue change on a draft and commits it as one durable action (not undoable on its own). */
  private async changeCatalogue<T>(plan: (draft: CatalogueDraft) => T): Promise<T> {
    const store = this.session.store;
    return store.exclusive(async () => {
      const draft = store.catalogueDraft();
      const result = plan(draft);
      const intents = draft.changes();
      if (intents.length === 0) return result;
      await store.commit({ intents }, { annotator: this.session.annotator, source: 'manual', actionId: this.session.actions.newId() });
      this.session.events.emit('onDidChangeIntents', {});
      return result;
    });
  }
}

async function readOtherWorkspace(folder: string): Promise<WorkspaceDoc> {
  const path = join(folder, 'workspace.json');
  try {
    const doc = await new DurableJsonFile<WorkspaceDoc>(path).read();
    if (!doc || !Array.isArray(doc.intents)) throw new ContractError('not_found', sentence('no_workspace', { folder }), { file: path });
    return doc;
  } catch (err) {
    if (err instanceof CorruptFileError) throw new ContractError('bad_input', sentence('file_damaged', { file: path }), { file: path }, `${path} is damaged: ${err.message}`);
    throw err;
  }
}

