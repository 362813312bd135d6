/**
 * Writes the demo workspace as JSONL, one call per line:
 *   npx tsx resources/demo/generate.ts --seed 20261124 --calls 3200 --out demo.jsonl [--intents intents.json]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildDemoIntents, DEMO_DEFAULT_CALLS, DEMO_DEFAULT_SEED } from './demoGenerator';
import { writeDemoJsonl } from './demoJsonl';

function toInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      calls: { type: 'string' },
      out: { type: 'string' },
      intents: { type: 'string' },
    },
  });
  if (!values.out) throw new Error('usage: generate.ts --out FILE.jsonl [--seed N] [--calls N] [--intents FILE.json]');
  const seed = toInteger('seed', values.seed, DEMO_DEFAULT_SEED);
  const calls = toInteger('calls', values.calls, DEMO_DEFAULT_CALLS);
  const started = performance.now();
  const summary = await writeDemoJsonl(values.out, { seed, calls });
  if (values.intents) await writeFile(values.intents, JSON.stringify(buildDemoIntents(), null, 2) + '\n', 'utf8');
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  process.stderr.write(
    `wrote ${summary.calls} calls, ${summary.utterances} user utterances, ${summary.labels} labels (${summary.wrongLabels} deliberately wrong) to ${values.out} in ${seconds}s\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
