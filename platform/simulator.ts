import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Call, Intent, Turn } from '../shared/domain/types';
import { generateDemoCalls } from '../resources/demo/demoGenerator';
import type { Predictor } from './predictor';
import { modelTextsOfTurns } from '../shared/ml/turnContext';
import type { PlatformProject } from './store/project';

/** Produces the transcript of the `index`-th simulated call (no predictions yet); index i is always the same call. */
export interface CallSource {
  readonly name: string;
  transcriptAt(index: number): Pick<Call, 'campaign' | 'language' | 'turns'>;
}

/** A dialogue line of a JSONL dataset: `{"id","turns":[{"speaker","text","intent"?}]}`. */
export interface DatasetDialogue {
  readonly id: string;
  readonly turns: readonly { readonly speaker: string; readonly text: string; readonly intent?: string }[];
}

const CHUNK = 1000;

/** The demo generator's stream for `seed` (its own predictions and labels are dropped). */
export function createDemoSource(seed: number): CallSource {
  return {
    name: `demo(seed ${seed})`,
    transcriptAt(index) {
      const [record] = generateDemoCalls({ seed, calls: 1, startAt: index });
      const call = record!.call;
      const turns = call.turns.map(({ speaker, text, asrConfidence }): Turn => (asrConfidence === undefined ? { speaker, text } : { speaker, text, asrConfidence }));
      return { campaign: call.campaign, ...(call.language ? { language: call.language } : {}), turns };
    },
  };
}

/** Reads a dialogue JSONL file (blank lines skipped; a bad line is an error naming it). */
export async function readDialogues(path: string): Promise<DatasetDialogue[]> {
  const out: DatasetDialogue[] = [];
  let lineNo = 0;
  for await (const line of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${path} line ${lineNo} is not JSON.`);
    }
    const d = value as Partial<DatasetDialogue> | null;
    if (typeof d !== 'object' || d === null || !Array.isArray(d.turns) || !d.turns.every((t) => typeof t?.text === 'string' && typeof t.speaker === 'string')) {
      throw new Error(`${path} line ${lineNo} is not a dialogue ({"id","turns":[{"speaker","text"}]}).`);
    }
    out.push({ id: String(d.id ?? lineNo), turns: d.turns });
  }
  if (out.length === 0) throw new Error(`${path} holds no dialogues.`);
  return out;
}

/** Cycles through the dialogues of a dataset: call i is dialogue i mod n. */
export function createDatasetSource(path: string, dialogues: readonly DatasetDialogue[]): CallSource {
  const campaign = basename(path).replace(/\.jsonl$/i, '');
  return {
    name: `dataset ${basename(path)} (${dialogues.length} dialogues)`,
    transcriptAt(index) {
      const dialogue = dialogues[index % dialogues.length]!;
      const turns = dialogue.turns.map((t): Turn => ({ speaker: t.speaker === 'user' ? 'user' : 'bot', text: t.text }));
      return { campaign, language: /[\u3400-\u9fff]/.test(turns.map((t) => t.text).join('')) ? 'zh' : 'en', turns };
    },
  };
}

/** An intent catalogue from a dataset's labeled user turns: each intent with up to `examples` distinct texts. */
export function buildDatasetIntents(dialogues: readonly DatasetDialogue[], examples = 5, now = Date.now()): Intent[] {
  const byIntent = new Map<string, Set<string>>();
  for (const dialogue of dialogues) {
    for (const turn of dialogue.turns) {
      if (turn.speaker !== 'user' || !turn.intent) continue;
      let texts = byIntent.get(turn.intent);
      if (!texts) byIntent.set(turn.intent, (texts = new Set()));
      if (texts.size < examples) texts.add(turn.text);
    }
  }
  return [...byIntent].map(([id, texts]) => ({ id, name: id, description: '', examples: [...texts], status: 'active', createdAt: now, updatedAt: now }));
}

/** Predicts every user turn of a transcript with `predictor`, each read with its context (`modelTextsOfTurns`). */
export function predictTranscript(turns: readonly Turn[], predictor: Predictor): Turn[] {
  const predictions = predictor.predict(modelTextsOfTurns(turns));
  let k = 0;
  return turns.map((turn) => {
    if (turn.speaker !== 'user') return turn;
    const p = predictions[k++]!;
    return { ...turn, predictedIntent: p.intent, predictedConfidence: p.confidence };
  });
}

/** The id of the call stored at feed position `seq`. */
export function simulatedCallId(seq: number): string {
  return `call-${String(seq).padStart(8, '0')}`;
}

/**
 * Appends `count` new finished calls to the project's feed, each user turn predicted by the model
 * active at that moment. Call `seq` is transcript `seq - 1` of the source, so restarts continue the stream.
 */
export async function simulateCalls(project: PlatformProject, source: CallSource, count: number, now = Date.now): Promise<{ firstSeq: number; lastSeq: number }> {
  let firstSeq = project.feed.nextSeq;
  let lastSeq = firstSeq - 1;
  for (let done = 0; done < count; ) {
    const n = Math.min(CHUNK, count - done);
    const predictor = project.predictor;
    const range = await project.feed.append(n, (seq) => {
      const transcript = source.transcriptAt(seq - 1);
      return { id: simulatedCallId(seq), startedAt: now(), ...transcript, turns: predictTranscript(transcript.turns, predictor) };
    });
    if (done === 0) firstSeq = range.firstSeq;
    lastSeq = range.lastSeq;
    done += n;
  }
  return { firstSeq, lastSeq };
}

/**
 * A clock for simulated traffic: the first call starts at `startAt`, each next one `spacingMs` later (simulated time,
 * e.g. 3_600_000 / 300 for 300 calls an hour), so a test can lay an hour of traffic before or after an activation.
 */
export function simulatedClock(startAt: number, spacingMs: number): () => number {
  let next = startAt;
  return () => {
    const at = next;
    next += spacingMs;
    return at;
  };
}

/** A running traffic simulation; `stop` waits for the batch in flight. */
export interface Traffic {
  stop(): Promise<void>;
}

/** Produces about `callsPerSecond` new calls a second until stopped. */
export function startTraffic(project: PlatformProject, source: CallSource, callsPerSecond: number, onError: (err: Error) => void): Traffic {
  return scheduleTraffic(callsPerSecond, (count) => simulateCalls(project, source, count), onError);
}

/** How many calls are due after `elapsedMs` at `callsPerSecond` when `produced` were already made (never negative). */
export function callsDue(elapsedMs: number, callsPerSecond: number, produced: number): number {
  return Math.max(0, Math.floor((elapsedMs / 1000) * callsPerSecond) - produced);
}

/**
 * Every `tickMs`, asks `produce` for the calls due so far (`callsDue`); while a batch is in flight the ticks wait, and
 * the next batch makes up for them, so the total keeps to the rate however slow a batch is.
 */
export function scheduleTraffic(callsPerSecond: number, produce: (count: number) => Promise<unknown>, onError: (err: Error) => void, tickMs = 100): Traffic {
  const started = Date.now();
  let produced = 0;
  let inFlight: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    const due = callsDue(Date.now() - started, callsPerSecond, produced);
    if (due <= 0) return;
    produced += due;
    inFlight = produce(due)
      .catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))))
      .finally(() => (inFlight = null));
  }, tickMs);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
