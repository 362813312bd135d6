import type { ClusterMember, ClusterSummary, DiscoveryActionResult, DiscoveryJob, DiscoveryStatus, ImportReport, Intent, LabelResult, MergeResult, Page, SyncJob, UndoResult } from '../../shared/contract/dto';
import type { LabelTarget } from '../../shared/domain/types';
import type { RunningServer } from '../../electron/server/testServer';
import type { ApiClient } from '../../platform/testPlatform';
import type { LabelValue } from './checker';
import type { OperationLog, Outcome } from './operationLog';

/** A seeded random source in [0, 1) (mulberry32): the same seed gives the same run plan. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** The label target a checker value stands for. */
export function targetOf(value: LabelValue): LabelTarget | null {
  if (value === null) return null;
  if (value === 'none') return { kind: 'none' };
  if (value === 'bad') return { kind: 'badTranscript' };
  return { kind: 'intent', intentId: value.slice(2) };
}

/** The platform's intent for a checker value (an id, null for "none of these"); undefined when it is not sent. */
export function platformIntentOf(value: LabelValue): string | null | undefined {
  if (value === 'none') return null;
  if (value !== null && value.startsWith('i:')) return value.slice(2);
  return undefined;
}

/** Utterances of imported calls: the platform does not know them and refuses their labels. */
export const IMPORT_PREFIX = 'imp-';

/** What the run knows between rounds: who may touch which utterances, and the curator's exact view. */
export interface World {
  /** Utterances only the curator labels (so their state is known exactly within a round). */
  readonly reserved: ReadonlySet<string>;
  readonly reservedList: readonly string[];
  /** One pool of utterances per label client; clients re-label within their pool. */
  readonly clientPools: readonly (readonly string[])[];
  /** The platform's intents: clients label with these, they are never merged. */
  readonly stableIntents: readonly string[];
  /** Labels of the reserved utterances as the curator's acknowledged operations left them. */
  curatorView: Map<string, LabelValue>;
  /** Active intents the curator created with intent.createIntent: the only ones it merges away. */
  curatorIntents: string[];
  /** The clustering the curator works on (its run's createdAt). */
  clusteringAt: number | null;
  /** The curator's last acknowledged bulk label this round, to undo: what each utterance held before. */
  lastBulk: { readonly actionId: string; readonly value: LabelValue; readonly before: ReadonlyMap<string, LabelValue> } | null;
}

/** Run-wide counts of what was done (acknowledged). */
export interface Activity {
  imports: number;
  importsUnknown: number;
  /** Calls brought by acknowledged imports, and sent in imports cut by a kill. */
  importedCalls: number;
  importedCallsUnknown: number;
  intentsCreated: number;
  intentMerges: number;
  undos: number;
  accepts: number;
  clusterMerges: number;
  discoveryRuns: number;
  syncs: number;
  callsSimulated: number;
}

export function emptyActivity(): Activity {
  return { imports: 0, importsUnknown: 0, importedCalls: 0, importedCallsUnknown: 0, intentsCreated: 0, intentMerges: 0, undos: 0, accepts: 0, clusterMerges: 0, discoveryRuns: 0, syncs: 0, callsSimulated: 0 };
}

/** One round between a start and a kill. */
export interface RoundContext {
  readonly round: number;
  readonly server: RunningServer;
  readonly platform: ApiClient;
  readonly project: string;
  readonly log: OperationLog;
  readonly rng: Rng;
  readonly world: World;
  readonly activity: Activity;
  /** False once the kill is decided: workers stop sending. */
  readonly alive: () => boolean;
}

function send<T>(ctx: RoundContext, method: string, arg: unknown): Promise<Outcome<T>> {
  return ctx.log.request<T>((m, a) => ctx.server.call<T>(m, a), method, arg, ctx.alive);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A client's next label: mostly an intent, sometimes "none of these", "bad transcript" or a clear. */
function randomClientValue(rng: Rng, intents: readonly string[]): LabelValue {
  const r = rng();
  if (r < 0.7) return `i:${pick(rng, intents)}`;
  if (r < 0.82) return 'none';
  if (r < 0.9) return 'bad';
  return null;
}

/**
 * One annotator: labels random utterances of its pool (so re-labels and clears are frequent) one request at a time
 * until the kill; every request is recorded with its outcome.
 */
export async function runLabelClient(ctx: RoundContext, index: number): Promise<void> {
  const pool = ctx.world.clientPools[index]!;
  while (ctx.alive()) {
    const utteranceId = pick(ctx.rng, pool);
    const value = randomClientValue(ctx.rng, ctx.world.stableIntents);
    const out = await send<LabelResult>(ctx, 'label.setLabel', { utteranceId, target: targetOf(value) });
    ctx.log.labelOps.push({ utteranceId, value, sentAt: out.sentAt, ackedAt: out.ackedAt, what: `client ${index} setLabel` });
    if (out.ackedAt === null) continue;
    const label = out.value.labels.find((l) => l.utteranceId === utteranceId);
    const intent = platformIntentOf(value);
    if (out.value.changed > 0 && label && intent !== undefined) ctx.log.acknowledgedChanges.push({ utteranceId, intent, at: label.at });
  }
}

/** Keeps syncing (and now and then has the platform produce a few new calls to pull) until the kill. */
export async function runSyncer(ctx: RoundContext): Promise<void> {
  while (ctx.alive()) {
    await sleep(50 + Math.floor(ctx.rng() * 250));
    if (!ctx.alive()) return;
    if (ctx.rng() < 0.3) {
      const res = await ctx.platform.call('POST', `/projects/${ctx.project}/simulate`, { calls: 5 });
      if (res.status === 200) ctx.activity.callsSimulated += 5;
    }
    const out = await send<SyncJob>(ctx, 'sync.syncNow', {});
    if (out.ackedAt !== null) ctx.activity.syncs += 1;
  }
}

type CuratorAction = 'createAndLabel' | 'mergeIntent' | 'undo' | 'accept' | 'mergeCluster' | 'import' | 'discover';

/**
 * The team lead: one action after another until the kill (create an intent and bulk-label reserved utterances with
 * it, undo that bulk label, merge such an intent away, accept or merge a discovered cluster, import calls with labels
 * and a new intent, re-run discovery). Alone on the reserved utterances, so their labels are known exactly.
 */
export async function runCurator(ctx: RoundContext, doing: { action: string }): Promise<void> {
  let step = 0;
  while (ctx.alive()) {
    const action = chooseAction(ctx);
    doing.action = action;
    await ACTIONS[action](ctx, step++);
  }
}

function chooseAction(ctx: RoundContext): CuratorAction {
  const r = ctx.rng();
  if (r < 0.2) return 'import';
  if (r < 0.36) return 'accept';
  if (r < 0.5) return 'mergeCluster';
  if (r < 0.67) return 'createAndLabel';
  if (r < 0.85) return ctx.world.curatorIntents.length > 0 ? 'mergeIntent' : 'createAndLabel';
  if (r < 0.95) return ctx.world.lastBulk ? 'undo' : 'createAndLabel';
  return 'discover';
}

const ACTIONS: Record<CuratorAction, (ctx: RoundContext, step: number) => Promise<void>> = {
  createAndLabel,
  mergeIntent,
  undo: undoBulk,
  accept: (ctx, step) => workCluster(ctx, step, 'accept'),
  mergeCluster: (ctx, step) => workCluster(ctx, step, 'merge'),
  import: importCalls,
  discover,
};

async function createAndLabel(ctx: RoundContext, step: number): Promise<void> {
  const { log, world } = ctx;
  const name = `topic_r${ctx.round}_${step}`;
  const created = await send<Intent>(ctx, 'intent.createIntent', { name, description: 'made by the torture run' });
  log.intentOps.push({ kind: 'create', name, ...(created.ackedAt !== null ? { id: created.value.id } : {}), sentAt: created.sentAt, ackedAt: created.ackedAt });
  if (created.ackedAt === null) return;
  ctx.activity.intentsCreated += 1;
  world.curatorIntents.push(created.value.id);
  const value: LabelValue = `i:${created.value.id}`;
  const utteranceIds = sample(ctx.rng, world.reservedList, 5 + Math.floor(ctx.rng() * 40));
  const out = await send<LabelResult>(ctx, 'label.bulkLabel', { utteranceIds, target: targetOf(value) });
  for (const utteranceId of utteranceIds) log.labelOps.push({ utteranceId, value, sentAt: out.sentAt, ackedAt: out.ackedAt, what: 'curator bulkLabel' });
  if (out.ackedAt === null) return;
  world.lastBulk = { actionId: out.value.actionId, value, before: new Map(utteranceIds.map((id) => [id, world.curatorView.get(id) ?? null])) };
  const at = new Map(out.value.labels.map((l) => [l.utteranceId, l.at]));
  for (const utteranceId of utteranceIds) {
    if (world.curatorView.get(utteranceId) !== value && at.has(utteranceId)) log.acknowledgedChanges.push({ utteranceId, intent: created.value.id, at: at.get(utteranceId)! });
    world.curatorView.set(utteranceId, value);
  }
}

/** Undoes the last bulk label: utterances still holding its label go back to what they held before. */
async function undoBulk(ctx: RoundContext): Promise<void> {
  const { log, world } = ctx;
  const bulk = world.lastBulk!;
  world.lastBulk = null;
  const out = await send<UndoResult>(ctx, 'label.undoAction', { actionId: bulk.actionId });
  for (const [utteranceId, before] of bulk.before) {
    if (world.curatorView.get(utteranceId) !== bulk.value) continue;
    log.labelOps.push({ utteranceId, value: before, sentAt: out.sentAt, ackedAt: out.ackedAt, what: `undo ${bulk.actionId}` });
    if (out.ackedAt !== null) world.curatorView.set(utteranceId, before);
  }
  if (out.ackedAt !== null) ctx.activity.undos += 1;
}

async function mergeIntent(ctx: RoundContext): Promise<void> {
  const { log, world } = ctx;
  const sourceId = pick(ctx.rng, world.curatorIntents);
  const targets = [...world.stableIntents, ...world.curatorIntents.filter((id) => id !== sourceId)];
  const targetId = ctx.rng() < 0.5 ? pick(ctx.rng, targets) : pick(ctx.rng, world.stableIntents);
  const out = await send<MergeResult>(ctx, 'intent.mergeIntents', { sourceId, targetId });
  log.intentOps.push({ kind: 'merge', sourceId, targetId, sentAt: out.sentAt, ackedAt: out.ackedAt });
  const holders = world.reservedList.filter((id) => world.curatorView.get(id) === `i:${sourceId}`);
  for (const utteranceId of holders) log.labelOps.push({ utteranceId, value: `i:${targetId}`, sentAt: out.sentAt, ackedAt: out.ackedAt, what: `merge ${sourceId} into ${targetId}` });
  if (out.ackedAt === null) return;
  ctx.activity.intentMerges += 1;
  world.curatorIntents = world.curatorIntents.filter((id) => id !== sourceId);
  for (const utteranceId of holders) world.curatorView.set(utteranceId, `i:${targetId}`);
}

async function workCluster(ctx: RoundContext, step: number, kind: 'accept' | 'merge'): Promise<void> {
  const { log, world } = ctx;
  const listed = await send<ClusterSummary[]>(ctx, 'discovery.listClusters', {});
  if (listed.ackedAt === null) return;
  const open = listed.value.filter((c) => c.status === 'open' && c.size >= 2);
  if (open.length === 0) return discover(ctx);
  const cluster = pick(ctx.rng, open);
  const members = await send<Page<ClusterMember>>(ctx, 'discovery.getMembers', { clusterId: cluster.id, limit: 1000 });
  if (members.ackedAt === null || !ctx.alive()) return;
  const name = `found_r${ctx.round}_${step}`;
  const intentId = pick(ctx.rng, world.stableIntents);
  const out =
    kind === 'accept'
      ? await send<DiscoveryActionResult>(ctx, 'discovery.acceptCluster', { clusterId: cluster.id, name, includeAtypical: true })
      : await send<DiscoveryActionResult>(ctx, 'discovery.mergeCluster', { clusterId: cluster.id, intentId, includeAtypical: true });
  let value: LabelValue = `i:${intentId}`;
  if (kind === 'accept') {
    const created = out.ackedAt !== null ? out.value.intent : null;
    log.intentOps.push({ kind: 'create', name, ...(created ? { id: created.id } : {}), sentAt: out.sentAt, ackedAt: out.ackedAt });
    value = created ? `i:${created.id}` : `name:${name}`;
  }
  log.clusterDecisions.push({ clusterId: cluster.id, status: kind === 'accept' ? 'accepted' : 'merged', clusteringAt: world.clusteringAt, sentAt: out.sentAt, ackedAt: out.ackedAt });
  for (const m of members.value.items) {
    const utteranceId = m.utteranceId;
    if (!world.reserved.has(utteranceId)) {
      log.labelOps.push({ utteranceId, value, sentAt: out.sentAt, ackedAt: out.ackedAt, weak: true, what: `${kind} ${cluster.id}` });
      continue;
    }
    const current = world.curatorView.get(utteranceId) ?? null;
    if (current !== null && current !== 'none') continue;
    log.labelOps.push({ utteranceId, value, sentAt: out.sentAt, ackedAt: out.ackedAt, what: `${kind} ${cluster.id}` });
    if (out.ackedAt !== null) world.curatorView.set(utteranceId, value);
  }
  if (out.ackedAt === null) return;
  if (kind === 'accept') ctx.activity.accepts += 1;
  else ctx.activity.clusterMerges += 1;
}

const IMPORT_TEXTS = ['我想改一下还款日期', '能不能分期', '这个利息怎么算的', '你们是不是骗子', '我已经还了', 'can I pay next week', 'who gave you my number', '我在开车不方便'];

/** Imports a few calls whose user turns carry labels: platform intents, "none", and an intent new to the catalogue. */
async function importCalls(ctx: RoundContext, step: number): Promise<void> {
  const { log, world, rng } = ctx;
  const newName = `imported_r${ctx.round}_${step}`;
  const lines: string[] = [];
  const planned: { utteranceId: string; value: LabelValue }[] = [];
  let usesNew = false;
  const calls = 10 + Math.floor(rng() * 40);
  for (let c = 0; c < calls; c++) {
    const id = `${IMPORT_PREFIX}r${ctx.round}-${step}-${c}`;
    const turns: Record<string, unknown>[] = [];
    for (let t = 0; t < 2; t++) {
      turns.push({ speaker: 'bot', text: `您好，这里是客服，请问方便吗？(${t})` });
      const r = rng();
      const user: Record<string, unknown> = { speaker: 'user', text: `${pick(rng, IMPORT_TEXTS)} ${c}-${t}` };
      let value: LabelValue = null;
      if (r < 0.4) {
        const intent = pick(rng, world.stableIntents);
        user.intent = intent;
        value = `i:${intent}`;
      } else if (r < 0.6) {
        user.intent = newName;
        value = `name:${newName}`;
        usesNew = true;
      } else if (r < 0.7) {
        user.intent = 'none';
        value = 'none';
      }
      turns.push(user);
      if (value !== null) planned.push({ utteranceId: `${id}#${t * 2 + 1}`, value });
    }
    lines.push(JSON.stringify({ id, startedAt: 1_800_000_000_000 + c, campaign: 'torture', turns }));
  }
  const out = await send<ImportReport>(ctx, 'transfer.importContent', { fileName: `torture-r${ctx.round}-${step}.jsonl`, content: lines.join('\n') + '\n' });
  for (const p of planned) log.labelOps.push({ utteranceId: p.utteranceId, value: p.value, sentAt: out.sentAt, ackedAt: out.ackedAt, what: `import r${ctx.round}-${step}` });
  if (usesNew) log.intentOps.push({ kind: 'create', name: newName, sentAt: out.sentAt, ackedAt: out.ackedAt });
  if (out.ackedAt === null) {
    ctx.activity.importsUnknown += 1;
    ctx.activity.importedCallsUnknown += calls;
  } else {
    ctx.activity.imports += 1;
    ctx.activity.importedCalls += calls;
  }
}

/** Re-clusters the uncovered pool and waits for the job (or the kill). */
async function discover(ctx: RoundContext): Promise<void> {
  const out = await send<DiscoveryJob>(ctx, 'discovery.run', {});
  if (out.ackedAt === null) return;
  while (ctx.alive()) {
    await sleep(50);
    const st = await send<DiscoveryStatus>(ctx, 'discovery.getStatus', {});
    if (st.ackedAt !== null && st.value.job === null) {
      ctx.activity.discoveryRuns += 1;
      ctx.world.clusteringAt = st.value.run?.createdAt ?? null;
      return;
    }
  }
}
