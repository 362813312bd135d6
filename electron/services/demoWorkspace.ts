import { generateDemoWorkspace } from '../../resources/demo/demoGenerator';
import type { LockMode } from './store/workspaceLock';
import { WorkspaceStore } from './store/workspaceStore';

/**
 * Opens the demo workspace in `folder`, generating it (seeded, so every install gets the same one)
 * when the folder holds none yet.
 */
export async function createDemoWorkspace(folder: string, mode: LockMode = 'cli'): Promise<WorkspaceStore> {
  let demo: ReturnType<typeof generateDemoWorkspace> | null = null;
  const store = await WorkspaceStore.open(folder, () => {
    demo = generateDemoWorkspace();
    return { formatVersion: 1, meta: demo.meta, intents: [...demo.intents] };
  }, { mode });
  if (store.calls.callCount === 0) {
    const generated = (demo as ReturnType<typeof generateDemoWorkspace> | null) ?? generateDemoWorkspace();
    // Calls and their seed labels are one action: a crash while generating leaves no half-seeded demo behind.
    await store.exclusive(() =>
      store.importCalls(
        generated.calls,
        () => ({
          labels: generated.labels.flatMap((label) => {
            const utterance = store.calls.findUtterance(label.utteranceId);
            return utterance === undefined ? [] : [{ utterance, target: label.target, annotator: label.annotator }];
          }),
        }),
        { annotator: 'demo', source: 'import', actionId: 'demo-seed' },
      ),
    );
    await store.compact();
  }
  return store;
}
