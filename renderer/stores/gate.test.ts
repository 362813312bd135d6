// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GateCheck, ModelComparison, ModelPushResult, PlatformModel, PlatformModelList, SyncStatus, WatchReport } from '../../shared/contract/dto';
import { ContractError } from '../../shared/contract/errors';
import { sentence } from '../../shared/contract/errorWords';
import { serve, setOnline, transport } from '../api/fakeApi';
import type { FakeHandlers } from '../api/fakeTransport';
import { useGateStore } from './gate';
import { useModelPushStore } from './modelPush';
import { useNoticeStore } from './notices';

// The stores reach the services through renderer/api; here that is the real typed client over a fake transport.
vi.mock('../api', () => import('../api/fakeApi'));

const STATUS: SyncStatus = { connection: 'online', url: 'http://platform', project: 'demo', lastSyncAt: 1, lastCallSeq: 10, pendingLabels: 0, conflicts: 0, rejectedLabels: 0, job: null, lastError: null };

function model(version: number, active: boolean, localVersion: number, extra: Partial<PlatformModel> = {}): PlatformModel {
  return { version, uploadedAt: version, notes: '', active, sizeBytes: 1, sha256: `sha${version}`, localVersion, accuracy: 0.8, gateOverride: null, ...extra };
}

function registry(models: PlatformModel[], activatedAt = 1000): PlatformModelList {
  const active = models.find((m) => m.active)?.version ?? null;
  return { active, canRollBack: false, previous: null, activatedAt, rolledBack: null, models: [...models].sort((a, b) => b.version - a.version) };
}

/** A platform with v1 (from local v1) active, and a gate that holds local v2 back for a broken pinned case. */
function backend() {
  let platform = registry([model(1, true, 1)]);
  const pushes: { version: number; overrideNote?: string }[] = [];
  const check: GateCheck = {
    version: 2,
    pinned: 1,
    broken: [{ utteranceId: 'c1#1', text: '别再打了', botPrompt: '您好', intentId: 'stop_calling', critical: true, pinnedAt: 1, pinnedBy: 'lead', predicted: null, confidence: 0.3 }],
    netChange: null,
    passed: false,
    reasons: [{ kind: 'brokenCases', broken: 1, pinned: 1 }],
  };
  const handlers: FakeHandlers = {
    'sync.getStatus': () => STATUS,
    'sync.listPlatformModels': () => platform,
    'gate.checkVersion': () => check,
    'sync.pushModel': ({ version, overrideNote }): ModelPushResult => {
      pushes.push({ version, ...(overrideNote === undefined ? {} : { overrideNote }) });
      if (overrideNote === undefined) throw new ContractError('conflict', sentence('gate_broken_cases', { version, broken: 1, pinned: 1 }), { reason: 'gate_blocked' });
      const pushed = model(2, false, version, { gateOverride: { note: overrideNote, by: 'lead', at: 5, reasons: check.reasons } });
      platform = registry([...platform.models, pushed], platform.activatedAt ?? 0);
      return { platformVersion: 2, created: true, models: platform };
    },
    // Only what the stores read of a comparison: which local and platform versions it compared.
    'sync.compareModel': ({ version }) => ({ localVersion: version, platformVersion: platform.active, pushedAs: null }) as unknown as ModelComparison,
    'gate.getWatch': (): WatchReport => ({
      state: 'watching',
      activeVersion: platform.active,
      previousVersion: platform.previous,
      activatedAt: platform.activatedAt,
      transferIntents: [],
      transferBasis: 'none',
      settings: { coverageConfidence: 0.5, maxChange: 0.05, minTurns: 30 },
      hours: [],
      firstDegraded: null,
    }),
  };
  return { handlers, pushes, /** Activates platform version `version` (uploading it from local `version` when missing), as another client would. */
    activate: (version: number, at: number) => {
      const models = platform.models.some((m) => m.version === version) ? platform.models : [...platform.models, model(version, false, version)];
      platform = registry(models.map((m) => ({ ...m, active: m.version === version })), at);
    },
  };
}

/** The stores over the fake platform, with the version list read. */
async function opened() {
  const server = backend();
  serve(server.handlers);
  const gate = useGateStore();
  const push = useModelPushStore();
  await push.load();
  return { server, gate, push };
}

beforeEach(() => {
  setActivePinia(createPinia());
  setOnline(true);
});

describe('the gate store', () => {
  it('offers the override while the gate holds a version back; after the push over it the box and the refusal go and the note is in the history', async () => {
    const { server, gate, push } = await opened();
    await gate.checkVersion(2);
    expect(gate.check?.passed).toBe(false);
    expect(gate.overrideOffered(2)).toBe(true);

    // A plain push is refused by the gate: kept as the blocked reason, not as a notice.
    await push.push(2);
    expect(push.blocked?.details?.reason).toBe('gate_blocked');
    expect(useNoticeStore().queue).toHaveLength(0);
    expect(gate.overrideOffered(2)).toBe(true);

    // An override without a note is not one: the note goes with it.
    push.overrideNote = '已知：只影响测试话术';
    await push.push(2, true);
    expect(server.pushes).toEqual([{ version: 2 }, { version: 2, overrideNote: '已知：只影响测试话术' }]);
    expect(push.blocked).toBeNull();
    expect(push.overrideNote).toBe('');
    expect(gate.overrideOffered(2)).toBe(false);
    expect(push.registry?.models.find((m) => m.version === 2)?.gateOverride?.note).toBe('已知：只影响测试话术');
    expect(push.outcome).toEqual({ kind: 'pushed', n: 2 });
  });

  it('does not offer the override for a version the gate passes, nor hide it for another version on the platform', async () => {
    const { gate } = await opened();
    await gate.checkVersion(2);
    // Local v1 is on the platform (and unchecked); local v2 is held back and not pushed.
    expect(gate.overrideOffered(1)).toBe(false);
    expect(gate.overrideOffered(2)).toBe(true);
    await gate.checkVersion(null);
    expect(gate.overrideOffered(2)).toBe(false);
  });

  it('reads the version list again when the watch sees another active version than it shows', async () => {
    const { server, gate, push } = await opened();
    await push.compare(2);
    expect(push.comparison?.platformVersion).toBe(1);
    await gate.loadWatch();
    const listed = () => transport.calls.filter((c) => c.method === 'sync.listPlatformModels').length;
    expect(listed()).toBe(1);
    // Activated elsewhere (another lead, or the API): the list showed v1 active.
    server.activate(2, 2000);
    await gate.loadWatch();
    expect(gate.watch?.activeVersion).toBe(2);
    expect(push.registry?.active).toBe(2);
    expect(push.registry?.activatedAt).toBe(2000);
    // The comparison of the selected version is redone against the newly active one.
    expect(push.comparison?.platformVersion).toBe(2);
    expect(listed()).toBe(2);
    await gate.loadWatch();
    expect(listed()).toBe(2);
  });
});
