import type { Intent } from '../../../shared/domain/types';
import * as wire from '../../../shared/platformApi/schemas';
import { sameIntent } from '../store/catalogue';
import type { WorkspaceStore } from '../store/workspaceStore';
import type { PlatformClient } from './platformClient';
import type { SyncStateFile } from './syncState';
import { readWire } from './wireReply';

/** The intents a catalogue answer lists, checked against the API's schema, and the catalogue version it describes. */
export function readIntentChanges(raw: unknown, source: string): { version: number; intents: Intent[] } {
  const body = readWire(wire.intentChanges, raw, `The intent catalogue from ${source}`);
  const intents = body.intents.map(
    (r): Intent => ({
      id: r.id,
      name: r.name,
      description: r.description,
      examples: r.examples,
      status: r.status,
      ...(r.group !== undefined ? { group: r.group } : {}),
      ...(r.mergedInto !== undefined ? { mergedInto: r.mergedInto } : {}),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    }),
  );
  return { version: body.version, intents };
}

/**
 * Merges the platform's changed intents into the local catalogue: new ones are added; known ones (same id)
 * take the platform's name, description, status, group and merge target, and gain its examples while
 * keeping local ones. Nothing local is deleted. Returns the new list and what changed.
 */
export function mergeCatalogue(local: readonly Intent[], remote: readonly Intent[]): { intents: Intent[]; added: number; updated: number } {
  const intents = [...local];
  const index = new Map(intents.map((intent, i) => [intent.id, i]));
  let added = 0;
  let updated = 0;
  for (const theirs of remote) {
    const at = index.get(theirs.id);
    if (at === undefined) {
      index.set(theirs.id, intents.length);
      intents.push(theirs);
      added++;
      continue;
    }
    const mine = intents[at]!;
    const examples = [...mine.examples, ...theirs.examples.filter((e) => !mine.examples.includes(e))];
    const next: Intent = {
      id: mine.id,
      name: theirs.name,
      description: theirs.description,
      examples,
      status: theirs.status,
      ...(theirs.group !== undefined ? { group: theirs.group } : mine.group !== undefined ? { group: mine.group } : {}),
      ...(theirs.mergedInto !== undefined ? { mergedInto: theirs.mergedInto } : mine.mergedInto !== undefined ? { mergedInto: mine.mergedInto } : {}),
      // The lead's gate flags are the workspace's own; the platform's catalogue does not carry them.
      ...(mine.critical !== undefined ? { critical: mine.critical } : {}),
      ...(mine.transfer !== undefined ? { transfer: mine.transfer } : {}),
      createdAt: mine.createdAt,
      updatedAt: Math.max(mine.updatedAt, theirs.updatedAt),
    };
    if (!sameIntent(mine, next)) {
      intents[at] = next;
      updated++;
    }
  }
  return { intents, added, updated };
}

/** Pulls catalogue changes since the saved version and merges them; returns the number of intents added and updated. */
export async function pullCatalogue(ctx: {
  readonly client: PlatformClient;
  readonly project: string;
  readonly store: WorkspaceStore;
  readonly state: SyncStateFile;
  readonly signal: AbortSignal;
}): Promise<{ added: number; updated: number }> {
  const since = ctx.state.value.catalogueVersion;
  const path = `/projects/${encodeURIComponent(ctx.project)}/intents${since !== null ? `?since=${since}` : ''}`;
  const raw = await ctx.client.get(path, { signal: ctx.signal });
  const changes = readIntentChanges(raw, `${ctx.client.baseUrl}/api/v1${path}`);
  const { store } = ctx;
  const merged = await store.exclusive(async () => {
    const result = mergeCatalogue(store.intents, changes.intents);
    if (result.added + result.updated > 0) {
      const draft = store.catalogueDraft();
      for (const intent of result.intents) draft.put(intent);
      await store.commit({ intents: draft.changes() }, { annotator: 'platform', source: 'import', actionId: `catalogue-${changes.version}-${Date.now().toString(36)}` });
    }
    return result;
  });
  await ctx.state.update({ catalogueVersion: changes.version });
  return { added: merged.added, updated: merged.updated };
}
