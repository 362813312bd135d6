import { onBeforeUnmount, onMounted } from 'vue';
import { lookUpKey, type KeyChord, type KeyTable } from './keyTable';

/** What a key press means in the Label view. */
export type LabelCommand =
  | { readonly type: 'pick'; readonly index: number }
  | { readonly type: 'pickSuggestion'; readonly index: number }
  | { readonly type: 'accept' }
  | { readonly type: 'move'; readonly delta: 1 | -1 }
  | { readonly type: 'none' }
  | { readonly type: 'badTranscript' }
  | { readonly type: 'skip' }
  | { readonly type: 'undo' }
  | { readonly type: 'focusSearch' }
  | { readonly type: 'leaveSearch' }
  | { readonly type: 'help' }
  | { readonly type: 'history' }
  | { readonly type: 'leaveHistory' }
  | { readonly type: 'acceptSuggestion' }
  | { readonly type: 'keepLabel' }
  | { readonly type: 'pinCase' };

/** The parts of a keyboard event the mapping looks at. */
export interface KeyPress extends KeyChord {
  /** True while the picker's search box has the focus. */
  readonly inSearch: boolean;
  /** True while another text field (not the search box) has the focus. */
  readonly inOtherField?: boolean;
  /** True in a review queue (Likely mislabeled, Disagreements), where A accepts the suggestion and K keeps the label. */
  readonly review?: boolean;
  /** True while the history sidebar has the keyboard (H entered it), where Esc returns to the current item. */
  readonly inHistory?: boolean;
}

/** The Label view's keys outside the search box (digits pick, Ctrl/⌘+Z undoes: see `resolveLabelKey`). */
const LABEL_KEYS: KeyTable<KeyPress, LabelCommand> = {
  Enter: { type: 'accept' },
  ArrowDown: { type: 'move', delta: 1 },
  ArrowUp: { type: 'move', delta: -1 },
  n: { type: 'none' },
  b: { type: 'badTranscript' },
  s: { type: 'skip' },
  ArrowRight: { type: 'skip' },
  '/': { type: 'focusSearch' },
  '?': { type: 'help' },
  h: { type: 'history' },
  Escape: (press) => (press.inHistory ? { type: 'leaveHistory' } : null),
  q: { type: 'pickSuggestion', index: 0 },
  w: { type: 'pickSuggestion', index: 1 },
  e: { type: 'pickSuggestion', index: 2 },
  a: (press) => (press.review ? { type: 'acceptSuggestion' } : null),
  k: (press) => (press.review ? { type: 'keepLabel' } : null),
  p: { type: 'pinCase' },
};

/** Maps a key press to a labeling command, or null when the key should do its usual thing. */
export function resolveLabelKey(press: KeyPress): LabelCommand | null {
  const { key } = press;
  const mod = press.ctrlKey === true || press.metaKey === true;
  if (press.inOtherField) return null;
  if (press.inSearch) {
    if (key === 'Enter') return { type: 'accept' };
    // Digits pick from the filtered list: intent names are searched by words and pinyin, not numbers.
    if (!mod && !press.altKey && key.length === 1 && key >= '1' && key <= '9') return { type: 'pick', index: Number(key) - 1 };
    if (key === 'ArrowDown') return { type: 'move', delta: 1 };
    if (key === 'ArrowUp') return { type: 'move', delta: -1 };
    if (key === 'Escape') return { type: 'leaveSearch' };
    return null;
  }
  if (mod) return key === 'z' || key === 'Z' ? { type: 'undo' } : null;
  if (press.altKey) return null;
  if (key.length === 1 && key >= '1' && key <= '9') return { type: 'pick', index: Number(key) - 1 };
  return lookUpKey(LABEL_KEYS, press);
}

/** What the picker exposes to the views' key handlers. */
export interface PickerKeysTarget {
  pick(index: number): boolean;
  pickSuggestion(index: number): boolean;
  accept(): boolean;
  focus(): void;
  blur(): void;
}

/** Runs the commands every labeling view gives to its picker the same way; false for the others. */
export function runPickerCommand(picker: PickerKeysTarget | null | undefined, command: LabelCommand): boolean {
  switch (command.type) {
    case 'pick':
      picker?.pick(command.index);
      return true;
    case 'pickSuggestion':
      picker?.pickSuggestion(command.index);
      return true;
    case 'accept':
      picker?.accept();
      return true;
    case 'focusSearch':
      picker?.focus();
      return true;
    case 'leaveSearch':
      picker?.blur();
      return true;
    default:
      return false;
  }
}

/** True when the element is a text field the user types in. */
export function isTextField(el: Element | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || (el instanceof HTMLElement && el.isContentEditable);
}

/**
 * Listens to window key presses while the calling component is mounted and hands each labeling command to `handle`.
 * `isSearch(el)` tells whether the focused element is the picker's search box; `isReview()` whether the
 * review keys (A, K) apply; `inHistory()` whether the history sidebar has the keyboard.
 */
export function useLabelKeys(
  handle: (command: LabelCommand) => void,
  isSearch: (el: Element | null) => boolean,
  isReview: () => boolean = () => false,
  inHistory: () => boolean = () => false,
): void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    const active = document.activeElement;
    const inSearch = isSearch(active);
    const command = resolveLabelKey({
      key: event.key,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      inSearch,
      inOtherField: !inSearch && isTextField(active),
      review: isReview(),
      inHistory: inHistory(),
    });
    if (!command) return;
    event.preventDefault();
    handle(command);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
