import type { RecoveryNotice } from '../../../shared/contract/dto';
import type { ErrorTermRef } from '../../../shared/contract/errorWords';
import { fillTemplate, RECOVERY_TERMS_EN, recoveryMessageEn, type RecoverySentence, type RecoveryTermRef } from '../../../shared/contract/recovery';

/** A recovery notice about `file` (relative to the workspace), worded in English for `message`. */
export function recoveryNotice(file: string, ...sentences: RecoverySentence[]): RecoveryNotice {
  return { file, sentences, message: recoveryMessageEn(sentences) };
}

/** What is wrong with a file, as a term the UI translates. */
export function problemTerm(problem: FileProblem): RecoveryTermRef {
  switch (problem.kind) {
    case 'missing':
    case 'unknown_shape':
      return { term: problem.kind };
    case 'damaged':
    case 'not_json':
      return { term: problem.kind, params: { detail: problem.detail } };
    case 'wrong_size':
      return { term: 'wrong_size', params: { size: problem.size, expected: problem.expected } };
  }
}

/** What is wrong with a file, as a term of error sentences (the parser's own words stay in the log message). */
export function fileProblemTerm(problem: FileProblem): ErrorTermRef {
  switch (problem.kind) {
    case 'missing':
      return { term: 'file_missing' };
    case 'unknown_shape':
      return { term: 'file_unknown_shape' };
    case 'damaged':
      return { term: 'file_damaged' };
    case 'not_json':
      return { term: 'file_not_json' };
    case 'wrong_size':
      return { term: 'file_wrong_size', params: { size: problem.size, expected: problem.expected } };
  }
}

export type FileProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unknown_shape' }
  | { readonly kind: 'damaged'; readonly detail: string }
  | { readonly kind: 'not_json'; readonly detail: string }
  | { readonly kind: 'wrong_size'; readonly size: number; readonly expected: number };

/** The English words of a problem ("is missing"), for error messages that are not notices. */
export function problemWords(problem: FileProblem): string {
  const ref = problemTerm(problem);
  return fillTemplate(RECOVERY_TERMS_EN[ref.term], ref.params);
}
