import { useI18n } from 'vue-i18n';
import type { ImportIssueParams } from '../../shared/contract/dto';

/** Anything import reports in words: a row error, a preview issue, or a whole-file refusal's `details.issue`. */
export interface WordableIssue {
  readonly code?: string;
  readonly params?: ImportIssueParams;
  /** The English words the service sent, for logs; never shown. */
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

/**
 * Words an import issue in the UI's language from its code and params; a code this UI does not know (a newer
 * server) gets the generic sentence with the code, never the service's English reason.
 */
export function wordImportIssue(i18n: Translate, issue: WordableIssue): string {
  const code = issue.code !== undefined && /^[a-z_]+$/.test(issue.code) ? issue.code : null;
  if (code !== null && i18n.te(importIssueKey(code))) return i18n.t(importIssueKey(code), { ...(issue.params ?? {}) });
  return i18n.t('error.unknown', { code: code ?? 'import' });
}

/** `describe(issue)` in the current UI language, for views that list import errors. */
export function useImportIssues(): { describe: (issue: WordableIssue) => string } {
  const { t, te } = useI18n();
  const i18n: Translate = { t: (key, params) => t(key, params), te: (key) => te(key) };
  return { describe: (issue) => wordImportIssue(i18n, issue) };
}
