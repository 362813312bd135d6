import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseFaultSpec } from './faults';
import { startPlatform } from './server';

const usage = `Usage: npm run platform -- --port P --data DIR [options]
  --port P            port on 127.0.0.1 (0 picks a free one; default 4790)
  --data DIR          the platform's data folder (created when missing)
  --token T           the bearer token (default: DIR/token, generated on first start, mode 0600)
  --project NAME      the project to serve and simulate (created when missing; default demo)
  --simulate N/s      produce N new finished calls a second (default: none)
  --dataset FILE      simulate from a dialogue JSONL file instead of the demo generator
  --seed N            demo generator seed for a new project
  --allow-faults      enable POST /api/v1/_faults
  --faults SPEC       arm faults at start, e.g. fail=3,delay=1,delayMs=2000,truncate=1,hangUp=1,repeatIds=1,skipIds=1,match=/calls`;

/** `npm run platform`: the reference platform server. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4790' },
      data: { type: 'string' },
      token: { type: 'string' },
      project: { type: 'string' },
      simulate: { type: 'string' },
      dataset: { type: 'string' },
      seed: { type: 'string' },
      'allow-faults': { type: 'boolean', default: false },
      faults: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  if (!values.data) throw new Error(`--data DIR is required.\n${usage}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number, not "${values.seed}".`);
  const platform = await startPlatform({
    dataDir: resolve(values.data),
    port,
    ...(values.token !== undefined ? { token: values.token } : {}),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values.dataset !== undefined ? { dataset: resolve(values.dataset) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.simulate !== undefined ? { simulatePerSecond: parseRate(values.simulate) } : {}),
    allowFaults: values['allow-faults'],
    ...(values.faults !== undefined ? { faults: parseFaultSpec(values.faults) } : {}),
  });
  const p = platform.project;
  console.log(`Project "${p.name}": ${p.feed.headSeq} calls, ${p.labels.headSeq} labels, ${p.catalogue.intents.length} intents, active model ${p.models.activeVersion ?? 'none (catalogue baseline)'}.`);
  console.log(`Token: ${platform.token}`);
  console.log(`Platform is serving ${platform.url}`);
  let closing = false;
  const shutdown = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(text.trim());
  if (!m) throw new Error(`--simulate takes a rate like 5/s, not "${text}".`);
  return Number(m[1]);
}

main().catch((err: unknown) => {
  console.error(`The platform could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
