/** Views the native menu can switch to. */
export type MenuView = 'inbox' | 'label' | 'intents' | 'calls' | 'settings';

/** Commands the native menu sends to the renderer. */
export type MenuCommandName = 'import' | 'export' | 'openWorkspace' | 'undo' | 'navigate';

/**
 * Payload of the `onDidMenuCommand` event. `undo` is sent for Ctrl/Cmd+Z from the menu: the renderer decides
 * whether it undoes text in a focused field or the last label. `navigate` carries the target `view`.
 */
export interface MenuCommand {
  readonly command: MenuCommandName;
  readonly view?: MenuView;
}

/** Event name the native menu's commands arrive under (on the same channel as service events). */
export const menuCommandEvent = 'onDidMenuCommand';
