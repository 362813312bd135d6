import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrokenPinnedCase, GateCheck, NetChange, PinnedCase, PlatformModelList, WatchReport, WatchSettings } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import type { MethodArgs } from '../../shared/contract/schemas';
import type { GateService } from '../../shared/contract/services';
import { findBrokenCases } from '../../shared/ml/gate/pinnedCases';
import { decidePush } from '../../shared/ml/gate/pushGate';
import { DEFAULT_WATCH_RULE, watchHours } from '../../shared/ml/gate/watch';
import { createArtifactPredictor } from '../../shared/ml/predictArtifact';
import { DurableJsonFile } from '../../lib/durable/durableFile';
import { PinnedCaseBook, type PinnedCaseRecord } from './gate/pinnedCases';
import { collectWatchedTurns, transferIntentsOf } from './gate/watchTraffic';
import { VersionStore } from './model/versionStore';
import type { WorkspaceSession } from './workspaceSession';
import { log } from './log';

/** Hours after an activation the watch follows. */
const WATCH_HOURS = 24;

/** The gate's estimate of a version's net change on replayed traffic, or null when there is none (the replay side fills it in). */
export type NetChangeSource = (version: number) => Promise<NetChange | null>;

export interface GateOptions {
  /** The platform's registry (sync.listPlatformModels). */
  readonly listPlatformModels: () => Promise<PlatformModelList>;
  /** The net-change estimate of a version; default: none. */
  readonly netChangeOf?: NetChangeSource;
}

/** GateService over the open workspace's gate/ folder: pinned cases (pinned.json) and the watch settings (watch.json). */
export class GateController implements GateService {
  private opened: { readonly folder: string; readonly book: Promise<PinnedCaseBook> } | null = null;
  /** The net-change estimate of a version; replaceable by the replay side of the gate. */
  netChangeOf: NetChangeSource;

  constructor(
    private readonly session: WorkspaceSession,
    private readonly options: GateOptions,
  ) {
    this.netChangeOf = options.netChangeOf ?? (() => Promise.resolve(null));
  }

  async listPinnedCases(): Promise<readonly PinnedCase[]> {
    return (await this.book()).list().map((c) => this.toDto(c));
  }

  async pinCase(arg: MethodArgs<'gate.pinCase'>): Promise<PinnedCase> {
    const store = this.session.store;
    const idx = store.calls.findUtterance(arg.utteranceId);
    if (idx === undefined) throw new ContractError('not_found', sentence('no_utterance', { id: arg.utteranceId }), { field: 'utteranceId' });
    const target = store.labels.targetOf(idx);
    const intentId = arg.intentId ?? (target?.kind === 'intent' ? target.intentId : null);
    if (intentId === null) throw new ContractError('conflict', sentence('pin_needs_intent', { id: arg.utteranceId }), { field: 'utteranceId' });
    this.session.requireIntent(intentId);
    const record: PinnedCaseRecord = {
      utteranceId: arg.utteranceId,
      text: store.reads.text(idx),
      botPrompt: store.calls.botPrompt(idx),
      modelText: store.calls.modelText(idx),
      intentId,
      pinnedAt: Date.now(),
      pinnedBy: this.session.annotator,
    };
    return this.toDto(await (await this.book()).pin(record));
  }

  async unpinCase(arg: MethodArgs<'gate.unpinCase'>): Promise<{ readonly removed: boolean }> {
    return { removed: await (await this.book()).unpin(arg.utteranceId) };
  }

  async checkVersion(arg: MethodArgs<'gate.checkVersion'>): Promise<GateCheck> {
    const doc = await new VersionStore(join(this.session.store.folder, 'models')).read(arg.version);
    if (!doc) throw new ContractError('not_found', sentence('no_model_version', { version: arg.version }), { field: 'version' });
    const cases = (await this.book()).list();
    const predictions = cases.length > 0 ? createArtifactPredictor(doc.artifact)(cases.map((c) => c.modelText)) : [];
    const brokenIds = new Map(findBrokenCases(cases.map((c) => ({ id: c.utteranceId, modelText: c.modelText, intentId: c.intentId })), predictions).map((b) => [b.id, b]));
    const broken = cases.flatMap((c): BrokenPinnedCase[] => {
      const b = brokenIds.get(c.utteranceId);
      return b ? [{ ...this.toDto(c), predicted: b.predicted, confidence: b.confidence }] : [];
    });
    const netChange = await this.netChangeOf(arg.version);
    const decision = decidePush({ brokenCases: broken.length, pinnedCases: cases.length, netChange, overrideNote: null });
    return { version: arg.version, pinned: cases.length, broken, netChange, passed: decision.allowed, reasons: decision.reasons };
  }

  async getWatch(): Promise<WatchReport> {
    const settings = await this.readSettings();
    const registry = await this.options.listPlatformModels();
    const transfer = transferIntentsOf(this.session.store.intents);
    const base = { activeVersion: registry.active, previousVersion: registry.previous, activatedAt: registry.activatedAt, transferIntents: transfer.ids, transferBasis: transfer.basis, settings };
    if (registry.active === null || registry.activatedAt === null) return { ...base, state: 'none', hours: [], firstDegraded: null };
    // After a rollback the watch follows the re-activated version from the rollback's time, against its own traffic
    // before the rolled-back version went live: the rolled-back version's traffic counts on neither side.
    const rolledBack = registry.rolledBack?.rolledBackAt === registry.activatedAt ? registry.rolledBack : null;
    const baselineEnd = rolledBack?.activatedAt ?? registry.activatedAt;
    const turns = await collectWatchedTurns(this.session.store, registry.activatedAt, WATCH_HOURS, baselineEnd);
    const isTransfer = new Set(transfer.ids);
    const hours = watchHours(turns, registry.activatedAt, (intent) => isTransfer.has(intent), settings, WATCH_HOURS, baselineEnd);
    const firstDegraded = hours.find((h) => h.degraded.length > 0) ?? null;
    return { ...base, state: firstDegraded ? 'degraded' : 'watching', hours, firstDegraded };
  }

  async setWatchSettings(arg: MethodArgs<'gate.setWatchSettings'>): Promise<WatchSettings> {
    const current = await this.readSettings();
    const next: WatchSettings = {
      coverageConfidence: arg.coverageConfidence ?? current.coverageConfidence,
      maxChange: arg.maxChange ?? current.maxChange,
      minTurns: arg.minTurns ?? current.minTurns,
    };
    await mkdir(join(this.session.store.folder, 'gate'), { recursive: true });
    await this.settingsFile().write(next);
    return next;
  }

  private toDto(c: PinnedCaseRecord): PinnedCase {
    const intent = this.session.store.intents.find((i) => i.id === c.intentId);
    return { utteranceId: c.utteranceId, text: c.text, botPrompt: c.botPrompt, intentId: c.intentId, critical: intent?.critical === true, pinnedAt: c.pinnedAt, pinnedBy: c.pinnedBy };
  }

  private settingsFile(): DurableJsonFile<WatchSettings> {
    return new DurableJsonFile<WatchSettings>(join(this.session.store.folder, 'gate', 'watch.json'));
  }

  private async readSettings(): Promise<WatchSettings> {
    const stored = await this.settingsFile()
      .read()
      .catch((err: unknown) => {
        log.warn('gate.watchSettings', err);
        return null;
      });
    return { ...DEFAULT_WATCH_RULE, ...(stored ?? {}) };
  }

  private book(): Promise<PinnedCaseBook> {
    const folder = this.session.store.folder;
    if (this.opened?.folder !== folder) {
      const book = PinnedCaseBook.open(join(folder, 'gate'));
      this.opened = { folder, book };
      book.catch(() => {
        if (this.opened?.book === book) this.opened = null;
      });
    }
    return this.opened.book;
  }
}
