import { describe, expect, it } from 'vitest';
import { resolveLabelKey } from './labelKeys';

describe('resolveLabelKey', () => {
  it('maps digits, N, B, S, arrows, Enter, / and ? outside the search box', () => {
    const k = (key: string) => resolveLabelKey({ key, inSearch: false });
    expect(k('1')).toEqual({ type: 'pick', index: 0 });
    expect(k('9')).toEqual({ type: 'pick', index: 8 });
    expect(k('0')).toBeNull();
    expect(k('n')).toEqual({ type: 'none' });
    expect(k('B')).toEqual({ type: 'badTranscript' });
    expect(k('s')).toEqual({ type: 'skip' });
    expect(k('ArrowRight')).toEqual({ type: 'skip' });
    expect(k('ArrowDown')).toEqual({ type: 'move', delta: 1 });
    expect(k('Enter')).toEqual({ type: 'accept' });
    expect(k('/')).toEqual({ type: 'focusSearch' });
    expect(k('?')).toEqual({ type: 'help' });
    expect(k('x')).toBeNull();
  });

  it('maps Ctrl+Z and Cmd+Z to undo, other chords to nothing', () => {
    expect(resolveLabelKey({ key: 'z', ctrlKey: true, inSearch: false })).toEqual({ type: 'undo' });
    expect(resolveLabelKey({ key: 'z', metaKey: true, inSearch: false })).toEqual({ type: 'undo' });
    expect(resolveLabelKey({ key: '1', ctrlKey: true, inSearch: false })).toBeNull();
    expect(resolveLabelKey({ key: 'z', inSearch: false })).toBeNull();
  });

  it('lets letters type into the search box while digits pick from the results; Enter, arrows and Escape still act', () => {
    const k = (key: string, ctrlKey = false) => resolveLabelKey({ key, ctrlKey, inSearch: true });
    expect(k('1')).toEqual({ type: 'pick', index: 0 });
    expect(k('9')).toEqual({ type: 'pick', index: 8 });
    expect(k('0')).toBeNull();
    expect(k('n')).toBeNull();
    expect(k('q')).toBeNull();
    expect(k('z', true)).toBeNull();
    expect(k('Enter')).toEqual({ type: 'accept' });
    expect(k('ArrowUp')).toEqual({ type: 'move', delta: -1 });
    expect(k('Escape')).toEqual({ type: 'leaveSearch' });
  });

  it('binds Q, W and E to the suggestion row outside the search box', () => {
    expect(resolveLabelKey({ key: 'q', inSearch: false })).toEqual({ type: 'pickSuggestion', index: 0 });
    expect(resolveLabelKey({ key: 'W', inSearch: false })).toEqual({ type: 'pickSuggestion', index: 1 });
    expect(resolveLabelKey({ key: 'e', inSearch: false })).toEqual({ type: 'pickSuggestion', index: 2 });
  });

  it('ignores every key while another text field has the focus', () => {
    expect(resolveLabelKey({ key: '1', inSearch: false, inOtherField: true })).toBeNull();
    expect(resolveLabelKey({ key: 'Enter', inSearch: false, inOtherField: true })).toBeNull();
  });

  it('maps A and K only in a review queue, and never inside the search box', () => {
    expect(resolveLabelKey({ key: 'a', inSearch: false, review: true })).toEqual({ type: 'acceptSuggestion' });
    expect(resolveLabelKey({ key: 'K', inSearch: false, review: true })).toEqual({ type: 'keepLabel' });
    expect(resolveLabelKey({ key: 'a', inSearch: false })).toBeNull();
    expect(resolveLabelKey({ key: 'k', inSearch: false, review: false })).toBeNull();
    expect(resolveLabelKey({ key: 'a', inSearch: true, review: true })).toBeNull();
    expect(resolveLabelKey({ key: 'a', ctrlKey: true, inSearch: false, review: true })).toBeNull();
  });

});

describe.each([
  ['P', 'pinCase', 'pins a must-not-break case in every queue'],
  ['H', 'history', 'opens the history'],
] as const)('the %s key', (upper, type, what) => {
  const lower = upper.toLowerCase();
  it(`${what} outside the search box, in either case; inside it or with Ctrl it does nothing`, () => {
    expect(resolveLabelKey({ key: lower, inSearch: false })).toEqual({ type });
    expect(resolveLabelKey({ key: upper, inSearch: false, review: true, inHistory: true })).toEqual({ type });
    expect(resolveLabelKey({ key: lower, inSearch: true })).toBeNull();
    expect(resolveLabelKey({ key: lower, ctrlKey: true, inSearch: false })).toBeNull();
  });
});

describe('the history keys', () => {
  it('takes Escape to leave the history only while in it; in the search box Escape leaves the search first', () => {
    expect(resolveLabelKey({ key: 'Escape', inSearch: false, inHistory: true })).toEqual({ type: 'leaveHistory' });
    expect(resolveLabelKey({ key: 'Escape', inSearch: false })).toBeNull();
    expect(resolveLabelKey({ key: 'Escape', inSearch: true, inHistory: true })).toEqual({ type: 'leaveSearch' });
  });

  it('keeps digits, arrows and Enter as they are, for the view to aim at the past item', () => {
    expect(resolveLabelKey({ key: '3', inSearch: false, inHistory: true })).toEqual({ type: 'pick', index: 2 });
    expect(resolveLabelKey({ key: 'ArrowDown', inSearch: false, inHistory: true })).toEqual({ type: 'move', delta: 1 });
    expect(resolveLabelKey({ key: 'Enter', inSearch: false, inHistory: true })).toEqual({ type: 'accept' });
  });
});

describe('runPickerCommand', () => {
  it('hands picks, Enter and search focus to the picker, and leaves the rest to the view', async () => {
    const { runPickerCommand } = await import('./labelKeys');
    const calls: string[] = [];
    const picker = {
      pick: (i: number) => (calls.push(`pick ${i}`), true),
      pickSuggestion: (i: number) => (calls.push(`suggestion ${i}`), true),
      accept: () => (calls.push('accept'), true),
      focus: () => void calls.push('focus'),
      blur: () => void calls.push('blur'),
    };
    expect(runPickerCommand(picker, { type: 'pick', index: 2 })).toBe(true);
    expect(runPickerCommand(picker, { type: 'pickSuggestion', index: 0 })).toBe(true);
    expect(runPickerCommand(picker, { type: 'accept' })).toBe(true);
    expect(runPickerCommand(picker, { type: 'focusSearch' })).toBe(true);
    expect(runPickerCommand(picker, { type: 'leaveSearch' })).toBe(true);
    expect(runPickerCommand(picker, { type: 'none' })).toBe(false);
    expect(runPickerCommand(picker, { type: 'move', delta: 1 })).toBe(false);
    expect(calls).toEqual(['pick 2', 'suggestion 0', 'accept', 'focus', 'blur']);
  });
});
