import { describe, expect, it } from 'vitest';
import { resolveDiscoveryKey } from './discoveryKeys';

describe('discovery keys', () => {
  it('moves between clusters with j/k and the arrows, and acts on the selected one', () => {
    const on = (key: string) => resolveDiscoveryKey({ key, tab: 'clusters' });
    expect(on('j')).toEqual({ type: 'move', delta: 1 });
    expect(on('ArrowDown')).toEqual({ type: 'move', delta: 1 });
    expect(on('k')).toEqual({ type: 'move', delta: -1 });
    expect(on('ArrowUp')).toEqual({ type: 'move', delta: -1 });
    expect(on('Enter')).toEqual({ type: 'focusName' });
    expect(on('a')).toEqual({ type: 'accept' });
    expect(on('m')).toEqual({ type: 'merge' });
    expect(on('d')).toEqual({ type: 'dismiss' });
    expect(on('s')).toEqual({ type: 'split' });
    expect(on('y')).toBeNull();
    expect(resolveDiscoveryKey({ key: 'z', ctrlKey: true, tab: 'clusters' })).toEqual({ type: 'undo' });
    expect(resolveDiscoveryKey({ key: 'z', metaKey: true, tab: 'clusters' })).toEqual({ type: 'undo' });
    expect(resolveDiscoveryKey({ key: 'a', altKey: true, tab: 'clusters' })).toBeNull();
  });

  it('leaves typing alone: in the name field Enter accepts and Escape leaves, other fields only Escape', () => {
    expect(resolveDiscoveryKey({ key: 'a', tab: 'clusters', inName: true })).toBeNull();
    expect(resolveDiscoveryKey({ key: 'z', ctrlKey: true, tab: 'clusters', inName: true })).toBeNull();
    expect(resolveDiscoveryKey({ key: 'Enter', tab: 'clusters', inName: true })).toEqual({ type: 'accept' });
    expect(resolveDiscoveryKey({ key: 'Escape', tab: 'clusters', inName: true })).toEqual({ type: 'leaveField' });
    expect(resolveDiscoveryKey({ key: 'd', tab: 'clusters', inField: true })).toBeNull();
    expect(resolveDiscoveryKey({ key: 'Enter', tab: 'clusters', inField: true })).toBeNull();
    expect(resolveDiscoveryKey({ key: 'Escape', tab: 'clusters', inField: true })).toEqual({ type: 'leaveField' });
    expect(resolveDiscoveryKey({ key: 'j', tab: 'clusters', dialogOpen: true })).toBeNull();
  });

  it('accepts, skips and ticks expansion candidates', () => {
    const on = (key: string) => resolveDiscoveryKey({ key, tab: 'expand' });
    expect(on('j')).toEqual({ type: 'move', delta: 1 });
    expect(on('Enter')).toEqual({ type: 'acceptCandidate' });
    expect(on('y')).toEqual({ type: 'acceptCandidate' });
    expect(on('x')).toEqual({ type: 'skipCandidate' });
    expect(on(' ')).toEqual({ type: 'toggleCandidate' });
    expect(on('a')).toBeNull();
    expect(resolveDiscoveryKey({ key: 'z', ctrlKey: true, tab: 'expand' })).toBeNull();
  });

  it('has no keys of its own on the cleanup tab', () => {
    for (const key of ['j', 'k', 'Enter', 'a', 'y', 'x']) expect(resolveDiscoveryKey({ key, tab: 'cleanup' })).toBeNull();
  });
});
