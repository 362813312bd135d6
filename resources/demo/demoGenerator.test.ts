import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUtteranceId, toUtteranceId } from '../../shared/domain/types';
import { outboundIntentLibrary } from '../library/outboundIntents';
import { DEMO_NOW, demoRates, generateDemoCalls, generateDemoWorkspace, type DemoCallRecord } from './demoGenerator';
import { closingNode, demoCampaigns, endCallNode } from './demoCampaigns';
import { demoIntentSpecs } from './demoIntents';
import { toDemoJsonlCall, writeDemoJsonl, type DemoJsonlCall } from './demoJsonl';
import { isShortReply } from './shortReply';

const workspace = generateDemoWorkspace();
const intentIds = new Set(workspace.intents.map((i) => i.id));
const userTurns = workspace.calls.flatMap((call) =>
  call.turns.flatMap((turn, index) => (turn.speaker === 'user' ? [{ id: toUtteranceId(call.id, index), call, turn }] : [])),
);

describe('generateDemoWorkspace', () => {
  it('is deterministic: the same seed gives a deep-equal workspace, another seed a different one', () => {
    const a = generateDemoWorkspace({ seed: 7, calls: 400 });
    const b = generateDemoWorkspace({ seed: 7, calls: 400 });
    const c = generateDemoWorkspace({ seed: 8, calls: 400 });
    expect(a).toEqual(b);
    expect(c.calls).not.toEqual(a.calls);
  });

  it('has at least 3000 calls and 25 active intents by default, with bilingual examples', () => {
    expect(workspace.calls.length).toBeGreaterThanOrEqual(3000);
    expect(workspace.intents.length).toBeGreaterThanOrEqual(25);
    expect(intentIds.size).toBe(workspace.intents.length);
    const han = /[\u4e00-\u9fff]/;
    for (const intent of workspace.intents) {
      expect(intent.id).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
      expect(intent.status).toBe('active');
      expect(han.test(intent.name)).toBe(true);
      expect(intent.examples.length).toBeGreaterThanOrEqual(3);
      expect(intent.examples.some((e) => han.test(e))).toBe(true);
      expect(intent.examples.some((e) => !han.test(e))).toBe(true);
      expect(intent.examples.some((e) => e.includes('{'))).toBe(false);
    }
  });

  it('reuses every key of the built-in library as an intent', () => {
    for (const entry of outboundIntentLibrary.zh) expect(intentIds.has(entry.key)).toBe(true);
  });

  it('has both languages, about 70% Chinese, and several campaigns', () => {
    const zh = workspace.calls.filter((c) => c.language === 'zh').length / workspace.calls.length;
    expect(workspace.calls.every((c) => c.language === 'zh' || c.language === 'en')).toBe(true);
    expect(zh).toBeGreaterThan(0.64);
    expect(zh).toBeLessThan(0.76);
    expect(new Set(workspace.calls.map((c) => c.campaign)).size).toBeGreaterThanOrEqual(6);
  });

  it('starts every call with a bot turn, alternates speakers and keeps 2–8 turns', () => {
    for (const call of workspace.calls) {
      expect(call.turns.length).toBeGreaterThanOrEqual(2);
      expect(call.turns.length).toBeLessThanOrEqual(8);
      call.turns.forEach((turn, i) => expect(turn.speaker).toBe(i % 2 === 0 ? 'bot' : 'user'));
    }
  });

  it('repeats the same prompt when the caller asks to repeat', () => {
    let repeats = 0;
    for (const call of workspace.calls) {
      call.turns.forEach((turn, i) => {
        const lead = call.language === 'zh' ? '好的，我再说一遍。' : 'Sure, let me repeat that. ';
        if (turn.speaker !== 'bot' || !turn.text.startsWith(lead)) return;
        repeats++;
        expect(call.turns[i - 2]?.text.endsWith(turn.text.slice(lead.length))).toBe(true);
      });
    }
    expect(repeats).toBeGreaterThan(50);
  });

  it('dates calls in the 30 days before the demo epoch and labels no later than it', () => {
    for (const call of workspace.calls) {
      expect(call.startedAt).toBeGreaterThanOrEqual(DEMO_NOW - 30 * 86_400_000);
      expect(call.startedAt).toBeLessThan(DEMO_NOW);
    }
    for (const label of workspace.labels) expect(label.at).toBeLessThanOrEqual(DEMO_NOW);
  });

  it('gives unique utterance ids and refers only to known intents', () => {
    expect(new Set(userTurns.map((u) => u.id)).size).toBe(userTurns.length);
    for (const { turn } of userTurns) {
      if (turn.predictedIntent !== null) expect(intentIds.has(turn.predictedIntent as string)).toBe(true);
      expect(turn.predictedConfidence).toBeGreaterThanOrEqual(0);
      expect(turn.predictedConfidence).toBeLessThanOrEqual(1);
      expect(turn.asrConfidence).toBeGreaterThanOrEqual(0);
      expect(turn.asrConfidence).toBeLessThanOrEqual(1);
    }
    for (const label of workspace.labels) if (label.target.kind === 'intent') expect(intentIds.has(label.target.intentId)).toBe(true);
  });

  it('labels only user turns, at most once each, as imports by the demo annotator', () => {
    const userIds = new Set(userTurns.map((u) => u.id));
    const labeled = workspace.labels.map((l) => l.utteranceId);
    expect(new Set(labeled).size).toBe(labeled.length);
    for (const label of workspace.labels) {
      expect(userIds.has(label.utteranceId)).toBe(true);
      expect(label.source).toBe('import');
      expect(workspace.meta.annotators).toContain(label.annotator);
    }
  });

  it('keeps the uncovered, labeled and wrong-label shares in their stated ranges', () => {
    const uncovered = userTurns.filter((u) => workspace.truth[u.id]?.kind === 'uncovered').length / userTurns.length;
    const labeled = workspace.labels.length / userTurns.length;
    const wrong = workspace.wrongLabelIds.length / workspace.labels.length;
    expect(uncovered).toBeGreaterThanOrEqual(0.08);
    expect(uncovered).toBeLessThanOrEqual(0.12);
    expect(labeled).toBeGreaterThanOrEqual(0.3);
    expect(labeled).toBeLessThanOrEqual(0.4);
    expect(wrong).toBeGreaterThanOrEqual(0.025);
    expect(wrong).toBeLessThanOrEqual(0.06);
    expect(Object.keys(workspace.truth).length).toBe(userTurns.length);
  });

  it('makes exactly the listed labels wrong, each with a confusable intent, and labels uncovered turns none', () => {
    const wrongIds = new Set(workspace.wrongLabelIds);
    const specs = new Map(demoIntentSpecs.map((s) => [s.id, s]));
    for (const label of workspace.labels) {
      const truth = workspace.truth[label.utteranceId];
      if (truth?.kind === 'uncovered') {
        expect(label.target.kind).toBe('none');
        continue;
      }
      expect(label.target.kind).toBe('intent');
      if (label.target.kind !== 'intent' || truth?.kind !== 'intent') continue;
      if (wrongIds.has(label.utteranceId)) {
        expect(label.target.intentId).not.toBe(truth.intentId);
        expect(specs.get(truth.intentId)?.confusable).toContain(label.target.intentId);
      } else {
        expect(label.target.intentId).toBe(truth.intentId);
      }
    }
  });

  it('predicts covered turns right about 80% of the time and uncovered ones weakly', () => {
    const covered = userTurns.filter((u) => workspace.truth[u.id]?.kind === 'intent');
    const right = covered.filter((u) => {
      const truth = workspace.truth[u.id];
      return truth?.kind === 'intent' && u.turn.predictedIntent === truth.intentId;
    });
    const accuracy = right.length / covered.length;
    expect(accuracy).toBeGreaterThan(0.72);
    expect(accuracy).toBeLessThan(0.88);
    const meanConfidence = (items: typeof userTurns): number => items.reduce((s, u) => s + (u.turn.predictedConfidence ?? 0), 0) / items.length;
    const wrongOnes = covered.filter((u) => !right.includes(u));
    expect(meanConfidence(right)).toBeGreaterThan(meanConfidence(wrongOnes) + 0.2);
    for (const u of userTurns) if (workspace.truth[u.id]?.kind === 'uncovered') expect(u.turn.predictedConfidence).toBeLessThanOrEqual(0.5);
  });

  it('puts every uncovered theme in the data, in both languages', () => {
    for (const theme of workspace.uncoveredThemes) {
      const ids = userTurns.filter((u) => {
        const truth = workspace.truth[u.id];
        return truth?.kind === 'uncovered' && truth.themeId === theme.id;
      });
      expect(ids.length).toBeGreaterThan(30);
      expect(new Set(ids.map((u) => u.call.language)).size).toBe(2);
    }
  });

  it('adds speech noise: fillers, code-switching, misrecognitions and lower ASR confidence', () => {
    const zhTexts = userTurns.filter((u) => u.call.language === 'zh').map((u) => u.turn.text);
    expect(zhTexts.filter((t) => /^(嗯|啊|那个|就是|呃)，/.test(t)).length).toBeGreaterThan(100);
    expect(zhTexts.filter((t) => /OK|cancel|check一下|confirm/.test(t)).length).toBeGreaterThan(20);
    expect(zhTexts.filter((t) => /换款|市|本任|保鲜|人公/.test(t)).length).toBeGreaterThan(20);
    expect(userTurns.filter((u) => u.call.language === 'en' && /^(um|uh) /.test(u.turn.text)).length).toBeGreaterThan(20);
    expect(userTurns.filter((u) => (u.turn.asrConfidence ?? 1) < 0.75).length).toBeGreaterThan(100);
  });
});

describe('generateDemoCalls', () => {
  it('yields the same calls in chunks as in one stream', () => {
    const whole = [...generateDemoCalls({ seed: 3, calls: 60 })];
    const chunks = [...generateDemoCalls({ seed: 3, calls: 25 }), ...generateDemoCalls({ seed: 3, calls: 35, startAt: 25 })];
    expect(chunks).toEqual(whole);
  });

  it('streams 100k calls without error, quickly', () => {
    const started = performance.now();
    let calls = 0;
    let utterances = 0;
    for (const record of generateDemoCalls({ seed: 99, calls: 100_000 })) {
      calls++;
      utterances += (record.call.turns.length / 2) | 0;
    }
    const seconds = (performance.now() - started) / 1000;
    expect(calls).toBe(100_000);
    expect(utterances).toBeGreaterThan(200_000);
    expect(seconds).toBeLessThan(10);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => generateDemoCalls({ seed: 1, calls: -1 }).next()).toThrow(RangeError);
    expect(() => generateDemoCalls({ seed: 1, calls: 2.5 }).next()).toThrow(RangeError);
  });
});

describe('demo JSONL', () => {
  it('writes one parseable call per line with labels on their user turns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'callsift-demo-'));
    try {
      const file = join(dir, 'demo.jsonl');
      const summary = await writeDemoJsonl(file, { seed: 5, calls: 500 });
      const lines = (await readFile(file, 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(500);
      const records: DemoCallRecord[] = [...generateDemoCalls({ seed: 5, calls: 500 })];
      let labels = 0;
      lines.forEach((line, i) => {
        const parsed = JSON.parse(line) as DemoJsonlCall;
        expect(Object.keys(parsed)).toEqual(['id', 'startedAt', 'campaign', 'language', 'turns']);
        expect(parsed).toEqual(JSON.parse(JSON.stringify(toDemoJsonlCall(records[i] as DemoCallRecord))));
        for (const [index, turn] of parsed.turns.entries()) {
          if (turn.speaker === 'bot') {
            expect(Object.keys(turn)).toEqual(['speaker', 'text', 'node']);
            expect(turn.node).toBe(records[i]?.call.turns[index]?.node);
          }
          if (turn.intent === undefined) continue;
          labels++;
          const label = records[i]?.labels.find((l) => parseUtteranceId(l.utteranceId)?.turnIndex === index);
          expect(turn.intent).toBe(label?.target.kind === 'intent' ? label.target.intentId : 'none');
        }
      });
      expect(labels).toBe(summary.labels);
      expect(summary.calls).toBe(500);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Truths of the short user turns of 6,000 calls, by the node of the question they answer and their text. */
function shortTurnsByNodeAndText(): { users: number; short: number; truths: Map<string, Map<string, Set<string>>> } {
  let users = 0;
  let short = 0;
  const truths = new Map<string, Map<string, Set<string>>>();
  for (const record of generateDemoCalls({ seed: 11, calls: 6000 })) {
    record.call.turns.forEach((turn, index) => {
      if (turn.speaker !== 'user') return;
      users++;
      if (!isShortReply(turn.text)) return;
      short++;
      const truth = record.truths[index];
      const node = record.call.turns[index - 1]?.node;
      if (truth?.kind !== 'intent' || node === undefined) return;
      const byNode = truths.get(turn.text) ?? new Map<string, Set<string>>();
      truths.set(turn.text, byNode);
      const intents = byNode.get(node) ?? new Set<string>();
      byNode.set(node, intents);
      intents.add(truth.intentId);
    });
  }
  return { users, short, truths };
}

describe('short replies whose meaning the question decides', () => {
  const { users, short, truths } = shortTurnsByNodeAndText();

  it('makes 30–50% of user turns short replies (≤ 4 Chinese characters or ≤ 4 words)', () => {
    expect(users).toBeGreaterThan(10_000);
    expect(short / users).toBeGreaterThanOrEqual(0.3);
    expect(short / users).toBeLessThanOrEqual(0.5);
  });

  it('gives the same short text different true intents at different nodes, so the text alone cannot tell', () => {
    const ambiguous = [...truths].filter(([, byNode]) => new Set([...byNode.values()].flatMap((s) => [...s])).size >= 2 && byNode.size >= 2);
    expect(ambiguous.length).toBeGreaterThanOrEqual(20);
    const texts = new Set(ambiguous.map(([text]) => text));
    for (const text of ['是的', '不是', '可以', '好的', '不用了', 'yes', 'no', 'not me', 'sure', 'no thanks']) expect(texts).toContain(text);
  });

  it('answers each stage of the brief with the intent the stage gives its short replies, in both languages', () => {
    const cases: readonly (readonly [node: string, text: string, intent: string])[] = [
      ['identity_check', '是的', 'identity_confirmed'],
      ['identity_check', '不是', 'wrong_person'],
      ['identity_check', 'yes', 'identity_confirmed'],
      ['identity_check', 'not me', 'wrong_person'],
      ['confirm_transaction', '是的', 'confirm_transaction_mine'],
      ['confirm_transaction', '不是', 'deny_transaction_fraud'],
      ['confirm_transaction', 'yes', 'confirm_transaction_mine'],
      ['confirm_transaction', 'not me', 'deny_transaction_fraud'],
      ['repay_promise', '可以', 'promise_to_repay'],
      ['repay_promise', '好的', 'promise_to_repay'],
      ['repay_promise', '不行', 'cannot_repay_now'],
      ['repay_promise', 'sure', 'promise_to_repay'],
      ['repay_promise', "I can't", 'cannot_repay_now'],
      ['offer_extension', '好的', 'accept_extension'],
      ['offer_extension', '不用了', 'decline_extension'],
      ['offer_extension', 'yes', 'accept_extension'],
      ['offer_extension', "I'm fine", 'decline_extension'],
      ['survey_consent', '可以', 'agree_survey'],
      ['survey_consent', '不用了', 'decline_survey'],
      ['survey_consent', '没空', 'decline_survey'],
      ['survey_consent', 'sure', 'agree_survey'],
      ['survey_consent', 'no thanks', 'decline_survey'],
    ];
    for (const [node, text, intent] of cases) expect({ node, text, intents: [...(truths.get(text)?.get(node) ?? [])] }).toEqual({ node, text, intents: [intent] });
  });
});

describe('flow nodes on bot turns', () => {
  it('names the node of every bot turn: a stage of its campaign, or the closing', () => {
    const nodesOf = new Map(demoCampaigns.map((c) => [c.name, new Set(c.stages.map((s) => s.node))]));
    for (const call of workspace.calls) {
      const nodes = nodesOf.get(call.campaign);
      expect(call.turns[0]?.node).toBe(demoCampaigns.find((c) => c.name === call.campaign)?.stages[0]?.node);
      call.turns.forEach((turn, i) => {
        if (turn.speaker !== 'bot') return;
        const last = i === call.turns.length - 1;
        if (turn.node === closingNode || turn.node === endCallNode) expect(last).toBe(true);
        else expect(nodes?.has(turn.node ?? '')).toBe(true);
      });
    }
  });

  it('offers an extension only after the caller cannot repay or asks for more time', () => {
    let offers = 0;
    for (const call of workspace.calls) {
      call.turns.forEach((turn, i) => {
        if (turn.node !== 'offer_extension' || call.turns[i - 2]?.node === 'offer_extension') return;
        offers++;
        const truth = workspace.truth[toUtteranceId(call.id, i - 1)];
        expect(truth?.kind === 'intent' ? truth.intentId : truth?.kind).toMatch(/^(cannot_repay_now|ask_extend_repayment)$/);
      });
    }
    expect(offers).toBeGreaterThan(50);
  });
});

describe('demo rates', () => {
  it('states rates inside the ranges the brief asks for', () => {
    expect(demoRates.uncovered).toBeGreaterThanOrEqual(0.08);
    expect(demoRates.uncovered).toBeLessThanOrEqual(0.12);
    expect(demoRates.wrongLabel).toBeGreaterThan(0.03);
    expect(demoRates.wrongLabel).toBeLessThan(0.05);
  });
});
