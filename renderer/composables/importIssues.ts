import { useI18n } from 'vue-i18n';
import type { ImportIssueParams } from '../../shared/contract/dto';

/** Anything import reports in words: a row error, a preview issue, or a whole-file refusal's `details.issue`. */
export interface WordableIssue {
  readonly code?: string;
  readonly params?: ImportIssueParams;
  /** The English words the service sent; shown when the code has no message in the UI's language. */
  readonly reason: string;
}

/** What the wording needs from vue-i18n. */
export interface Translate {
  t(key: string, params: Record<string, unknown>): string;
  te(key: string): boolean;
}

/** The message key of an import issue code. */
export function importIssueKey(code: string): string {
  return `transfer.issue.${code}`;
}

/** Words an import issue in the UI's language from its code and params, falling back to the English reason. */
export function wordImportIssue(i18n: Translate, issue: WordableIssue): string {
  if (issue.code === undefined || !/^[a-z_]+$/.test(issue.code)) return issue.reason;
  const key = importIssueKey(issue.code);
  if (!i18n.te(key)) return issue.reason;
  return i18n.t(key, { ...(issue.params ?? {}) });
}

/** `describe(issue)` in the current UI language, for views that list import errors. */
export function useImportIssues(): { describe: (issue: WordableIssue) => string } {
  const { t, te } = useI18n();
  const i18n: Translate = { t: (key, params) => t(key, params), te: (key) => te(key) };
  return { describe: (issue) => wordImportIssue(i18n, issue) };
}
