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
