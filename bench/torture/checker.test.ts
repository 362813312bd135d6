import { describe, expect, it } from 'vitest';
import { checkPlatformLabels, findCallMismatches, findCatalogueMismatches, findLostLabels, type IntentView, type LabelOp, type LabelValue } from './checker';

const op = (utteranceId: string, value: LabelValue, sentAt: number, ackedAt: number | null, weak = false): LabelOp => ({ utteranceId, value, sentAt, ackedAt, weak, what: 'test' });
const labels = (entries: Record<string, LabelValue>) => new Map(Object.entries(entries));

describe('findLostLabels', () => {
  it('counts an acknowledged label that is gone after the restart as lost', () => {
    const lost = findLostLabels(labels({}), [op('u1', 'i:a', 1, 2), op('u2', 'i:b', 3, 4)], labels({ u2: 'i:b' }));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ utteranceId: 'u1', observed: null, acceptable: ['i:a'] });
  });

  it('accepts a request in flight at the kill either way, and the acknowledged value it may not have replaced', () => {
    const ops = [op('u1', 'i:a', 1, 2), op('u1', 'i:b', 3, null)];
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:a' }))).toEqual([]);
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:b' }))).toEqual([]);
    expect(findLostLabels(labels({}), ops, labels({}))).toHaveLength(1);
  });

  it('counts a value an acknowledged later request replaced as lost (the later label went missing)', () => {
    const ops = [op('u1', 'i:a', 1, 2), op('u1', null, 3, 4)];
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:a' }))).toHaveLength(1);
    expect(findLostLabels(labels({}), ops, labels({}))).toEqual([]);
  });

  it('accepts either order for acknowledged requests that overlapped in time', () => {
    const ops = [op('u1', 'i:a', 1, 3), op('u1', 'i:b', 2, 4)];
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:a' }))).toEqual([]);
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:b' }))).toEqual([]);
  });

  it('lets a weak operation explain a value but never rule one out', () => {
    const ops = [op('u1', 'none', 1, 2), op('u1', 'i:new', 3, 4, true)];
    expect(findLostLabels(labels({}), ops, labels({ u1: 'none' }))).toEqual([]);
    expect(findLostLabels(labels({}), ops, labels({ u1: 'i:new' }))).toEqual([]);
  });

  it('counts a label that changed with no operation on it', () => {
    expect(findLostLabels(labels({ u1: 'i:a', u2: 'bad' }), [], labels({ u1: 'i:a' }))).toMatchObject([{ utteranceId: 'u2', observed: null, acceptable: ['bad'] }]);
  });
});

describe('findCatalogueMismatches', () => {
  const base: IntentView[] = [
    { id: 'a', name: 'A', status: 'active' },
    { id: 'b', name: 'B', status: 'active' },
  ];

  it('finds nothing when the acknowledged create and merge are there', () => {
    const observed: IntentView[] = [{ id: 'a', name: 'A', status: 'deprecated', mergedInto: 'b' }, base[1]!, { id: 'n', name: 'new', status: 'active' }];
    const ops = [
      { kind: 'create' as const, name: 'new', id: 'n', sentAt: 1, ackedAt: 2 },
      { kind: 'merge' as const, sourceId: 'a', targetId: 'b', sentAt: 3, ackedAt: 4 },
    ];
    expect(findCatalogueMismatches(base, ops, observed)).toEqual([]);
  });

  it('reports an acknowledged create or merge that is missing, and changes nobody asked for', () => {
    const ops = [
      { kind: 'create' as const, name: 'new', id: 'n', sentAt: 1, ackedAt: 2 },
      { kind: 'merge' as const, sourceId: 'a', targetId: 'b', sentAt: 3, ackedAt: 4 },
    ];
    expect(findCatalogueMismatches(base, ops, base)).toEqual(['acknowledged intent "new" (n) is missing', 'acknowledged merge of a into b is missing']);
    const phantom: IntentView[] = [base[0]!, { id: 'b', name: 'B', status: 'deprecated', mergedInto: 'a' }, { id: 'x', name: 'X', status: 'active' }];
    expect(findCatalogueMismatches(base, [], phantom)).toEqual(['intent b changed to deprecated (merged into a) with no merge asked for', 'intent x ("X") was never created']);
  });

  it('accepts an unacknowledged create or merge either way', () => {
    const ops = [
      { kind: 'create' as const, name: 'new', sentAt: 1, ackedAt: null },
      { kind: 'merge' as const, sourceId: 'a', targetId: 'b', sentAt: 3, ackedAt: null },
    ];
    expect(findCatalogueMismatches(base, ops, base)).toEqual([]);
    expect(findCatalogueMismatches(base, ops, [{ id: 'a', name: 'A', status: 'deprecated', mergedInto: 'b' }, base[1]!, { id: 'new', name: 'new', status: 'active' }])).toEqual([]);
  });
});

describe('checkPlatformLabels', () => {
  const pushable = [
    { seq: 1, utteranceId: 'u1', intent: 'a', at: 10 },
    { seq: 2, utteranceId: 'u2', intent: null, at: 11 },
  ];
  const stored = (id: string, utteranceId: string, intent: string | null, labeledAt: number) => ({ id, utteranceId, intent, annotator: 'me', labeledAt });

  it('finds nothing when every change is there once', () => {
    const platform = [stored('L-1', 'u1', 'a', 10), stored('L-2', 'u2', null, 11), { ...stored('o-1', 'u1', 'b', 5), annotator: 'other' }];
    expect(checkPlatformLabels({ linkId: 'L', annotator: 'me', pushable, acknowledged: [{ utteranceId: 'u1', intent: 'a', at: 10 }], platform })).toEqual({ missing: [], duplicates: [] });
  });

  it('counts a change the platform lacks and a change it holds under two ids', () => {
    const platform = [stored('L-1', 'u1', 'a', 10), stored('L2-1', 'u1', 'a', 10)];
    const check = checkPlatformLabels({ linkId: 'L', annotator: 'me', pushable, acknowledged: [{ utteranceId: 'u2', intent: null, at: 11 }], platform });
    expect(check.missing).toHaveLength(2);
    expect(check.duplicates).toHaveLength(1);
  });
});

describe('findCallMismatches', () => {
  const isImported = (id: string) => id.startsWith('imp-');

  it('finds nothing when every call is there once and the imports are within what was sent', () => {
    expect(findCallMismatches({ callIds: ['c1', 'c2', 'imp-1', 'imp-2'], isImported, platformCalls: 2, importedAcknowledged: 1, importedUnknown: 3 })).toEqual([]);
  });

  it('reports a call stored twice, a platform call too many and an acknowledged import missing', () => {
    expect(findCallMismatches({ callIds: ['c1', 'c1', 'c2', 'c3'], isImported, platformCalls: 2, importedAcknowledged: 1, importedUnknown: 0 })).toEqual([
      'call c1 is stored more than once',
      '3 calls from the platform, whose feed has 2',
      '0 imported calls, fewer than the 1 acknowledged imports brought',
    ]);
  });
});
