/** The parts of a keyboard event every key mapping looks at. */
export interface KeyChord {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
}

/**
 * A view's key table: what each key means, as a command or as a function of the whole press (for keys whose meaning
 * depends on where the user is). A letter is written once, lower case, and stands for both cases.
 */
export type KeyTable<P, C> = Readonly<Record<string, C | ((press: P) => C | null)>>;

/** The command the table gives the press's key, or null when the key is not in it. */
export function lookUpKey<P extends { readonly key: string }, C extends object>(table: KeyTable<P, C>, press: P): C | null {
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  if (!Object.hasOwn(table, key)) return null;
  const entry = table[key]!;
  return typeof entry === 'function' ? entry(press) : entry;
}
