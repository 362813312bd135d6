import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every error a service or bridge makes on purpose says what went wrong as sentences the UI words in its language
 * (shared/contract/errorWords.ts), never as an English message alone: no `new ContractError(code, 'words')`.
 */
const root = resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|vue)$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

describe('errors are sentences', () => {
  it('no service, bridge or renderer makes a ContractError from an English message alone', () => {
    const files = ['electron', 'shared', 'renderer'].flatMap((d) => sources(join(root, d)));
    expect(files.length).toBeGreaterThan(100);
    const bare: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/new ContractError\(\s*'[a-z_]+',\s*[`'"]/g)) {
        const line = text.slice(0, m.index).split('\n').length;
        bare.push(`${relative(root, file)}:${line}`);
      }
    }
    expect(bare).toEqual([]);
  });
});
