import { describe, expect, it } from 'vitest';
import { reportByQuestion, type QuestionReportInput } from './questionReport';

// Ten replies: four to the identity check (node), three to the transaction check (node), two to the same identity
// question asked without a node (its two spellings normalize alike), one with no bot turn before it.
const input: QuestionReportInput = {
  questions: {
    prompt: [0, 0, 0, 0, 1, 1, 1, 2, 0, -1],
    node: [0, 0, 0, 0, 1, 1, 1, -1, -1, -1],
    prompts: ['请问是张先生吗？', '这笔交易是您本人操作的吗？', '请问是张先生吗?'],
    nodes: ['identity', 'confirm_tx'],
  },
  classes: ['self', 'not_self', 'fraud', 'ok'],
  predicted: [0, 1, 1, 0, 2, 2, 3, 0, 1, -1],
  outOfScope: [0.1, 0.2, 0.6, 0.1, 0.7, 0.8, 0.1, 0.2, 0.9, 0.95],
  platformConfidence: [0.9, 0.9, 0.9, 0.3, 0.9, 0.9, 0.9, 0.9, 0.9, 0],
  threshold: 0.5,
  training: {
    utterances: [0, 1, 2, 4, 5, 6, 7],
    truth: [0, 1, 1, 2, 2, 3, 0],
    predicted: [0, 0, 0, 3, 2, 3, 0],
    evaluated: [1, 1, 1, 1, 1, 0, 1],
  },
};

describe('reportByQuestion', () => {
  it('gives each question its replies, out-of-fold accuracy, coverage, uncovered share and confused pairs, most trouble first', () => {
    const report = reportByQuestion(input);
    expect(report.total).toBe(4);
    expect(report.questions.map((q) => q.key)).toEqual(['n:identity', 'n:confirm_tx', 'p:请问是张先生吗', '']);
    const [identity, transaction, bare, none] = report.questions;
    expect(identity).toEqual({
      key: 'n:identity',
      question: '请问是张先生吗？',
      node: 'identity',
      replies: 4,
      labeled: 3,
      evaluated: 3,
      correct: 1,
      accuracy: 1 / 3,
      coverage: 0.75,
      uncovered: 2,
      uncoveredShare: 0.5,
      confused: 2,
      confusedPairs: [{ actual: 'not_self', predicted: 'self', count: 2 }],
      trouble: 4,
      examples: [
        { utterance: 1, kind: 'confused', label: 'not_self', predicted: 'self' },
        { utterance: 2, kind: 'confused', label: 'not_self', predicted: 'self' },
        { utterance: 3, kind: 'uncovered', label: null, predicted: 'self' },
        { utterance: 0, kind: 'other', label: 'self', predicted: 'self' },
      ],
    });
    expect(transaction).toMatchObject({ question: '这笔交易是您本人操作的吗？', node: 'confirm_tx', replies: 3, labeled: 3, evaluated: 2, correct: 1, accuracy: 0.5, coverage: 1 / 3, uncovered: 2, uncoveredShare: 2 / 3, confused: 1, trouble: 3 });
    expect(transaction!.confusedPairs).toEqual([{ actual: 'fraud', predicted: 'ok', count: 1 }]);
    // A row of a too-rare intent (not evaluated) shows the final model's prediction.
    expect(transaction!.examples).toEqual([
      { utterance: 4, kind: 'confused', label: 'fraud', predicted: 'ok' },
      { utterance: 5, kind: 'uncovered', label: 'fraud', predicted: 'fraud' },
      { utterance: 6, kind: 'other', label: 'ok', predicted: 'ok' },
    ]);
    expect(bare).toMatchObject({ question: '请问是张先生吗？', node: null, replies: 2, labeled: 1, accuracy: 1, coverage: 0.5, uncovered: 1, uncoveredShare: 0.5, confused: 0, confusedPairs: [], trouble: 1 });
    expect(none).toMatchObject({ question: '', node: null, replies: 1, labeled: 0, evaluated: 0, accuracy: null, coverage: 0, uncovered: 1, uncoveredShare: 1, trouble: 1 });
    expect(none!.examples).toEqual([{ utterance: 9, kind: 'uncovered', label: null, predicted: null }]);
  });

  it('keeps the limit of questions, pairs and examples, and counts every question', () => {
    const report = reportByQuestion(
      { ...input, training: { ...input.training, predicted: [0, 0, 2, 3, 2, 3, 0] } },
      { limit: 2, pairs: 1, examples: 2 },
    );
    expect(report.total).toBe(4);
    expect(report.questions.map((q) => q.key)).toEqual(['n:identity', 'n:confirm_tx']);
    // not_self → fraud and not_self → self once each: the tie goes to the lower predicted id.
    expect(report.questions[0]!.confusedPairs).toEqual([{ actual: 'not_self', predicted: 'fraud', count: 1 }]);
    // One mistaken and one uncovered reply make the two examples.
    expect(report.questions[0]!.examples.map((e) => [e.utterance, e.kind])).toEqual([[1, 'confused'], [3, 'uncovered']]);
  });

  it('moves a question up as its replies become uncovered at a lower threshold', () => {
    const report = reportByQuestion({ ...input, threshold: 0.15 });
    const transaction = report.questions.find((q) => q.key === 'n:confirm_tx')!;
    expect(transaction.coverage).toBe(1 / 3);
    const identity = report.questions.find((q) => q.key === 'n:identity')!;
    expect(identity).toMatchObject({ coverage: 0.5, uncovered: 3, trouble: 5 });
    const bare = report.questions.find((q) => q.key === 'p:请问是张先生吗')!;
    expect(bare).toMatchObject({ coverage: 0, uncovered: 2, trouble: 2 });
  });
});
