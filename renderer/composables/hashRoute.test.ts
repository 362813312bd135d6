import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './hashRoute';

describe('hash routes', () => {
  it('reads views, queues and call ids', () => {
    expect(parseHash('#/label')).toEqual({ view: 'label', queue: 'unlabeled', callId: null });
    expect(parseHash('#/label/recent')).toEqual({ view: 'label', queue: 'recent', callId: null });
    expect(parseHash('#/label/mislabeled')).toEqual({ view: 'label', queue: 'mislabeled', callId: null });
    expect(parseHash('#/inbox/disagreements')).toEqual({ view: 'inbox', queue: 'disagreements', callId: null });
    expect(parseHash('#/label/bogus')).toEqual({ view: 'label', queue: 'unlabeled', callId: null });
    expect(parseHash('#/models')).toEqual({ view: 'models', queue: 'unlabeled', callId: null });
    expect(parseHash('#/discovery')).toEqual({ view: 'discovery', queue: 'unlabeled', callId: null });
    expect(parseHash('#/calls/c%2317')).toEqual({ view: 'calls', queue: 'unlabeled', callId: 'c#17' });
    expect(parseHash('')).toEqual({ view: 'inbox', queue: 'unlabeled', callId: null });
    expect(parseHash('#/nowhere')).toEqual({ view: 'inbox', queue: 'unlabeled', callId: null });
  });

  it('writes what it reads', () => {
    for (const h of ['#/label', '#/label/recent', '#/inbox', '#/intents', '#/calls/c%2317', '#/settings', '#/models', '#/discovery', '#/label/uncovered', '#/inbox/informative']) {
      expect(formatHash(parseHash(h))).toBe(h);
    }
  });
});
