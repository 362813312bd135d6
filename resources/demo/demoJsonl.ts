import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Label } from '../../shared/domain/types';
import { parseUtteranceId } from '../../shared/domain/types';
import { generateDemoCalls, type DemoCallRecord, type DemoCallsOptions } from './demoGenerator';

/** One turn of a demo JSONL line; `intent` is the imported label (an intent id or "none"), `node` the bot's flow step. */
export interface DemoJsonlTurn {
  readonly speaker: 'bot' | 'user';
  readonly text: string;
  /** On bot turns: the flow node (step id) the bot was at, e.g. `identity_check`. */
  readonly node?: string;
  readonly asrConfidence?: number;
  readonly predictedIntent?: string | null;
  readonly predictedConfidence?: number;
  readonly intent?: string;
}

/** One call per JSONL line. */
export interface DemoJsonlCall {
  readonly id: string;
  readonly startedAt: number;
  readonly campaign: string;
  readonly language: string;
  readonly turns: readonly DemoJsonlTurn[];
}

/** Totals of a written demo file. */
export interface DemoJsonlSummary {
  readonly calls: number;
  readonly utterances: number;
  readonly labels: number;
  readonly wrongLabels: number;
}

function labelValue(label: Label): string | undefined {
  if (label.target.kind === 'intent') return label.target.intentId;
  if (label.target.kind === 'none') return 'none';
  return undefined;
}

/** Converts a generated call to its JSONL shape, putting each label on its user turn as `intent`. */
export function toDemoJsonlCall(record: DemoCallRecord): DemoJsonlCall {
  const labelByTurn = new Map<number, string>();
  for (const label of record.labels) {
    const ref = parseUtteranceId(label.utteranceId);
    const value = labelValue(label);
    if (ref && value !== undefined) labelByTurn.set(ref.turnIndex, value);
  }
  const { call } = record;
  return {
    id: call.id,
    startedAt: call.startedAt,
    campaign: call.campaign,
    language: call.language ?? 'zh',
    turns: call.turns.map((turn, index) => {
      if (turn.speaker === 'bot') return { speaker: 'bot', text: turn.text, ...(turn.node === undefined ? {} : { node: turn.node }) };
      const intent = labelByTurn.get(index);
      return {
        speaker: 'user',
        text: turn.text,
        asrConfidence: turn.asrConfidence,
        predictedIntent: turn.predictedIntent ?? null,
        predictedConfidence: turn.predictedConfidence,
        ...(intent === undefined ? {} : { intent }),
      };
    }),
  };
}

/**
 * Streams demo calls to a JSONL file, one call per line, waiting for the stream to drain so that
 * memory stays flat however many calls are written.
 */
export async function writeDemoJsonl(path: string, options: DemoCallsOptions): Promise<DemoJsonlSummary> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let calls = 0;
  let utterances = 0;
  let labels = 0;
  let wrongLabels = 0;
  for (const record of generateDemoCalls(options)) {
    calls++;
    for (const turn of record.call.turns) if (turn.speaker === 'user') utterances++;
    labels += record.labels.length;
    wrongLabels += record.wrongLabelIds.length;
    if (!out.write(JSON.stringify(toDemoJsonlCall(record)) + '\n')) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return { calls, utterances, labels, wrongLabels };
}
