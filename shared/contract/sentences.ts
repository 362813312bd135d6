/** A term of table `T` standing in a sentence, with its own parameters. */
export interface TermRef<T extends string> {
  readonly term: T;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A sentence parameter: a value as it is, or a term worded in the reader's language. */
export type SentenceParam<T extends string> = string | number | TermRef<T>;

/** One sentence to word in the reader's language: a key of a sentence table and its parameters. */
export interface Sentence<K extends string, T extends string> {
  readonly key: K;
  readonly params?: Readonly<Record<string, SentenceParam<T>>>;
}

/** Fills `{name}` placeholders; a missing parameter is left visible as `{name}` rather than hidden. */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Words each sentence with the given tables: `sentenceOf(key)` and `termOf(key)` return templates, its term
 * parameters are worded first. Null when a table lacks a sentence or term (a key from a newer sender).
 */
export function wordSentences<K extends string, T extends string>(
  sentences: readonly Sentence<K, T>[],
  sentenceOf: (key: K) => string | undefined,
  termOf: (key: T) => string | undefined,
): string[] | null {
  const out: string[] = [];
  for (const s of sentences) {
    const template = sentenceOf(s.key);
    if (template === undefined) return null;
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(s.params ?? {})) {
      if (typeof value !== 'object') {
        params[name] = value;
        continue;
      }
      const t = termOf(value.term);
      if (t === undefined) return null;
      params[name] = fillTemplate(t, value.params);
    }
    out.push(fillTemplate(template, params));
  }
  return out;
}
