import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../shared/contract/dispatch';
import { ContractError } from '../../../shared/contract/errors';
import type { Services } from '../../../shared/contract/services';
import { recordCallFailure, useLogger, type LogFields, type Logger } from './index';

interface Heard {
  readonly level: 'error' | 'warn';
  readonly event: string;
  readonly err: unknown;
  readonly fields?: LogFields;
}

function listening(): { heard: Heard[]; logger: Logger } {
  const heard: Heard[] = [];
  return {
    heard,
    logger: {
      error: (event, err, fields) => heard.push({ level: 'error', event, err, ...(fields ? { fields } : {}) }),
      warn: (event, err, fields) => heard.push({ level: 'warn', event, err, ...(fields ? { fields } : {}) }),
      info: () => undefined,
    },
  };
}

describe('failed contract calls in the log', () => {
  it('records what a service threw through dispatch, with the method: unexpected as error, expected as warn', async () => {
    const { heard, logger } = listening();
    const restore = useLogger(logger);
    const crash = new TypeError('x is undefined');
    const services = {
      label: { getHistory: () => Promise.reject(crash) },
      intent: { listIntents: () => Promise.reject(new ContractError('not_found', 'No such intent.')) },
    } as unknown as Services;
    try {
      const a = await dispatch(services, 'label.getHistory', { utteranceId: 'u1' }, undefined, recordCallFailure);
      const b = await dispatch(services, 'intent.listIntents', {}, undefined, recordCallFailure);
      // A refused argument never reaches a service: nothing thrown, nothing recorded.
      const c = await dispatch(services, 'label.getHistory', { utteranceId: 42 }, undefined, recordCallFailure);
      expect([a.ok, b.ok, c.ok]).toEqual([false, false, false]);
    } finally {
      restore();
    }
    expect(heard).toEqual([
      { level: 'error', event: 'call.failed', err: crash, fields: { method: 'label.getHistory' } },
      { level: 'warn', event: 'call.failed', err: expect.any(ContractError), fields: { method: 'intent.listIntents', code: 'not_found' } },
    ]);
  });
});
