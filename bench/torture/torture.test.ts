import { describe, expect, it } from 'vitest';
import { runTorture } from './run';

describe('crash torture (quick)', () => {
  it('loses and doubles nothing acknowledged over at least 10 SIGKILLs of a labeling, importing, syncing server', async () => {
    const result = await runTorture({ quick: true, resultsDir: null, print: () => undefined });
    expect(result.problems).toEqual([]);
    expect(result.kills).toBeGreaterThanOrEqual(10);
    expect(result.acknowledged).toBeGreaterThan(100);
    expect({ lost: result.lost, catalogue: result.catalogue_mismatches, missing: result.platform_missing, duplicates: result.platform_duplicates }).toEqual({ lost: 0, catalogue: 0, missing: 0, duplicates: 0 });
    expect(result.cluster_mismatches).toBe(0);
    expect(result.call_mismatches).toBe(0);
    expect(result.start_failures).toBe(0);
  }, 170_000);
});
