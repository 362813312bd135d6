import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from '../../../lib/durable/durableFile';

/** Where platform tokens are kept. Electron passes one backed by safeStorage; browser mode uses a 0600 file. */
export interface SecretStore {
  /** The value saved under `key`, or null. */
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Forgets `key`; no error when it is absent. */
  delete(key: string): Promise<void>;
}

/** Reads a JSON object of strings from `path`; {} when the file is missing, an error naming the file when it is damaged. */
export async function readSecretsFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} is not a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Writes `secrets` to `path` atomically; the file is readable by the owner only (0600) from its first byte. */
export async function writeSecretsFile(path: string, secrets: Record<string, string>): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(secrets));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dir);
}

/** How values are sealed before they are written (encryption), and opened after they are read. */
export interface SecretCodec {
  seal(value: string): string;
  open(sealed: string): string;
}

const plainText: SecretCodec = { seal: (value) => value, open: (sealed) => sealed };

/**
 * Secrets in a file only the user can read (mode 0600): in plain text for browser mode, where no OS keychain is at
 * hand, or sealed by a codec (the desktop app passes one backed by Electron's safeStorage). Writes are serialized
 * and atomic.
 */
export class FileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly codec: SecretCodec = plainText,
  ) {}

  /** The default store: `secrets.json` in the app's data folder. */
  static inDataDir(dataDir: string): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets.json'));
  }

  async get(key: string): Promise<string | null> {
    await this.queue;
    const sealed = (await readSecretsFile(this.path))[key];
    return sealed === undefined ? null : this.codec.open(sealed);
  }

  set(key: string, value: string): Promise<void> {
    let sealed: string;
    try {
      sealed = this.codec.seal(value);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.update((all) => ({ ...all, [key]: sealed }));
  }

  delete(key: string): Promise<void> {
    return this.update((all) => Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
  }

  private update(change: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.queue.then(async () => {
      await writeSecretsFile(this.path, change(await readSecretsFile(this.path)));
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
