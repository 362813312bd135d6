import { expect } from 'vitest';

/** The `{name}` placeholders of a template, sorted. */
export const placeholders = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/**
 * Asserts that a translated wording table has exactly the English table's keys, each with the same placeholders (a
 * failure names the key). For tests of the sentence and term tables.
 */
export function expectSameKeysAndPlaceholders(translated: Readonly<Record<string, string>>, english: Readonly<Record<string, string>>): void {
  expect(Object.keys(translated).sort()).toEqual(Object.keys(english).sort());
  for (const [key, words] of Object.entries(english)) expect([key, placeholders(translated[key] ?? '')]).toEqual([key, placeholders(words)]);
}
