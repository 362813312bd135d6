import { join } from 'node:path';
import { safeStorage } from 'electron';
import { readSecretsFile, writeSecretsFile, type SecretStore } from '../services/sync/secretStore';

/**
 * Secrets encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) and kept as base64
 * in `${dataDir}/secrets.safe.json` (mode 0600). Refuses to store a secret when the OS offers no real
 * encryption (Linux without a keyring falls back to a hard-coded key), rather than pretending.
 */
export class SafeStorageSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.safe.json');
  }

  async get(key: string): Promise<string | null> {
    await this.queue;
    const sealed = (await readSecretsFile(this.path))[key];
    if (sealed === undefined) return null;
    return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  set(key: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      return Promise.reject(new Error('This system offers no encrypted storage for the platform token (no keychain or keyring is available).'));
    }
    const sealed = safeStorage.encryptString(value).toString('base64');
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
