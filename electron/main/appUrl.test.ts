import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appEntryUrl, isAppUrl, resolveAppFile, type RendererSource } from './appUrl';

const dir = join('/opt', 'callsift', 'out', 'renderer');
const bundle: RendererSource = { kind: 'bundle', dir };
const dev: RendererSource = { kind: 'devServer', url: 'http://localhost:5173/' };

describe('isAppUrl', () => {
  it('accepts only our own origin', () => {
    expect(isAppUrl(appEntryUrl, bundle)).toBe(true);
    expect(isAppUrl('app://callsift/assets/x.js', bundle)).toBe(true);
    expect(isAppUrl('app://evil/index.html', bundle)).toBe(false);
    expect(isAppUrl('file:///opt/callsift/out/renderer/index.html', bundle)).toBe(false);
    expect(isAppUrl('https://example.com/', bundle)).toBe(false);
    expect(isAppUrl('not a url', bundle)).toBe(false);
  });

  it('accepts the dev server origin only in dev', () => {
    expect(isAppUrl('http://localhost:5173/#/label', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl(appEntryUrl, dev)).toBe(false);
  });
});

describe('resolveAppFile', () => {
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppFile(dir, 'app://callsift/')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://callsift/index.html')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://callsift/assets/index-abc.js?v=1#x')).toBe(join(dir, 'assets', 'index-abc.js'));
  });

  it('keeps dot segments inside the folder', () => {
    expect(resolveAppFile(dir, 'app://callsift/%2e%2e/%2e%2e/main/index.js')).toBe(join(dir, 'main', 'index.js'));
    expect(resolveAppFile(dir, 'app://callsift/../../main/index.js')).toBe(join(dir, 'main', 'index.js'));
  });

  it('refuses other hosts and paths escaping the folder', () => {
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppFile(dir, 'app://callsift/assets/..%2f..%2f..%2fsecret')).toBeNull();
    expect(resolveAppFile(dir, 'app://callsift/..%5c..%5csecret')).toBeNull();
    expect(resolveAppFile(dir, 'app://callsift/a%00b')).toBeNull();
    expect(resolveAppFile(dir, 'app://callsift/%E0%A4%A')).toBeNull();
  });
});
