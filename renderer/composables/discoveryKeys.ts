import { onBeforeUnmount, onMounted } from 'vue';
import { lookUpKey, type KeyChord, type KeyTable } from './keyTable';
import { isTextField } from './labelKeys';

/** The Discovery view's tabs. */
export type DiscoveryTab = 'clusters' | 'expand' | 'cleanup';

/** What a key press means in the Discovery view. */
export type DiscoveryCommand =
  | { readonly type: 'move'; readonly delta: 1 | -1 }
  | { readonly type: 'focusName' }
  | { readonly type: 'accept' }
  | { readonly type: 'merge' }
  | { readonly type: 'dismiss' }
  | { readonly type: 'split' }
  | { readonly type: 'toggleAtypical' }
  | { readonly type: 'undo' }
  | { readonly type: 'leaveField' }
  | { readonly type: 'acceptCandidate' }
  | { readonly type: 'skipCandidate' }
  | { readonly type: 'toggleCandidate' };

/** The parts of a keyboard event the mapping looks at. */
export interface DiscoveryKeyPress extends KeyChord {
  readonly tab: DiscoveryTab;
  /** True while the cluster name field has the focus. */
  readonly inName?: boolean;
  /** True while any other text field has the focus. */
  readonly inField?: boolean;
  /** True while a dialog (the merge picker) is open: the view's keys wait. */
  readonly dialogOpen?: boolean;
}

/** The keys of the Clusters tab. */
const CLUSTER_KEYS: KeyTable<DiscoveryKeyPress, DiscoveryCommand> = {
  Enter: { type: 'focusName' },
  a: { type: 'accept' },
  m: { type: 'merge' },
  d: { type: 'dismiss' },
  s: { type: 'split' },
  i: { type: 'toggleAtypical' },
};

/** The keys of the Expand tab. */
const EXPAND_KEYS: KeyTable<DiscoveryKeyPress, DiscoveryCommand> = {
  Enter: { type: 'acceptCandidate' },
  y: { type: 'acceptCandidate' },
  x: { type: 'skipCandidate' },
  ' ': { type: 'toggleCandidate' },
};

/** Maps a key press to a Discovery command, or null when the key should do its usual thing. */
export function resolveDiscoveryKey(press: DiscoveryKeyPress): DiscoveryCommand | null {
  const { key, tab } = press;
  if (press.dialogOpen) return null;
  if (press.inName) {
    if (key === 'Enter' && !press.ctrlKey && !press.metaKey && !press.altKey) return { type: 'accept' };
    if (key === 'Escape') return { type: 'leaveField' };
    return null;
  }
  if (press.inField) return key === 'Escape' ? { type: 'leaveField' } : null;
  const mod = press.ctrlKey === true || press.metaKey === true;
  if (mod) return (key === 'z' || key === 'Z') && tab === 'clusters' ? { type: 'undo' } : null;
  if (press.altKey) return null;
  if (key === 'j' || key === 'J' || key === 'ArrowDown') return tab === 'cleanup' ? null : { type: 'move', delta: 1 };
  if (key === 'k' || key === 'K' || key === 'ArrowUp') return tab === 'cleanup' ? null : { type: 'move', delta: -1 };
  if (tab === 'clusters') return lookUpKey(CLUSTER_KEYS, press);
  if (tab === 'expand') return lookUpKey(EXPAND_KEYS, press);
  return null;
}

/** The `leaveField` command: the focused field (or control) gives the focus up, so the view's keys act again. */
function leaveField(): void {
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
}

/** Where the key listener looks for the current context. */
export interface DiscoveryKeyContext {
  tab: () => DiscoveryTab;
  isName: (el: Element | null) => boolean;
  dialogOpen: () => boolean;
}

/**
 * Listens to window key presses while the calling component is mounted and hands each Discovery command to `handle`,
 * except `leaveField`, which it carries out itself (the focused field gives the focus up).
 */
export function useDiscoveryKeys(handle: (command: DiscoveryCommand) => void, context: DiscoveryKeyContext): void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    const active = document.activeElement;
    const inName = context.isName(active);
    const inField = !inName && (isTextField(active) || (active instanceof HTMLElement && active.closest('[role="dialog"], .n-base-selection') !== null));
    const command = resolveDiscoveryKey({
      key: event.key,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      tab: context.tab(),
      inName,
      inField,
      dialogOpen: context.dialogOpen(),
    });
    if (!command) return;
    event.preventDefault();
    if (command.type === 'leaveField') leaveField();
    else handle(command);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
