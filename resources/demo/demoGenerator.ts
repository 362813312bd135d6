/**
 * Seeded generator of the demo workspace: outbound calls of a payments and insurance voice bot,
 * with the platform's (imperfect) predictions, speech-recognition noise, requests no intent
 * covers, and a partly labeled set containing a few deliberately wrong labels.
 * Pure TypeScript; the same seed always gives the same workspace.
 */
import type { Call, Intent, Label, Turn, WorkspaceMeta } from '../../shared/domain/types';
import { toUtteranceId } from '../../shared/domain/types';
import { createRng, mixSeed, type Rng } from '../../shared/ml/random';
import { clarifyResponses, closingNode, demoCampaigns, endCallNode, endingResponses, fallbackResponse, slotValues, type DemoCampaign, type DemoStage } from './demoCampaigns';
import { demoIntentSpecs, demoUncoveredThemes, type Bilingual, type DemoIntentSpec, type DemoLanguage, type DemoUncoveredTheme } from './demoIntents';
import { addSpeechNoise } from './demoNoise';
import { isShortReply } from './shortReply';

/** The demo's "now": calls fall in the 30 days before it, labels no later than it. */
export const DEMO_NOW = Date.UTC(2026, 10, 24);
export const DEMO_DEFAULT_SEED = 20261124;
export const DEMO_DEFAULT_CALLS = 3200;
export const DEMO_ANNOTATOR = 'demo-seed';

/** The rates the generator aims at; tests check the output against them. */
export const demoRates = {
  /** Share of calls in Chinese; the rest are in English. */
  chinese: 0.7,
  /** Share of user utterances that no intent covers. */
  uncovered: 0.1,
  /** Share of covered user utterances that get a label. */
  labeledCovered: 0.37,
  /** Share of uncovered user utterances labeled "none". */
  labeledUncovered: 0.2,
  /** Share of intent labels that are deliberately wrong (a confusable intent). */
  wrongLabel: 0.042,
  /** Chance that the caller hangs up right after any user turn. */
  hangUp: 0.03,
  /** Chance that a reply is said in a short form ("是的", "no thanks") when its stage lists short forms for its intent. */
  shortForm: 0.4,
} as const;

const MAX_TURNS = 8;
const MAX_CLARIFICATIONS = 2;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const WINDOW_START = DEMO_NOW - 30 * DAY;
const INTENTS_CREATED_AT = DEMO_NOW - 60 * DAY;

/** What a user utterance really was: a catalogue intent, or an uncovered theme. */
export type DemoTruth = { readonly kind: 'intent'; readonly intentId: string } | { readonly kind: 'uncovered'; readonly themeId: string };

/** One generated call with its labels and the ground truth of its user turns. */
export interface DemoCallRecord {
  readonly call: Call;
  readonly labels: readonly Label[];
  /** Utterance ids among `labels` whose label is deliberately wrong. */
  readonly wrongLabelIds: readonly string[];
  /** Index-aligned with `call.turns`: the truth of each user turn, null on bot turns. */
  readonly truths: readonly (DemoTruth | null)[];
}

/** A complete demo workspace. */
export interface DemoWorkspace {
  readonly meta: WorkspaceMeta;
  readonly intents: Intent[];
  readonly calls: Call[];
  readonly labels: Label[];
  /** Utterance ids whose imported label is deliberately wrong. */
  readonly wrongLabelIds: string[];
  /** Ground truth of every user utterance, by utterance id. */
  readonly truth: Record<string, DemoTruth>;
  readonly uncoveredThemes: readonly DemoUncoveredTheme[];
}

export interface DemoWorkspaceOptions {
  readonly seed?: number;
  readonly calls?: number;
}

export interface DemoCallsOptions {
  readonly seed: number;
  readonly calls: number;
  /** Index of the first call; call i is the same whatever the chunk it is generated in. Default 0. */
  readonly startAt?: number;
}

interface Sampler<T> {
  readonly items: readonly T[];
  readonly cumulative: Float64Array;
}

interface CompiledCampaign {
  readonly campaign: DemoCampaign;
  readonly stages: readonly Sampler<DemoIntentSpec>[];
  /** Per stage: where the flow goes after each intent (a stage index), or -1 past the last stage. */
  readonly next: readonly ReadonlyMap<string, number>[];
  /** Per stage: the next stage of the linear flow (branch stages stepped over), or the stage count past the last. */
  readonly following: readonly number[];
  readonly themes: Sampler<DemoUncoveredTheme>;
}

function buildSampler<T>(entries: readonly (readonly [T, number])[]): Sampler<T> {
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, weight], i) => {
    total += weight;
    cumulative[i] = total;
  });
  for (let i = 0; i < cumulative.length; i++) cumulative[i] = (cumulative[i] as number) / total;
  return { items: entries.map(([item]) => item), cumulative };
}

function sample<T>(sampler: Sampler<T>, rng: Rng): T {
  const u = rng.next();
  const { cumulative, items } = sampler;
  for (let i = 0; i < cumulative.length - 1; i++) if (u < (cumulative[i] as number)) return items[i] as T;
  return items[items.length - 1] as T;
}

const intentById = new Map(demoIntentSpecs.map((spec) => [spec.id, spec]));
const themeById = new Map(demoUncoveredThemes.map((theme) => [theme.id, theme]));

function requireIntent(id: string, where: string): DemoIntentSpec {
  const spec = intentById.get(id);
  if (!spec) throw new Error(`demo content refers to unknown intent "${id}" in ${where}`);
  return spec;
}

function compileFlow(campaign: DemoCampaign): Pick<CompiledCampaign, 'next' | 'following'> {
  const { stages } = campaign;
  const indexOf = new Map<string, number>();
  stages.forEach((stage, i) => {
    if (indexOf.has(stage.node)) throw new Error(`node "${stage.node}" appears twice in ${campaign.id}`);
    indexOf.set(stage.node, i);
  });
  if (stages[0]?.branch) throw new Error(`the first stage of ${campaign.id} cannot be a branch`);
  const following = stages.map((_, i) => {
    let j = i + 1;
    while (j < stages.length && stages[j]?.branch) j++;
    return j;
  });
  const next = stages.map((stage) => {
    const targets = new Map<string, number>();
    for (const [intentId, node] of Object.entries(stage.next ?? {})) {
      const target = indexOf.get(node);
      requireIntent(intentId, `${campaign.id} ${stage.node} next`);
      if (target === undefined) throw new Error(`${campaign.id} ${stage.node} goes to unknown node "${node}"`);
      targets.set(intentId, target);
    }
    return targets;
  });
  for (const stage of stages) {
    for (const [intentId, forms] of Object.entries(stage.shortReplies ?? {})) {
      requireIntent(intentId, `${campaign.id} ${stage.node} short replies`);
      if (!stage.replies.some(([id]) => id === intentId)) throw new Error(`${campaign.id} ${stage.node} has short replies for "${intentId}", which it never draws`);
      for (const text of [...forms.zh, ...forms.en]) if (!isShortReply(text)) throw new Error(`short reply "${text}" of ${campaign.id} ${stage.node} is not short`);
    }
  }
  return { next, following };
}

function compileCampaign(campaign: DemoCampaign): CompiledCampaign {
  const stages = campaign.stages.map((stage, i) => buildSampler(stage.replies.map(([id, weight]) => [requireIntent(id, `${campaign.id} stage ${i}`), weight] as const)));
  const themes = buildSampler(
    Object.entries(campaign.uncoveredWeights).map(([id, weight]) => {
      const theme = themeById.get(id);
      if (!theme) throw new Error(`unknown uncovered theme "${id}" in ${campaign.id}`);
      return [theme, weight] as const;
    }),
  );
  return { campaign, stages, themes, ...compileFlow(campaign) };
}

for (const spec of demoIntentSpecs) for (const id of spec.confusable) requireIntent(id, `confusable of ${spec.id}`);
for (const theme of demoUncoveredThemes) for (const id of theme.platformGuesses) requireIntent(id, `platform guesses of ${theme.id}`);

const compiledCampaigns = demoCampaigns.map(compileCampaign);
const campaignSampler = buildSampler(compiledCampaigns.map((c) => [c, c.campaign.weight] as const));
const intentTruths = new Map<string, DemoTruth>(demoIntentSpecs.map((spec) => [spec.id, { kind: 'intent', intentId: spec.id }]));
const themeTruths = new Map<string, DemoTruth>(demoUncoveredThemes.map((theme) => [theme.id, { kind: 'uncovered', themeId: theme.id }]));
const NONE_TARGET = { kind: 'none' } as const;
const EMPTY: readonly never[] = Object.freeze([]);

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function pad7(n: number): string {
  const s = String(n);
  return s.length >= 7 ? s : '0000000'.slice(s.length) + s;
}

/** Per-call slot values, drawn when a template first needs them. */
class SlotContext {
  private name: string | undefined;
  private amount: string | undefined;
  private readonly picked = new Map<string, string>();

  constructor(
    private readonly rng: Rng,
    private readonly language: DemoLanguage,
  ) {}

  fill(template: string): string {
    let open = template.indexOf('{');
    if (open < 0) return template;
    let out = '';
    let from = 0;
    while (open >= 0) {
      const close = template.indexOf('}', open);
      if (close < 0) break;
      out += template.slice(from, open) + this.value(template.slice(open + 1, close));
      from = close + 1;
      open = template.indexOf('{', from);
    }
    return out + template.slice(from);
  }

  private value(key: string): string {
    switch (key) {
      case 'name':
        return (this.name ??= this.makeName());
      case 'amount':
        return (this.amount ??= String(50 + this.rng.int(60) * 50 + (this.rng.chance(0.4) ? this.rng.int(50) : 0)));
      case 'd4':
        return this.digits();
      case 'merchant':
        return this.pickOnce(key, slotValues.merchants[this.language]);
      case 'product':
        return this.pickOnce(key, slotValues.products[this.language]);
      case 'shop':
        return this.pickOnce(key, slotValues.shops[this.language]);
      case 'time':
        return this.pickOnce(key, slotValues.times[this.language]);
      case 'date':
        return this.pickOnce(key, slotValues.dates[this.language]);
      default:
        return key;
    }
  }

  private pickOnce(key: string, options: readonly string[]): string {
    let value = this.picked.get(key);
    if (value === undefined) {
      value = this.rng.pick(options);
      this.picked.set(key, value);
    }
    return value;
  }

  private makeName(): string {
    const surname = this.rng.pick(slotValues.surnames[this.language]);
    const title = this.rng.pick(slotValues.titles[this.language]);
    return this.language === 'zh' ? surname + title : `${title} ${surname}`;
  }

  private digits(): string {
    const a = this.rng.int(10);
    const b = this.rng.int(10);
    const c = this.rng.int(10);
    const d = this.rng.chance(0.1) ? 'X' : String(this.rng.int(10));
    return this.language === 'zh' ? `${a}${b}${c}${d}` : `${a} ${b} ${c} ${d}`;
  }
}

interface Prediction {
  readonly intent: string | null;
  readonly confidence: number;
}

function pickConfusable(spec: DemoIntentSpec, rng: Rng): string {
  return rng.chance(0.55) ? (spec.confusable[0] as string) : rng.pick(spec.confusable);
}

/**
 * The platform's prediction for a covered turn. It reads the utterance alone, so a short reply whose meaning depends
 * on the question (`contextual`) is right less often than a reply that says what it means.
 */
function predictCovered(spec: DemoIntentSpec, errors: number, contextual: boolean, rng: Rng): Prediction {
  const pCorrect = contextual ? (errors > 0 ? 0.5 : 0.7) : errors > 0 ? 0.62 : 0.85;
  if (rng.chance(pCorrect)) return { intent: spec.id, confidence: round3(clamp01(0.55 + 0.44 * Math.sqrt(rng.next()) - 0.08 * errors)) };
  if (rng.chance(0.75)) return { intent: pickConfusable(spec, rng), confidence: round3(rng.float(0.28, 0.66)) };
  return { intent: null, confidence: round3(rng.float(0.08, 0.45)) };
}

function predictUncovered(theme: DemoUncoveredTheme, rng: Rng): Prediction {
  if (rng.chance(0.55)) return { intent: null, confidence: round3(rng.float(0.05, 0.4)) };
  return { intent: rng.pick(theme.platformGuesses), confidence: round3(rng.float(0.2, 0.5)) };
}

function recognitionConfidence(errors: number, rng: Rng): number {
  const clean = rng.float(0.84, 0.99);
  return round3(errors === 0 ? clean : Math.max(0.3, clean - errors * rng.float(0.12, 0.3)));
}

function bot(text: string, node: string): Turn {
  return { speaker: 'bot', text, node };
}

function say(text: Bilingual<string>, language: DemoLanguage, slots: SlotContext): string {
  return slots.fill(text[language]);
}

function prompt(stage: DemoStage, language: DemoLanguage, rng: Rng, slots: SlotContext): string {
  return slots.fill(rng.pick(stage.prompts[language]));
}

function join(prefix: string, rest: string, language: DemoLanguage): string {
  if (prefix === '') return rest;
  return language === 'zh' ? prefix + rest : `${prefix} ${rest}`;
}

/** Generates call `index` of the stream for `seed`. */
function generateCall(seed: number, index: number): DemoCallRecord {
  const rng = createRng(mixSeed(seed, index));
  const language: DemoLanguage = rng.chance(demoRates.chinese) ? 'zh' : 'en';
  const compiled = sample(campaignSampler, rng);
  const { campaign } = compiled;
  const slots = new SlotContext(rng, language);
  const callId = `call-${pad7(index)}`;
  const startedAt = WINDOW_START + rng.int(30) * DAY + HOUR + rng.int(12 * 3600) * 1000;

  const turns: Turn[] = [];
  const truths: (DemoTruth | null)[] = [];
  let labels: Label[] | null = null;
  let wrong: string[] | null = null;

  let stageIndex = 0;
  let clarifications = 0;
  let currentPrompt = prompt(campaign.stages[0] as DemoStage, language, rng, slots);
  turns.push(bot(currentPrompt, (campaign.stages[0] as DemoStage).node));
  truths.push(null);

  for (;;) {
    const stage = campaign.stages[stageIndex] as DemoStage;
    const uncovered = rng.chance(demoRates.uncovered);
    const theme = uncovered ? sample(compiled.themes, rng) : null;
    const spec = uncovered ? null : sample(compiled.stages[stageIndex] as Sampler<DemoIntentSpec>, rng);
    const shortForms = spec ? stage.shortReplies?.[spec.id] : undefined;
    const short = shortForms !== undefined && rng.chance(demoRates.shortForm);
    const said = theme
      ? rng.pick(theme.phrases[language])
      : short
        ? rng.pick((shortForms as Bilingual<readonly string[]>)[language])
        : slots.fill(rng.pick((spec as DemoIntentSpec).phrases[language]));
    const heard = addSpeechNoise(said, language, rng);
    const prediction = theme ? predictUncovered(theme, rng) : predictCovered(spec as DemoIntentSpec, heard.errors, short, rng);
    const turnIndex = turns.length;
    turns.push({
      speaker: 'user',
      text: heard.text,
      asrConfidence: recognitionConfidence(heard.errors, rng),
      predictedIntent: prediction.intent,
      predictedConfidence: prediction.confidence,
    });
    truths.push(theme ? (themeTruths.get(theme.id) as DemoTruth) : (intentTruths.get((spec as DemoIntentSpec).id) as DemoTruth));

    if (rng.chance(theme ? demoRates.labeledUncovered : demoRates.labeledCovered)) {
      const utteranceId = toUtteranceId(callId, turnIndex);
      const at = Math.min(startedAt + 10 * 60_000 + rng.int(72 * 60) * 60_000, DEMO_NOW);
      let target: Label['target'] = NONE_TARGET;
      if (spec) {
        const isWrong = rng.chance(demoRates.wrongLabel);
        target = { kind: 'intent', intentId: isWrong ? pickConfusable(spec, rng) : spec.id };
        if (isWrong) (wrong ??= []).push(utteranceId);
      }
      (labels ??= []).push({ utteranceId, target, annotator: DEMO_ANNOTATOR, at, source: 'import' });
    }

    if (turns.length >= MAX_TURNS || rng.chance(demoRates.hangUp)) break;

    let prefix = '';
    const intentId = spec ? spec.id : '';
    let nextStage = compiled.next[stageIndex]?.get(intentId) ?? (compiled.following[stageIndex] as number);
    const reaction = stage.reactions?.[intentId];
    if (theme) prefix = fallbackResponse[language];
    else if (reaction) prefix = say(reaction, language, slots);
    else if (endingResponses[intentId]) {
      turns.push(bot(say(endingResponses[intentId], language, slots), endCallNode));
      truths.push(null);
      break;
    } else if (clarifyResponses[intentId] && clarifications < MAX_CLARIFICATIONS) {
      prefix = clarifyResponses[intentId][language];
      nextStage = stageIndex;
      clarifications++;
    }

    if (nextStage >= campaign.stages.length) {
      turns.push(bot(join(prefix, rng.pick(campaign.closing[language]), language), closingNode));
      truths.push(null);
      break;
    }
    if (nextStage !== stageIndex) currentPrompt = prompt(campaign.stages[nextStage] as DemoStage, language, rng, slots);
    turns.push(bot(join(prefix, currentPrompt, language), (campaign.stages[nextStage] as DemoStage).node));
    truths.push(null);
    stageIndex = nextStage;
  }

  return {
    call: { id: callId, startedAt, campaign: campaign.name, language, turns },
    labels: labels ?? EMPTY,
    wrongLabelIds: wrong ?? EMPTY,
    truths,
  };
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/**
 * Streams `calls` demo calls, starting at call index `startAt`, each with its labels and ground truth.
 * Call i depends only on the seed and i, so chunks of a stream join up to the whole stream.
 * Nothing is retained between calls: a million utterances stream in constant memory.
 */
export function* generateDemoCalls(options: DemoCallsOptions): Generator<DemoCallRecord, void, undefined> {
  const startAt = options.startAt ?? 0;
  checkCount('calls', options.calls);
  checkCount('startAt', startAt);
  for (let i = 0; i < options.calls; i++) yield generateCall(options.seed, startAt + i);
}

/** Builds the demo intent catalogue: the general library intents and the campaign intents, all active. */
export function buildDemoIntents(): Intent[] {
  const fillExample = (text: string, language: DemoLanguage): string => text.replace('{d4}', language === 'zh' ? '3512' : '3 5 1 2');
  return demoIntentSpecs.map((spec) => ({
    id: spec.id,
    name: spec.name,
    description: `${spec.descriptionZh}（${spec.descriptionEn}）`,
    examples: [...spec.phrases.zh.slice(0, 3).map((t) => fillExample(t, 'zh')), ...spec.phrases.en.slice(0, 3).map((t) => fillExample(t, 'en'))],
    status: 'active',
    group: spec.group,
    createdAt: INTENTS_CREATED_AT,
    updatedAt: INTENTS_CREATED_AT,
  }));
}

/**
 * Generates the demo workspace (default seed 20261124, 3,200 calls): intents, calls, imported
 * labels (about 35% of user utterances, about 4% of them deliberately wrong) and the ground truth.
 */
export function generateDemoWorkspace(options: DemoWorkspaceOptions = {}): DemoWorkspace {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const calls: Call[] = [];
  const labels: Label[] = [];
  const wrongLabelIds: string[] = [];
  const truth: Record<string, DemoTruth> = {};
  for (const record of generateDemoCalls({ seed, calls: options.calls ?? DEMO_DEFAULT_CALLS })) {
    calls.push(record.call);
    labels.push(...record.labels);
    wrongLabelIds.push(...record.wrongLabelIds);
    record.truths.forEach((t, turnIndex) => {
      if (t) truth[toUtteranceId(record.call.id, turnIndex)] = t;
    });
  }
  return {
    meta: { name: '云付外呼演示 CloudPay outbound demo', languages: ['zh', 'en'], annotators: [DEMO_ANNOTATOR], createdAt: DEMO_NOW },
    intents: buildDemoIntents(),
    calls,
    labels,
    wrongLabelIds,
    truth,
    uncoveredThemes: demoUncoveredThemes,
  };
}
