import { describe, expect, it } from 'vitest';
import { lookUpKey, type KeyTable } from './keyTable';

interface Press {
  readonly key: string;
  readonly armed?: boolean;
}
type Command = { readonly type: 'go' } | { readonly type: 'stop' } | { readonly type: 'fire' };

const table: KeyTable<Press, Command> = {
  g: { type: 'go' },
  Enter: { type: 'go' },
  Escape: { type: 'stop' },
  f: (press) => (press.armed ? { type: 'fire' } : null),
};

describe('lookUpKey', () => {
  it.each([
    ['g', { type: 'go' }],
    ['G', { type: 'go' }],
    ['Enter', { type: 'go' }],
    ['Escape', { type: 'stop' }],
    ['x', null],
    ['ENTER', null],
    ['constructor', null],
  ])('maps %j to %j, a letter in either case', (key, command) => {
    expect(lookUpKey(table, { key })).toEqual(command);
  });

  it('asks a function entry with the whole press', () => {
    expect(lookUpKey(table, { key: 'F', armed: true })).toEqual({ type: 'fire' });
    expect(lookUpKey(table, { key: 'f', armed: false })).toBeNull();
  });
});
