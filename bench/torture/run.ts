import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { DiscoveryStatus, Page, QueueItem, SyncStatus } from '../../shared/contract/dto';
import { startServerProcess, type RunningServer } from '../../electron/server/testServer';
import { apiClient, startPlatformProcess, type ApiClient } from '../../platform/testPlatform';
import { checkPlatformLabels, findCallMismatches, findCatalogueMismatches, findLostLabels } from './checker';
import { emptyActivity, IMPORT_PREFIX, runCurator, runLabelClient, runSyncer, seededRng, type RoundContext, type World } from './clients';
import { countJournalSegments, describeJournalOf, listCallIds, observeWorkspace, readLinkId, readPlatformCalls, readPlatformLabels, readPushableChanges, resolveIntentNames, valueOf, type Observed } from './observe';
import { OperationLog } from './operationLog';
import { killDuringStart } from './startupKill';
import { failed, writeReport, type TortureResult } from './report';

const TOKEN = 'torture-token-0123456789';
const PROJECT = 'demo';
const ANNOTATOR = 'torture';
const CLIENTS = 4;
/** Requests that change the workspace: `acknowledged` counts these (reads are counted apart). */
const WRITES: ReadonlySet<string> = new Set(['label.setLabel', 'label.bulkLabel', 'label.undoAction', 'intent.createIntent', 'intent.mergeIntents', 'discovery.acceptCluster', 'discovery.mergeCluster', 'transfer.importContent']);

export interface TortureOptions {
  /** The short run CI uses (12 kills) instead of the full one (60). */
  readonly quick: boolean;
  readonly kills?: number;
  readonly seed?: number;
  /** Journal entries between compactions (CALLSIFT_COMPACT_AFTER of the server). */
  readonly compactAfter?: number;
  /** Calls the platform starts with (the workspace pulls them all before the first kill). */
  readonly calls?: number;
  /** Where torture.json and torture.md go; null writes nothing. */
  readonly resultsDir?: string | null;
  readonly keep?: boolean;
  readonly print?: (line: string) => void;
}

/** A restart failed: the run stops there and reports what it found so far. */
class Aborted extends Error {}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`${what} did not finish within ${ms / 1000} s: ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(50);
  }
}

/** A sync from start to end (its status once no job runs). */
async function syncToEnd(server: RunningServer): Promise<SyncStatus> {
  valueOf('sync.syncNow', await server.call('sync.syncNow', {}));
  return waitFor('sync', async () => valueOf('sync.getStatus', await server.call<SyncStatus>('sync.getStatus', {})), (s) => s.job === null);
}

async function discoverToEnd(server: RunningServer): Promise<void> {
  valueOf('discovery.run', await server.call('discovery.run', {}));
  await waitFor('discovery', async () => valueOf('discovery.getStatus', await server.call<DiscoveryStatus>('discovery.getStatus', {})), (s) => s.job === null && s.run !== null);
}

/** Every utterance id of the workspace (all unlabeled at setup). */
async function listUtterances(server: RunningServer): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = valueOf('queue.getPage', await server.call<Page<QueueItem>>('queue.getPage', { queue: 'unlabeled', offset, limit: 1000 }));
    ids.push(...page.items.map((i) => i.id));
    if (offset + 1000 >= page.total) return ids;
  }
}

/** Platform with calls, a workspace linked to it and synced, a first clustering; the world the rounds share. */
async function setUp(root: string, args: readonly string[], api: ApiClient, url: string, calls: number, rng: () => number): Promise<{ world: World; observed: Observed }> {
  const sim = await api.call('POST', `/projects/${PROJECT}/simulate`, { calls });
  if (sim.status !== 200) throw new Error(`simulate failed: ${sim.text}`);
  const server = await startServerProcess(args);
  try {
    valueOf('workspace.updateSettings', await server.call('workspace.updateSettings', { annotator: ANNOTATOR }));
    valueOf('sync.connect', await server.call('sync.connect', { url, token: TOKEN, project: PROJECT }));
    const synced = await syncToEnd(server);
    if (synced.lastCallSeq !== calls) throw new Error(`the first sync stored ${synced.lastCallSeq} of ${calls} calls: ${JSON.stringify(synced.lastError)}`);
    await discoverToEnd(server);
    const utterances = await listUtterances(server);
    const observed = await observeWorkspace(server);
    const stableIntents = observed.intents.filter((i) => i.status === 'active').map((i) => i.id);
    const shuffled = [...utterances].sort(() => rng() - 0.5);
    const reservedList = shuffled.slice(0, Math.floor(shuffled.length * 0.3));
    const rest = shuffled.slice(reservedList.length);
    const per = Math.floor(rest.length / CLIENTS);
    const world: World = {
      reserved: new Set(reservedList),
      reservedList,
      clientPools: Array.from({ length: CLIENTS }, (_, k) => rest.slice(k * per, (k + 1) * per)),
      stableIntents,
      curatorView: new Map(),
      curatorIntents: [],
      clusteringAt: observed.clusteringAt,
      lastBulk: null,
    };
    return { world, observed };
  } finally {
    await server.stop('SIGTERM');
  }
}

/** Runs the crash-torture: rounds of work ended by SIGKILL, checked after every restart, then a final sync. */
export async function runTorture(options: TortureOptions): Promise<TortureResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const targetKills = options.kills ?? (options.quick ? 12 : 60);
  const seed = options.seed ?? Date.now() % 1_000_000;
  const rng = seededRng(seed);
  const started = Date.now();
  const root = await mkdtemp(join(tmpdir(), 'callsift-torture-'));
  const workspace = join(root, 'ws');
  const args = ['--workspace', workspace, '--data-dir', join(root, 'data')];
  // The server processes inherit it: compaction (snapshot + new journal segment) every few dozen entries.
  const compactBefore = process.env.CALLSIFT_COMPACT_AFTER;
  const platform = await startPlatformProcess(['--data', join(root, 'platform'), '--token', TOKEN, '--project', PROJECT, '--seed', '7']);
  process.env.CALLSIFT_COMPACT_AFTER = String(options.compactAfter ?? 40);
  const api = apiClient(platform.url, TOKEN);
  const log = new OperationLog();
  const activity = emptyActivity();
  const result = {
    lost: 0,
    catalogueMismatches: 0,
    clusterMismatches: 0,
    callMismatches: 0,
    startFailures: 0,
    recoveryNotices: 0,
    recoveryByFile: {} as Record<string, number>,
    recoverySamples: [] as string[],
    ackedLabelOps: 0,
    roundsWithCompaction: 0,
    startupKills: 0,
    startupKillsBeforeServing: 0,
    killedDuring: {} as Record<string, number>,
    problems: [] as string[],
  };
  const note = (problem: string) => {
    if (result.problems.length < 40) result.problems.push(problem);
    print(`  ! ${problem}`);
  };
  let kills = 0;
  let final: { missing: readonly string[]; duplicates: readonly string[]; pushable: number; platformLabels: number };
  let segments: number;
  try {
    const { world, observed: first } = await setUp(root, args, api, platform.url, options.calls ?? 600, rng);
    print(`set up: ${first.info.calls} calls, ${first.info.utterances} utterances, ${first.intents.length} intents, ${first.clusters.length} clusters; seed ${seed}`);
    let baseline = first;

    /** Checks the round's operations against what the restarted server shows, then takes that as the new baseline. */
    const checkRound = (round: number, observed: Observed) => {
      result.recoveryNotices += observed.info.recovery.length;
      for (const n of observed.info.recovery) {
        result.recoveryByFile[n.file] = (result.recoveryByFile[n.file] ?? 0) + 1;
        if (n.file !== '.callsift.lock' && result.recoverySamples.length < 12) result.recoverySamples.push(`round ${round}: ${n.file}: ${n.message}`);
      }
      const ops = resolveIntentNames(log.labelOps, observed.intents);
      result.ackedLabelOps += ops.filter((op) => op.ackedAt !== null && !op.weak).length;
      for (const lost of findLostLabels(baseline.labels, ops, observed.labels)) {
        result.lost += 1;
        note(`round ${round}: ${lost.utteranceId} holds ${lost.observed}, acceptable ${JSON.stringify(lost.acceptable)}; last acknowledged: ${lost.lastAcknowledged ? `${lost.lastAcknowledged.what} → ${lost.lastAcknowledged.value}` : 'none'}`);
      }
      for (const m of findCatalogueMismatches(baseline.intents, log.intentOps, observed.intents)) {
        result.catalogueMismatches += 1;
        note(`round ${round}: catalogue: ${m}`);
      }
      // Cluster ids are reused by the next clustering: compare only within the clustering found now.
      const sameClustering = baseline.clusteringAt === observed.clusteringAt;
      const before = new Map(baseline.clusters.map((c) => [c.id, c.status]));
      for (const c of observed.clusters) {
        const decisions = log.clusterDecisions.filter((d) => d.clusterId === c.id && d.clusteringAt === observed.clusteringAt);
        const acked = decisions.find((d) => d.ackedAt !== null);
        const was = sameClustering ? before.get(c.id) : 'open';
        if (acked && c.status !== acked.status) {
          result.clusterMismatches += 1;
          note(`round ${round}: cluster ${c.id} is ${c.status}, acknowledged ${acked.status}`);
        } else if (was !== undefined && was !== c.status && !decisions.some((d) => d.status === c.status)) {
          result.clusterMismatches += 1;
          note(`round ${round}: cluster ${c.id} went from ${was} to ${c.status} with no decision asked for`);
        }
      }
      baseline = observed;
      world.curatorView = new Map(world.reservedList.map((id) => [id, observed.labels.get(id) ?? null]));
      world.curatorIntents = observed.intents.filter((i) => i.status === 'active' && i.name.startsWith('topic_')).map((i) => i.id);
      world.clusteringAt = observed.clusteringAt;
      world.lastBulk = null;
    };

    let lastStartMs = 1000;
    /** Starts the server and checks it; null (counted and noted) when it does not start or cannot be read back. */
    const startChecked = async (round: number): Promise<RunningServer | null> => {
      let server: RunningServer | null = null;
      try {
        const t0 = Date.now();
        server = await startServerProcess(args);
        lastStartMs = Date.now() - t0;
        checkRound(round, await observeWorkspace(server));
        log.startRound();
        return server;
      } catch (err) {
        result.startFailures += 1;
        note(`round ${round}: the server ${server ? 'started but could not be read back' : 'did not start'}: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}`);
        await server?.stop('SIGKILL');
        return null;
      }
    };

    for (let round = 1; kills < targetKills; round++) {
      const segmentsBefore = await countJournalSegments(workspace);
      const server = await startChecked(round);
      if (!server) break;
      if (round % (options.quick ? 5 : 12) === 0 || baseline.clusters.filter((c) => c.status === 'open').length < 15) {
        // A clustering takes longer than most rounds live (those kill it midway), so now and then one is made between
        // rounds: the curator then works on a new clustering whose cluster ids repeat the old ones'.
        await discoverToEnd(server);
        activity.discoveryRuns += 1;
        baseline = await observeWorkspace(server);
        world.clusteringAt = baseline.clusteringAt;
      }
      let alive = true;
      const curatorDoing = { action: 'idle' };
      const ctx: RoundContext = { round, server, platform: api, project: PROJECT, log, rng, world, activity, alive: () => alive };
      const workers = [...Array.from({ length: CLIENTS }, (_, k) => runLabelClient(ctx, k)), runCurator(ctx, curatorDoing), runSyncer(ctx)];
      // Tens to hundreds of ms: the kill lands mid-label, mid-import, mid-compaction, mid-accept, mid-sync.
      const r = rng();
      await sleep(20 + Math.floor(r * r * 900));
      alive = false;
      result.killedDuring[curatorDoing.action] = (result.killedDuring[curatorDoing.action] ?? 0) + 1;
      await server.stop('SIGKILL');
      kills += 1;
      await Promise.all(workers);
      if ((await countJournalSegments(workspace)) > segmentsBefore) result.roundsWithCompaction += 1;
      if (rng() < 0.2) {
        // Now and then the next start is killed too, mostly while it opens the workspace and recovers from this kill.
        result.startupKills += 1;
        // Loading the code takes most of a start; the workspace is opened near its end.
        if (await killDuringStart(args, Math.floor(lastStartMs * (0.6 + 0.45 * rng())))) result.startupKillsBeforeServing += 1;
      }
      if (kills % 10 === 0) print(`${kills} kills, ${result.lost} lost, ${result.catalogueMismatches} catalogue mismatches so far`);
    }

    const server = kills === targetKills ? await startChecked(kills + 1) : null;
    if (!server) throw new Aborted();
    try {
      let status: SyncStatus | null = null;
      for (let attempt = 0; attempt < 20; attempt++) {
        status = await syncToEnd(server);
        if (status.pendingLabels === 0) break;
        await sleep(200);
      }
      if (status?.pendingLabels !== 0) note(`the outbox still holds ${status?.pendingLabels} labels after 20 syncs: ${JSON.stringify(status?.lastError)}`);
      checkRound(kills + 1, await observeWorkspace(server));
      const platformCalls = await readPlatformCalls(api, PROJECT);
      const callIds = await listCallIds(server);
      const callProblems = findCallMismatches({
        callIds,
        isImported: (id) => id.startsWith(IMPORT_PREFIX),
        platformCalls,
        importedAcknowledged: activity.importedCalls,
        importedUnknown: activity.importedCallsUnknown,
      });
      if (status?.lastCallSeq !== platformCalls) callProblems.push(`the workspace pulled up to feed position ${status?.lastCallSeq}, the feed has ${platformCalls} calls`);
      result.callMismatches += callProblems.length;
      for (const p of callProblems.slice(0, 10)) note(`calls: ${p}`);
    } finally {
      await server.stop('SIGTERM');
    }
    const linkId = await readLinkId(workspace);
    const pushable = await readPushableChanges(workspace, (id) => !id.startsWith(IMPORT_PREFIX));
    const platformLabels = await readPlatformLabels(api, PROJECT);
    const acknowledged = log.acknowledgedChanges.filter((c) => !c.utteranceId.startsWith(IMPORT_PREFIX));
    const check = checkPlatformLabels({ linkId, annotator: ANNOTATOR, pushable, acknowledged, platform: platformLabels });
    final = { ...check, pushable: pushable.length, platformLabels: platformLabels.filter((l) => l.annotator === ANNOTATOR).length };
    for (const m of check.missing.slice(0, 10)) note(`platform: ${m}`);
    for (const utteranceId of new Set(check.missing.slice(0, 3).map((m) => /(\S+#\d+)/.exec(m)?.[1]).filter((u): u is string => u !== undefined))) {
      const theirs = platformLabels.filter((l) => l.utteranceId === utteranceId).map((l) => `${l.id} ${l.intent ?? 'none'} at ${l.labeledAt}`);
      note(`${utteranceId} (seed ${seed}): journal ${await describeJournalOf(workspace, utteranceId)}; platform ${theirs.join('; ') || 'none'}`);
    }
    for (const d of check.duplicates.slice(0, 10)) note(`platform: ${d}`);
    segments = await countJournalSegments(workspace);
  } catch (err) {
    if (!(err instanceof Aborted)) throw err;
    final = { missing: [], duplicates: [], pushable: 0, platformLabels: 0 };
    segments = await countJournalSegments(workspace).catch(() => 0);
  } finally {
    if (compactBefore === undefined) delete process.env.CALLSIFT_COMPACT_AFTER;
    else process.env.CALLSIFT_COMPACT_AFTER = compactBefore;
    await platform.stop();
    if (!options.keep) await rm(root, { recursive: true, force: true });
    else print(`kept ${root}`);
  }
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const res: TortureResult = {
    mode: options.quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    seed,
    kills,
    acknowledged: [...log.acknowledged].filter(([method]) => WRITES.has(method)).reduce((a, [, n]) => a + n, 0),
    acknowledged_requests: sum(log.acknowledged),
    lost: result.lost,
    catalogue_mismatches: result.catalogueMismatches,
    platform_missing: final.missing.length,
    platform_duplicates: final.duplicates.length,
    cluster_mismatches: result.clusterMismatches,
    call_mismatches: result.callMismatches,
    start_failures: result.startFailures,
    duration_s: Math.round((Date.now() - started) / 100) / 10,
    acknowledged_label_ops: result.ackedLabelOps,
    unknown_requests: sum(log.unknown),
    acknowledged_changes_checked_on_platform: log.acknowledgedChanges.length,
    journal_changes_pushable: final.pushable,
    platform_labels: final.platformLabels,
    imports: activity.imports,
    imports_cut_by_kill: activity.importsUnknown,
    imported_calls: activity.importedCalls,
    intents_created: activity.intentsCreated,
    intent_merges: activity.intentMerges,
    undos: activity.undos,
    accepts: activity.accepts,
    cluster_merges: activity.clusterMerges,
    discovery_runs: activity.discoveryRuns,
    syncs: activity.syncs,
    calls_simulated: activity.callsSimulated,
    journal_segments: segments,
    rounds_with_compaction: result.roundsWithCompaction,
    startup_kills: result.startupKills,
    startup_kills_before_serving: result.startupKillsBeforeServing,
    recovery_notices: result.recoveryNotices,
    recovery_by_file: result.recoveryByFile,
    recovery_samples: result.recoverySamples,
    killed_during: result.killedDuring,
    acknowledged_by_method: Object.fromEntries(log.acknowledged),
    unknown_by_method: Object.fromEntries(log.unknown),
    refusals: log.refusals,
    problems: result.problems,
  };
  if (options.resultsDir !== null) await writeReport(options.resultsDir ?? join(resolve(import.meta.dirname, '..', 'results')), res);
  return res;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      kills: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const result = await runTorture({
    quick: values.quick,
    ...(values.kills !== undefined ? { kills: Number(values.kills) } : {}),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    keep: values.keep,
  });
  const { refusals: _r, problems: _p, ...headline } = result;
  console.log(JSON.stringify(headline, null, 2));
  if (failed(result)) {
    console.error(`torture FAILED: ${result.problems.slice(0, 10).join('\n')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(2);
  });
}

