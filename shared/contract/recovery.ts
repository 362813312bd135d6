import { fillTemplate, wordSentences, type Sentence, type TermRef } from './sentences';

export { fillTemplate };
/**
 * What recovery at open says, as data: a notice is a list of sentences, each a key with parameters, so the UI can word
 * it in its own language. The English wording lives here and is used for `message` (logs, the command line) and by the
 * English UI; the Chinese wording is in the renderer's zh-CN messages, key for key.
 *
 * Placeholders are `{name}`. A parameter is a number, a string shown as it is (a file, a pid, a time), or a term: a
 * word of ours that is translated too (a process mode, what is wrong with a file).
 */
export const RECOVERY_TERMS_EN = {
  mode_desktop: 'desktop app',
  mode_browser: 'browser mode',
  mode_cli: 'command line',
  mode_unknown: 'an unknown mode',
  missing: 'is missing',
  unknown_shape: 'has an unknown shape',
  damaged: 'is damaged ({detail})',
  wrong_size: 'is damaged ({size} bytes instead of {expected})',
  not_json: 'is not valid JSON ({detail})',
} as const;

export type RecoveryTerm = keyof typeof RECOVERY_TERMS_EN;

export const RECOVERY_SENTENCES_EN = {
  lock_unreadable:
    'The workspace lock file was empty or unreadable (last modified {modified}), probably left by a process that stopped while opening the workspace; Callsift took the workspace over.',
  lock_not_running:
    'The Callsift process that had this workspace open ({mode}, pid {pid}, started {started} on host {host}) is no longer running and did not close it; Callsift took the workspace over.',
  lock_pid_reused:
    'The Callsift process that had this workspace open ({mode}, pid {pid}, started {started} on host {host}) is no longer running (its pid now belongs to another process) and did not close it; Callsift took the workspace over.',
  lock_rebooted:
    'The Callsift process that had this workspace open ({mode}, pid {pid}, started {started} on host {host}) is no longer running (the computer has restarted since) and did not close it; Callsift took the workspace over.',

  journal_action_interrupted:
    'Lines {from}–{to} of {file} hold an action whose end is missing ({changes} changes); none of it was applied. The file is kept as it is.',
  journal_action_mismatch: 'Lines {from}–{to} of {file} hold an action whose records do not match its end; none of it was applied. The file is kept as it is.',
  journal_line_damaged: 'Line {line} of {file} is damaged and was skipped; the change it held is not applied. The file is kept as it is.',
  journal_line_damaged_utterance:
    'Line {line} of {file} is damaged and was skipped (a change to utterance {utterance}); the change it held is not applied. The file is kept as it is.',
  journal_tail_action:
    '{file} ends in an action of {changes} or more changes without its end (from line {from}): what a crash in the middle of a save leaves, or damage to the file. It was not applied.',
  journal_tail_line:
    '{file} ends in an incomplete line (line {line}): what a crash in the middle of a save leaves, or damage to the file. It was not applied.',
  journal_tail_bytes:
    '{file} ends in {bytes} bytes without a line end: what a crash in the middle of a save leaves, or damage to the file. It was not applied.',
  journal_tail_moved: 'The {bytes} bytes were moved to {movedTo}.',
  journal_tail_action_lost: 'A save cut short by a crash was never shown as saved; if the file was damaged instead, that action is lost.',
  journal_tail_change_lost: 'A save cut short by a crash was never shown as saved; if the file was damaged instead, the change it held is lost.',
  journal_tail_change_lost_utterance:
    'A save cut short by a crash was never shown as saved; if the file was damaged instead, the change it held (utterance {utterance}) is lost.',

  index_without_shard: '{index} {problem} and its shard {shard} is missing; the index was moved to {movedTo}. The calls it listed are not shown.',
  shard_unreadable: '{shard} {shardProblem} and its index {index} {problem}, so its calls cannot be read. It was moved to {movedTo}.',
  shard_index_moved: 'Its index was moved to {movedTo}.',
  shard_calls_hidden: 'Its calls are not shown. Labels of those calls are kept.',
  index_rebuilt: '{index} {problem}; it was rebuilt from {shard} ({calls} calls). Nothing was lost.',
  shard_damaged:
    '{shard} {problem}: the transcripts of its {calls} calls cannot be opened. Their utterances and labels are kept and shown; restore the file from a backup to see the whole calls.',
  import_interrupted: 'An import was interrupted before this part of it was saved: {shard} ({calls} calls) was moved to {movedTo}.',
  import_interrupted_unknown_size: 'An import was interrupted before this part of it was saved: {shard} was moved to {movedTo}.',
  import_interrupted_not_moved:
    'An import was interrupted before this part of it was saved: {shard} could not be moved to the recovery folder and is left where it is; it is not read.',
  import_interrupted_end: 'Nothing from it had been shown as saved; import the file again to add those calls.',

  catalogue_unusable: 'workspace.json could not be used: it {problem}.',
  catalogue_moved: 'It was moved to {movedTo}.',
  catalogue_from_previous: 'The intent catalogue was restored from workspace.prev.json and {replayed} later intent changes from the label journal.',
  catalogue_from_previous_dated:
    'The intent catalogue was restored from workspace.prev.json (last changed {savedAt}) and {replayed} later intent changes from the label journal.',
  catalogue_from_journal:
    'There is no previous copy, so the intent catalogue was rebuilt from the label journal: {intents} intents from recorded intent changes.',
  catalogue_recreated:
    '{count} intents that labels use had no record and were recreated with their ids as names and no description or examples ({ids}); check them in Intents.',
  catalogue_meta_reset: 'The workspace name, languages and annotator list were reset.',
  catalogue_labels_kept: 'Labels are kept in the label journal and are not affected.',

  snapshot_missing: 'labels/snapshot.json is missing; every label was rebuilt from the journal.',
  snapshot_unusable: 'The label snapshot could not be used: it {problem}. It was moved to {movedTo}, and every label was rebuilt from the journal.',
  journal_empty: 'The journal is empty, so there were no labels to rebuild.',
  journal_segments_missing: 'Some journal segments are missing (found {found}), so labels recorded only in the missing ones could not be rebuilt.',
  journal_segments_whole: 'Every journal segment from the first is present, so nothing was lost.',
} as const;

export type RecoverySentenceKey = keyof typeof RECOVERY_SENTENCES_EN;

export type RecoveryTermRef = TermRef<RecoveryTerm>;

export type RecoverySentence = Sentence<RecoverySentenceKey, RecoveryTerm>;

/**
 * Words a notice's sentences with the given tables: `sentence(key)` and `term(key)` return templates; sentences are
 * joined by `separator` (a space in English, nothing in Chinese).
 */
export function wordRecovery(
  sentences: readonly RecoverySentence[],
  sentence: (key: RecoverySentenceKey) => string,
  term: (key: RecoveryTerm) => string,
  separator: string,
): string {
  return (wordSentences(sentences, sentence, term) ?? []).join(separator);
}

/** The English wording of a notice's sentences. */
export function recoveryMessageEn(sentences: readonly RecoverySentence[]): string {
  return wordRecovery(
    sentences,
    (k) => RECOVERY_SENTENCES_EN[k],
    (k) => RECOVERY_TERMS_EN[k],
    ' ',
  );
}
