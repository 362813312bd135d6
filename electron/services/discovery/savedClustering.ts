import { join } from 'node:path';
import { ContractError } from '../../../shared/contract/errors';
import { sentence } from '../../../shared/contract/errorWords';
import { writeError } from '../../../lib/durable/durableFile';
import type { WorkspaceStore } from '../store/workspaceStore';
import { log } from '../log';
import { ClusterBook, runKey, type ClusterDoc, type StoredCluster } from './clusterBook';

/**
 * The last clustering of one workspace (`discovery/clusters.json`), read once and kept, with the cluster decisions of
 * the journal laid over it: decisions are committed with the labels they give, so they hold even when a crash kept
 * the file from catching up.
 */
export class SavedClustering {
  private readonly book: ClusterBook;
  private doc: Promise<ClusterDoc | null>;

  constructor(readonly store: WorkspaceStore) {
    this.book = new ClusterBook(store);
    this.doc = this.book.read();
  }

  /** The saved clustering with each cluster's status as the journal has it, or null when there is none. */
  async current(): Promise<ClusterDoc | null> {
    const doc = await this.doc;
    if (!doc) return null;
    const run = runKey(doc);
    let changed = false;
    const clusters = doc.clusters.map((c) => {
      const d = this.store.clusterDecision(run, c.id);
      if (!d || (d.status === c.status && d.intentId === c.intentId)) return c;
      changed = true;
      return { ...c, status: d.status, intentId: d.intentId };
    });
    return changed ? { ...doc, clusters } : doc;
  }

  /** Cluster `id` of the saved clustering, else not_found. */
  async require(id: string): Promise<StoredCluster> {
    const doc = await this.current();
    const cluster = doc?.clusters.find((c) => c.id === id);
    if (!cluster) throw new ContractError('not_found', sentence('no_cluster', { id }), { field: 'clusterId' });
    return cluster;
  }

  /**
   * Writes the cluster file. After an action whose decision the journal already holds (`journaled`), the write only
   * catches the file up: it cannot fail the action (the journal's decisions are laid over the file when it is read).
   * Otherwise the file is the only record, and a failed write fails the action and changes nothing.
   */
  async save(doc: ClusterDoc, journaled = false): Promise<void> {
    if (journaled) {
      this.doc = Promise.resolve(doc);
      await this.book.write(doc).catch((err: unknown) => log.warn('discovery.saveClusters', err, { journaled: true }));
    } else {
      await this.book.write(doc).catch((err: unknown) => {
        throw writeError(err, 'what_clusters', join(this.store.folder, 'discovery', 'clusters.json'));
      });
      this.doc = Promise.resolve(doc);
    }
  }
}
