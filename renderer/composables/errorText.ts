import type { ContractErrorData } from '../../shared/contract/errors';
import { ERROR_SENTENCES_EN, ERROR_TERMS_EN, wordError, type ErrorSentence } from '../../shared/contract/errorWords';
import { fillTemplate } from '../../shared/contract/recovery';
import en from '../i18n/en';
import { ERROR_SENTENCES_ZH, ERROR_TERMS_ZH } from '../i18n/errors.zh-CN';
import zh from '../i18n/zh-CN';
import { fieldLabel } from './fieldLabel';

type Table = Readonly<Record<string, string>>;

function lookup(table: Table): (key: string) => string | undefined {
  return (key) => (Object.hasOwn(table, key) ? table[key] : undefined);
}

const TABLES = {
  zh: { sentences: ERROR_SENTENCES_ZH as Table, terms: ERROR_TERMS_ZH as Table, issues: zh.transfer.issue as Table, separator: '', unknown: zh.error.unknown },
  en: { sentences: ERROR_SENTENCES_EN as Table, terms: ERROR_TERMS_EN as Table, issues: en.transfer.issue as Table, separator: ' ', unknown: en.error.unknown },
} as const;

function tablesOf(locale: string): (typeof TABLES)[keyof typeof TABLES] {
  return locale.startsWith('zh') ? TABLES.zh : TABLES.en;
}

/** A sentence whose `field` parameter (a field id such as `name`) is replaced by the field's name in the UI's language. */
function withFieldLabel(s: ErrorSentence<string>, locale: string): ErrorSentence<string> {
  const field = s.params?.field;
  if (typeof field !== 'string') return s;
  return { ...s, params: { ...s.params, field: fieldLabel(field, locale) } };
}

/**
 * Sentences worded in the UI's language, fields by their names, or null when one of them (or a term it uses) is
 * unknown to this UI (a newer server): the caller then says so in words of its own instead of showing the English.
 */
export function sentencesText(sentences: readonly ErrorSentence<string>[], locale: string): string | null {
  const t = tablesOf(locale);
  return wordError(sentences.map((s) => withFieldLabel(s, locale)), lookup(t.sentences), lookup(t.terms), t.separator);
}

/**
 * What an error says, in the UI's language: an import file's refusal by its issue code, else the error's sentences.
 * An error this UI cannot word gets a generic sentence with the code (never the service's English `message`).
 */
export function errorText(error: ContractErrorData, locale: string): string {
  const t = tablesOf(locale);
  const issue = error.details?.issue;
  if (issue && /^[a-z_]+$/.test(issue.code)) {
    const template = lookup(t.issues)(issue.code);
    if (template !== undefined) return fillTemplate(template, issue.params);
  }
  if (error.sentences?.length) {
    const worded = sentencesText(error.sentences, locale);
    if (worded !== null) return worded;
  }
  const unknown = error.sentences?.find((s) => lookup(t.sentences)(s.key) === undefined)?.key ?? error.code;
  return fillTemplate(t.unknown, { code: String(unknown).slice(0, 64) });
}

/** Platform failures (`details.reason` of sync errors), headlined by `sync.errorKind.<reason>`. */
const SYNC_REASONS: readonly string[] = ['auth', 'unreachable', 'timeout', 'server', 'malformed', 'protocol', 'version', 'cursor', 'not_found', 'io'];

/**
 * The one list of `details.reason`s with a headline of their own, and advice for some: storage failures and
 * refusals (`error.reason.<reason>`), platform failures (`sync.errorKind.<reason>`). Message keys, not words.
 */
interface HeadlineKeys {
  readonly title: string;
  readonly advice: string | null;
}
const REASON_KEYS: ReadonlyMap<string, HeadlineKeys> = new Map<string, HeadlineKeys>([
  ...['disk_full', 'damaged_file', 'unchanged_data'].map((r): [string, HeadlineKeys] => [r, { title: `error.reason.${r}.title`, advice: `error.reason.${r}.body` }]),
  ...SYNC_REASONS.map((r): [string, HeadlineKeys] => [r, { title: `sync.errorKind.${r}`, advice: null }]),
]);

/** The message keys of an error's headline and advice: its reason's when it has one of its own, else its code's. */
export function errorHeadlineKeys(error: ContractErrorData): HeadlineKeys {
  const reason = error.details?.reason;
  return (reason !== undefined ? REASON_KEYS.get(reason) : undefined) ?? { title: `error.code.${error.code}`, advice: null };
}
