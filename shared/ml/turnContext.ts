import { normalizeText } from './normalize';

/**
 * What the model reads of a user turn besides its words: the bot turn it answered, the user's previous turn, and
 * the flow node (step) the bot turn belongs to when the platform names one. In outbound calls most user turns are
 * short replies ("不是", "可以"), and the question before them decides what they mean.
 */
export interface TurnContext {
  /** The bot's turn just before the utterance (its prompt). */
  readonly prompt?: string;
  /** The user's previous turn in the same call. */
  readonly previous?: string;
  /** The flow node of the prompt, as the platform names it. */
  readonly node?: string;
}

/**
 * Separates an utterance from its context inside a model text. A control character (U+001F, the unit separator)
 * that normalization would drop anyway, so no utterance needs it.
 */
export const CONTEXT_SEPARATOR = '\u001f';

/** A model text taken apart: the utterance and its context fields ('' when absent). */
export interface SplitModelText {
  readonly utterance: string;
  readonly prompt: string;
  readonly previous: string;
  readonly node: string;
}

const separators = new RegExp(CONTEXT_SEPARATOR, 'gu');

function clean(part: string | undefined): string {
  return part ? part.replace(separators, ' ') : '';
}

/**
 * The text a model trains on and predicts for one user turn: the utterance alone when there is no context (so
 * utterance-only data featurizes exactly as before context existed), else utterance, prompt, previous turn and node
 * joined by `CONTEXT_SEPARATOR`. One string per turn keeps batches, worker messages and artifacts unchanged.
 */
export function contextualText(utterance: string, context: TurnContext = {}): string {
  const text = clean(utterance);
  const prompt = clean(context.prompt);
  const previous = clean(context.previous);
  const node = clean(context.node);
  if (!prompt && !previous && !node) return text;
  return [text, prompt, previous, node].join(CONTEXT_SEPARATOR);
}

/** Takes a model text (`contextualText`) apart; a plain utterance has empty context fields. */
export function splitModelText(text: string): SplitModelText {
  if (text.indexOf(CONTEXT_SEPARATOR) < 0) return { utterance: text, prompt: '', previous: '', node: '' };
  const [utterance = '', prompt = '', previous = '', node = ''] = text.split(CONTEXT_SEPARATOR);
  return { utterance, prompt, previous, node };
}

/** True when any of the texts carries context (`contextualText` with a prompt, previous turn or node). */
export function anyHasContext(texts: readonly string[]): boolean {
  for (const text of texts) if (text.indexOf(CONTEXT_SEPARATOR) >= 0) return true;
  return false;
}

/** A transcript turn as far as context needs it. */
export interface ContextTurn {
  readonly speaker: 'bot' | 'user';
  readonly text: string;
  /** On bot turns: the flow node, when the platform names it. */
  readonly node?: string;
}

/**
 * The model text of every user turn of a transcript, in order: the utterance with the bot turn right before it (and
 * that turn's node) and the user's previous turn. The app reads the same context from its index columns
 * (`CallTable.contextOf`), so the platform and the app predict a turn from the same text.
 */
export function modelTextsOfTurns(turns: readonly ContextTurn[]): string[] {
  const out: string[] = [];
  let previous = '';
  for (let t = 0; t < turns.length; t++) {
    const turn = turns[t]!;
    if (turn.speaker !== 'user') continue;
    const before = turns[t - 1];
    const bot = before?.speaker === 'bot' ? before : null;
    out.push(contextualText(turn.text, { prompt: bot?.text ?? '', node: bot?.node ?? '', previous }));
    previous = turn.text;
  }
  return out;
}

/**
 * Which question a reply answered, as grouping by question needs it: `node:<node>` when the platform names the flow
 * node of the bot turn before it, else `prompt:<the prompt normalized>` (`normalizeText`, so amounts and punctuation
 * do not split one question), else '' (the reply follows no bot turn). The same words after two different questions
 * have two keys.
 */
export function questionKey(prompt: string | null | undefined, node: string | null | undefined): string {
  if (node) return `node:${node}`;
  const normalized = prompt ? normalizeText(prompt) : '';
  return normalized ? `prompt:${normalized}` : '';
}
