import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../shared/contract/menu';
import { buildMenuTemplate, type MenuOptions } from './menu';

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function build(overrides: Partial<MenuOptions> = {}): { items: MenuItemConstructorOptions[]; sent: MenuCommand[] } {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({
    appName: 'Callsift',
    platform: 'linux',
    isPackaged: true,
    sendCommand: (command) => sent.push(command),
    showAbout: () => sent.push({ command: 'navigate', view: 'settings' }),
    ...overrides,
  });
  return { items: flatten(template), sent };
}

function click(item: MenuItemConstructorOptions | undefined): void {
  if (!item?.click) throw new Error(`menu item ${item?.id ?? '?'} has no click handler`);
  (item.click as () => void)();
}

describe('buildMenuTemplate', () => {
  it('carries the app shortcuts and sends them as commands', () => {
    const { items, sent } = build();
    const byAccelerator = new Map(items.filter((i) => i.accelerator).map((i) => [i.accelerator, i]));
    const expected: [string, MenuCommand][] = [
      ['CmdOrCtrl+O', { command: 'import' }],
      ['CmdOrCtrl+E', { command: 'export' }],
      ['CmdOrCtrl+Z', { command: 'undo' }],
      ['CmdOrCtrl+1', { command: 'navigate', view: 'inbox' }],
      ['CmdOrCtrl+2', { command: 'navigate', view: 'label' }],
      ['CmdOrCtrl+3', { command: 'navigate', view: 'intents' }],
      ['CmdOrCtrl+4', { command: 'navigate', view: 'calls' }],
      ['CmdOrCtrl+,', { command: 'navigate', view: 'settings' }],
    ];
    for (const [accelerator] of expected) click(byAccelerator.get(accelerator));
    expect(sent).toEqual(expected.map(([, command]) => command));
    click(items.find((i) => i.id === 'openWorkspace'));
    expect(sent.at(-1)).toEqual({ command: 'openWorkspace' });
  });

  it('never uses the undo role, so Ctrl/Cmd+Z reaches the renderer', () => {
    const { items } = build();
    expect(items.some((i) => i.role === 'undo')).toBe(false);
    expect(items.filter((i) => i.accelerator === 'CmdOrCtrl+Z')).toHaveLength(1);
  });

  it('hides reload and developer tools in packaged builds only', () => {
    const roles = (isPackaged: boolean): unknown[] => build({ isPackaged }).items.map((i) => i.role);
    expect(roles(true)).not.toContain('toggleDevTools');
    expect(roles(true)).not.toContain('reload');
    expect(roles(false)).toContain('toggleDevTools');
    expect(roles(false)).toContain('reload');
    expect(roles(true)).toContain('zoomIn');
  });

  it('adds the application menu on macOS only', () => {
    const labels = (platform: NodeJS.Platform): unknown[] =>
      buildMenuTemplate({ appName: 'Callsift', platform, isPackaged: true, sendCommand: () => undefined, showAbout: () => undefined }).map(
        (menu) => menu.label ?? menu.role,
      );
    expect(labels('darwin')).toEqual(['Callsift', 'File', 'Edit', 'View', 'windowMenu', 'help']);
    expect(labels('linux')).toEqual(['File', 'Edit', 'View', 'help']);
    expect(labels('win32')).toEqual(['File', 'Edit', 'View', 'help']);
  });
});
