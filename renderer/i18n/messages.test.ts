import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import { findEnglishRuns } from '../../shared/text/englishRuns';
import en from './en';
import { ERROR_SENTENCES_ZH, ERROR_TERMS_ZH } from './errors.zh-CN';
import { RECOVERY_SENTENCES_ZH, RECOVERY_TERMS_ZH } from './recovery.zh-CN';
import zh from './zh-CN';

type Tree = { readonly [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

afterEach(() => vi.restoreAllMocks());

describe('UI messages', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(leaves(zh as unknown as Tree).map(([k]) => k).sort()).toEqual(leaves(en as unknown as Tree).map(([k]) => k).sort());
  });

  it.each([
    ['zh-CN', zh],
    ['en', en],
  ] as const)('compiles every %s message (a bare | or @ is vue-i18n syntax and breaks the view that shows it)', (locale, messages) => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    const i18n = createI18n({ legacy: false, locale, messages: { [locale]: messages }, missingWarn: false, fallbackWarn: false });
    const params = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? `<${name}>` : undefined), has: () => true });
    for (const [key] of leaves(messages as unknown as Tree)) {
      try {
        i18n.global.t(key, params as Record<string, unknown>);
      } catch (err) {
        errors.push(`${key}: ${String(err)}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it('finds no English sentence in any zh-CN message, error or recovery wording', () => {
    const all = [
      ...leaves(zh as unknown as Tree),
      ...Object.entries(ERROR_SENTENCES_ZH),
      ...Object.entries(ERROR_TERMS_ZH),
      ...Object.entries(RECOVERY_SENTENCES_ZH),
      ...Object.entries(RECOVERY_TERMS_ZH),
    ];
    expect(all.length).toBeGreaterThan(500);
    expect(all.filter(([, words]) => findEnglishRuns(words).length > 0)).toEqual([]);
  });
});
