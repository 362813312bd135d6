import { describe, expect, it } from 'vitest';
import { buildSnapshot, LabelTable, stringifySnapshot, type LabelSnapshotDoc, type UtteranceIndex } from './labelTable';

/** Ten utterances u0…u9 (and nothing else: other ids are orphans). */
const index: UtteranceIndex = {
  findUtterance: (id) => (/^u\d$/.test(id) ? Number(id.slice(1)) : undefined),
  utteranceId: (idx) => `u${idx}`,
};

function labeled(): LabelTable {
  const table = new LabelTable(index);
  table.resize(10);
  table.set(3, { kind: 'intent', intentId: 'repay' }, 'wang', 1_000, 'manual');
  table.set(1, { kind: 'none' }, 'li', 2_000, 'bulk');
  table.set(7, { kind: 'badTranscript' }, 'wang', 3_000, 'manual');
  table.set(3, { kind: 'intent', intentId: 'deny' }, 'li', 4_000, 'review'); // relabeled: once, at its newest place
  table.set(5, { kind: 'intent', intentId: 'repay' }, 'zhao', 5_000, 'suggestion');
  table.set(5, null, 'zhao', 6_000, 'undo'); // cleared: not in the snapshot
  table.markReviewed(3);
  table.setById('gone#4', { kind: 'intent', intentId: 'repay' }, 'sun', 7_000, 'import'); // an orphan
  return table;
}

/** Chunks of two rows, with a pause between: the way the store yields, made small. */
const inPairs = async (n: number, visit: (start: number, end: number) => void): Promise<void> => {
  for (let start = 0; start < n; start += 2) {
    visit(start, Math.min(n, start + 2));
    await Promise.resolve();
  }
};

describe('label snapshot built in slices', () => {
  it('is the document toSnapshot gives: oldest label first, relabels once, cleared labels out, orphans last', async () => {
    const table = labeled();
    const whole = table.toSnapshot(42, 3, [['run/c1', 'accepted', 'repay']]);
    expect(whole.u).toEqual(['u1', 'u7', 'u3', 'gone#4']);
    expect(whole.r).toEqual(['u3']);
    expect(whole.annotators[whole.a[3]!]).toBe('sun');
    const sliced = await buildSnapshot(table.capture(42, 3, [['run/c1', 'accepted', 'repay']]), inPairs);
    expect(sliced).toEqual(whole);
  });

  it('is a copy: labels made after the capture are not in it', async () => {
    const table = labeled();
    const capture = table.capture(42, 3);
    table.set(9, { kind: 'intent', intentId: 'repay' }, 'wang', 8_000, 'manual');
    table.set(1, { kind: 'intent', intentId: 'deny' }, 'wang', 9_000, 'manual');
    const doc = await buildSnapshot(capture, inPairs);
    expect(doc.u).toEqual(['u1', 'u7', 'u3', 'gone#4']);
    expect(doc.t[0]).toBe(labeledNone());
  });

  it('writes JSON that parses to the same document, whatever the slice size', async () => {
    const doc: LabelSnapshotDoc = labeled().toSnapshot(42, 3, [['run/c1', 'dismissed', null]]);
    for (const slice of [1, 2, 3, 1000]) {
      let pauses = 0;
      const text = await stringifySnapshot(doc, async () => void pauses++, slice);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
      expect(pauses).toBeGreaterThanOrEqual(Math.ceil(doc.u.length / slice));
    }
    const empty = new LabelTable(index).toSnapshot(0, 0);
    expect(JSON.parse(await stringifySnapshot(empty, async () => undefined))).toEqual(JSON.parse(JSON.stringify(empty)));
  });
});

/** The encoded "none of these" target, as the snapshot of u1 holds it before the later relabel. */
function labeledNone(): string {
  const table = new LabelTable(index);
  table.resize(10);
  table.set(1, { kind: 'none' }, 'li', 2_000, 'bulk');
  return table.toSnapshot(0, 0).t[0]!;
}
