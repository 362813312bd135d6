import { join } from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, type SecretCodec } from '../services/sync/secretStore';

/**
 * Seals secrets with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet) as base64. Refuses to seal when the
 * OS offers no real encryption (Linux without a keyring falls back to a hard-coded key), rather than pretending.
 */
const safeStorageCodec: SecretCodec = {
  seal(value) {
    if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new Error('This system offers no encrypted storage for the platform token (no keychain or keyring is available).');
    }
    return safeStorage.encryptString(value).toString('base64');
  },
  open(sealed) {
    return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  },
};

/** Platform tokens encrypted with safeStorage in `${dataDir}/secrets.safe.json` (mode 0600). */
export class SafeStorageSecretStore extends FileSecretStore {
  constructor(dataDir: string) {
    super(join(dataDir, 'secrets.safe.json'), safeStorageCodec);
  }
}
