import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncDirectory } from '../lib/durable/durableFile';

/**
 * The bearer token: `given` when set, else the one saved in `<data>/token`, else a new random one
 * saved there. The file is kept at mode 0600 (owner only).
 */
export async function resolveToken(dataDir: string, given?: string): Promise<string> {
  if (given !== undefined) {
    if (given.trim() === '') throw new Error('--token must not be empty.');
    return given;
  }
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, 'token');
  const saved = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (saved !== null && saved.trim() !== '') {
    if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
    return saved.trim();
  }
  const token = randomBytes(24).toString('base64url');
  await writeOwnerOnly(path, token + '\n');
  return token;
}

async function writeOwnerOnly(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDirectory(dirname(path));
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
