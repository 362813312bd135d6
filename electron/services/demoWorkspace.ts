import { generateDemoWorkspace } from '../../resources/demo/demoGenerator';
import { WorkspaceStore } from './store/workspaceStore';

/**
 * Opens the demo workspace in `folder`, generating it (seeded, so every install gets the same one)
 * when the folder holds none yet.
 */
export async function createDemoWorkspace(folder: string): Promise<WorkspaceStore> {
  let demo: ReturnType<typeof generateDemoWorkspace> | null = null;
  const store = await WorkspaceStore.open(folder, () => {
    demo = generateDemoWorkspace();
    return { formatVersion: 1, meta: demo.meta, intents: [...demo.intents] };
  });
  if (store.calls.callCount === 0) {
    const generated = (demo as ReturnType<typeof generateDemoWorkspace> | null) ?? generateDemoWorkspace();
    await store.calls.appendCalls(generated.calls);
    store.labels.resize(store.calls.utteranceCount);
    const byAnnotator = new Map<string, { utterance: number; target: (typeof generated.labels)[number]['target'] }[]>();
    for (const label of generated.labels) {
      const utterance = store.calls.findUtterance(label.utteranceId);
      if (utterance === undefined) continue;
      const list = byAnnotator.get(label.annotator) ?? [];
      list.push({ utterance, target: label.target });
      byAnnotator.set(label.annotator, list);
    }
    for (const [annotator, changes] of byAnnotator) {
      await store.applyLabelChanges(changes, { annotator, source: 'import', actionId: 'demo-seed' });
    }
    await store.compact();
  }
  return store;
}
