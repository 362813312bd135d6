import { afterAll, beforeAll } from 'vitest';
import { startBarePlatform, startTestPlatform, tempRoot, type TestPlatform, type TestPlatformOptions } from './testPlatform';

// Vitest hooks around the platform fixtures (kept apart from testPlatform.ts, which the benches import outside Vitest).

/** Starts a test platform and app before the file's tests (handing it to `started`) and closes both after them. */
export function useTestPlatform(options: TestPlatformOptions, started: (tp: TestPlatform) => void): void {
  let tp: TestPlatform | undefined;
  beforeAll(async () => {
    tp = await startTestPlatform(options);
    started(tp);
  });
  afterAll(async () => {
    await tp?.close();
  });
}

/**
 * Starts a bare platform in a new temporary folder named with `prefix` before the file's tests, simulates `calls` calls
 * on its `demo` project and hands the folder and the platform to `started`; stops it and removes the folder after them.
 */
export function useSimulatedPlatform(prefix: string, calls: number, started: (root: string, platform: TestPlatform['platform']) => void): void {
  let temp: Awaited<ReturnType<typeof tempRoot>> | undefined;
  let bare: Awaited<ReturnType<typeof startBarePlatform>> | undefined;
  beforeAll(async () => {
    temp = await tempRoot(prefix);
    bare = await startBarePlatform(temp.root);
    const res = await bare.api.call('POST', '/projects/demo/simulate', { calls });
    if (res.status !== 200) throw new Error(`simulate answered ${res.status}`);
    started(temp.root, bare.platform);
  });
  afterAll(async () => {
    await bare?.stop();
    await temp?.remove();
  });
}
