import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds a Chromium-family browser for the Playwright flows and the UI benchmark, on Linux, macOS and Windows:
 * CALLSIFT_BROWSER (or CHROME_PATH) when set, else Chromium, Chrome or Edge on the PATH or at their usual install
 * places. Returns null when there is none; `browserMissingMessage` says what to do.
 */
export function findBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  const explicit = env.CALLSIFT_BROWSER || env.CHROME_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : null;
  for (const candidate of candidates(env, platform)) if (isExecutable(candidate)) return candidate;
  return null;
}

export function browserMissingMessage(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CALLSIFT_BROWSER || env.CHROME_PATH;
  if (explicit) return `The browser named by ${env.CALLSIFT_BROWSER ? 'CALLSIFT_BROWSER' : 'CHROME_PATH'} (${explicit}) does not exist or cannot be run.`;
  return (
    'No Chromium, Google Chrome or Microsoft Edge was found for the browser tests. Install one ' +
    '(Debian/Ubuntu: apt-get install chromium; macOS and Windows: Chrome or Edge) or set CALLSIFT_BROWSER to its executable.'
  );
}

function candidates(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string[] {
  const pathDirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter(Boolean);
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
    const roots = ['/Applications', env.HOME ? join(env.HOME, 'Applications') : null].filter((r): r is string => r !== null);
    return roots.flatMap((r) => apps.map((a) => join(r, a)));
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.ProgramFiles, env['ProgramFiles(x86)']].filter((r): r is string => !!r);
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe', 'Chromium\\Application\\chrome.exe'];
    return [...roots.flatMap((r) => apps.map((a) => `${r}\\${a}`)), ...pathDirs.flatMap((d) => ['chrome.exe', 'msedge.exe'].map((n) => `${d}\\${n}`))];
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
  return [...names.flatMap((n) => pathDirs.map((d) => join(d, n))), ...names.map((n) => join('/usr/bin', n)), '/snap/bin/chromium'];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
