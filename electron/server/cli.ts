import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServiceHost } from '../services';
import { startHttpBridge } from './httpBridge';
import { log, openLog } from '../services/log';

const usage = `Usage: npm run serve -- [--port P] [--workspace DIR] [--data-dir DIR] [--static DIR] [--allow DIR]…
  --port P         port on 127.0.0.1 (default 4780; 0 picks a free one)
  --workspace DIR  open (or create) the workspace in DIR instead of the last one / the demo
  --data-dir DIR   where settings and the demo workspace live (default ~/.callsift)
  --static DIR     the built UI (default out/renderer)
  --allow DIR      a folder that imports, exports and workspaces may use besides the workspace and the data dir
                   (repeatable)
It prints "Callsift is serving http://127.0.0.1:PORT/?secret=SECRET": open that link (the secret changes at every
start); scripts send "Authorization: Bearer SECRET".`;

/** Browser mode: the same services as the desktop app behind a local HTTP bridge. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4780' },
      workspace: { type: 'string' },
      'data-dir': { type: 'string' },
      static: { type: 'string' },
      allow: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const allow = values.allow.map((dir) => resolve(dir));
  for (const dir of allow) {
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) throw new Error(`--allow ${dir}: not an existing folder.`);
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dataDir = resolve(values['data-dir'] ?? process.env.CALLSIFT_DATA_DIR ?? join(homedir(), '.callsift'));
  openLog(dataDir);
  const host = await createServiceHost({ dataDir, mode: 'browser', ...(values.workspace ? { workspaceFolder: values.workspace } : {}) });
  const info = await host.services.workspace.getInfo({});
  for (const notice of info.recovery) {
    console.warn(`Recovered ${notice.file}: ${notice.message}`);
    log.warn('workspace.recovered', notice.message, { file: notice.file });
  }
  const bridge = await startHttpBridge(host, { port, staticDir: resolve(values.static ?? join(root, 'out', 'renderer')), allow });
  console.log(`Workspace "${info.name}" (${info.folder}): ${info.calls} calls, ${info.utterances} utterances, ${info.labeled} labeled.`);
  console.log(`Paths in calls are confined to: ${bridge.roots.map((r) => `${r.name} ${r.path}`).join(', ')}.`);
  // The secret goes to this terminal only: never to a file or the command line, which other local users could read.
  console.log(`Callsift is serving ${bridge.loginUrl}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await bridge.close();
    const problem = await host.close();
    if (problem) {
      console.error(`Callsift stopped, but not everything could be saved: ${problem}`);
      log.error('server.stop', problem);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`Callsift could not start: ${err instanceof Error ? err.message : String(err)}`);
  log.error('server.start', err);
  process.exit(1);
});
