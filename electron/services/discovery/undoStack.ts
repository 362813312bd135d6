import type { DiscoveryActionKind } from '../../../shared/contract/dto';
import type { StoredCluster } from './clusterBook';

/** What undoing a discovery action needs: the clusters as they were, the label action and an intent it created. */
export interface UndoEntry {
  readonly kind: DiscoveryActionKind;
  readonly clusterId: string;
  readonly before: readonly StoredCluster[];
  /** Clusters the action added (split), removed again on undo. */
  readonly added: readonly string[];
  readonly labelActionId: string | null;
  readonly createdIntentId: string | null;
}

/** Discovery actions of this clustering that can still be undone, newest last, at most `depth`. */
export class UndoStack {
  private entries: UndoEntry[] = [];

  constructor(private readonly depth = 50) {}

  /** The action an undo would take back, or undefined. */
  peek(): UndoEntry | undefined {
    return this.entries.at(-1);
  }

  push(entry: UndoEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.depth) this.entries.shift();
  }

  pop(): void {
    this.entries.pop();
  }

  clear(): void {
    this.entries = [];
  }
}

/** The clusters as they were before `entry`: changed clusters put back, clusters it added replaced by their parent. */
export function clustersBefore(clusters: readonly StoredCluster[], entry: UndoEntry): StoredCluster[] {
  const before = new Map(entry.before.map((c) => [c.id, c]));
  const added = new Set(entry.added);
  const restored: StoredCluster[] = [];
  for (const c of clusters) {
    if (added.has(c.id)) {
      const parent = entry.before.find((b) => b.id === entry.clusterId);
      if (parent && !restored.includes(parent)) restored.push(parent);
      continue;
    }
    restored.push(before.get(c.id) ?? c);
  }
  return restored;
}
