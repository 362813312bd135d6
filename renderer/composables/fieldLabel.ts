import { FIELD_NAMES_EN, FIELD_NAMES_ZH } from '../i18n/fieldNames';

type Names = Readonly<Record<string, string>>;

/** The name of one field id in a table, or undefined. */
function lookup(names: Names, id: string): string | undefined {
  return Object.hasOwn(names, id) ? names[id] : undefined;
}

/**
 * What a field an error names (`name`, `target.intentId`, `slots.3`) is called in the UI's language: the whole path
 * when it has a name, else its first named segment, with a list position said as "第 4 项" / "item 4". A field this
 * UI has no name for (a newer server's) reads as its id.
 */
export function fieldLabel(field: string, locale: string): string {
  const zh = locale.startsWith('zh');
  const names: Names = zh ? FIELD_NAMES_ZH : FIELD_NAMES_EN;
  const segments = field.split('.');
  const named = segments.filter((s) => !/^\d+$/.test(s));
  const index = segments.find((s) => /^\d+$/.test(s));
  const base = lookup(names, named.join('.')) ?? lookup(names, named[0] ?? '');
  if (base === undefined) return field;
  if (index === undefined) return base;
  const n = Number(index) + 1;
  return zh ? `${base}（第 ${n} 项）` : `${base} (item ${n})`;
}
