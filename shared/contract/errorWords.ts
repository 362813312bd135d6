import { wordSentences, type Sentence, type SentenceParam, type TermRef } from './sentences';

/**
 * What an error says, as data: one or more sentences, each a key with parameters, so the UI can word it in its own
 * language (the pattern of recovery notices, `recovery.ts`). The English wording lives here and becomes the error's
 * `message` (logs, scripts, the English UI); the Chinese wording is in the renderer (`renderer/i18n/errors.zh-CN.ts`),
 * key for key with the same placeholders.
 *
 * A parameter is a number, a string shown as it is (a file, a name, an id), or a term: a word of ours that is
 * translated too (what is wrong with a field, what kind of path).
 */
export const ERROR_TERMS_EN = {
  // What is wrong with a method argument (zod issues).
  empty: 'must not be empty',
  too_short: 'must have at least {min} characters',
  too_long: 'must have at most {max} characters',
  too_small: 'must be at least {min}',
  too_big: 'must be at most {max}',
  too_few: 'must have at least {min} items',
  too_many: 'must have at most {max} items',
  wrong_type: 'has the wrong type',
  must_be_text: 'must be text',
  must_be_number: 'must be a number',
  must_be_boolean: 'must be true or false',
  must_be_list: 'must be a list',
  must_be_object: 'must be an object',
  missing_value: 'is required',
  bad_format: 'has the wrong format',
  bad_base64: 'must be base64',
  bad_project: 'may hold only letters, digits, . _ - (at most 64)',
  bad_platform_url: 'must be an http:// or https:// address with a host and no user name or password',
  not_allowed: 'must be one of: {values}',
  unknown_fields: 'has unknown fields: {keys}',
  too_many_columns: 'may map at most 500 columns',
  one_upload: 'needs either content or dataBase64',
  path_or_upload: 'needs either path, or fileName with content or dataBase64',
  not_accepted: 'is not accepted',
  // Paths a call names.
  path_file: 'file',
  path_folder: 'folder',
  path_nul: 'contains a NUL character',
  path_symlink_write: 'is a symbolic link, and exports never write through a link',
  path_unresolvable: 'cannot be resolved ({detail})',
  path_dangling: 'goes through a symbolic link that points to nothing ({path})',
  path_outside: 'is outside the folders Callsift may use here: {folders}',
  path_outside_resolved: 'is outside the folders Callsift may use here (it resolves to {resolved}): {folders}',
  path_not_chosen: 'was not chosen in a dialog and is outside the open workspace and the data folder',
  hint_allow: 'To use another folder, restart the server with "npm run serve -- --allow DIR".',
  hint_dialog: "Pick it in the app's file or folder dialog instead.",
  hint_none: '',
  // What could not be saved.
  what_label: 'the label',
  what_change: 'the change',
  what_snapshot: 'the label snapshot',
  what_calls: 'the calls',
  what_workspace: 'the workspace settings',
  what_settings: 'the settings',
  what_clusters: 'the clusters',
  // What is wrong with a file.
  file_missing: 'is missing',
  file_unknown_shape: 'has an unknown shape',
  file_damaged: 'is damaged',
  file_not_json: 'is not valid JSON',
  file_wrong_size: 'is damaged ({size} bytes instead of {expected})',
  file_lacks_call: 'does not hold call {call}',
  // A cluster's state.
  cluster_accepted: 'accepted',
  cluster_merged: 'merged',
  cluster_dismissed: 'dismissed',
  // Why the platform cannot be reached.
  conn_refused: 'the connection was refused (is the platform running on that port?)',
  conn_no_host: 'the host name could not be resolved',
  conn_closed: 'the platform closed the connection without answering',
  conn_broke: 'the connection broke while reading the answer',
  conn_other: 'the connection failed ({detail})',
  // Workers.
  worker_training: 'training',
  worker_discovery: 'discovery',
  worker_replay: 'replay',
  // Who holds a workspace.
  holder_same: 'this same Callsift process',
  holder_other: 'another Callsift process',
  mode_desktop: 'desktop app',
  mode_browser: 'browser mode',
  mode_cli: 'command line',
  mode_unknown: 'an unknown mode',
} as const;

export type ErrorTerm = keyof typeof ERROR_TERMS_EN;

/** What a failed write did not save (the `what` of disk_full and not_saved). */
export type SavedThing = Extract<ErrorTerm, `what_${string}`>;

export const ERROR_SENTENCES_EN = {
  // Arguments and the bridge.
  unknown_method: 'This Callsift server does not know the function {method}.',
  not_implemented: 'The function {method} is not implemented.',
  invalid_field: 'Field {field}: {problem}.',
  invalid_argument: 'The request was not accepted: {problem}.',
  path_refused: 'Refused: the {kind} "{path}" (field "{field}") {reason}. {hint}',
  server_starting: 'The server is still starting.',
  unexpected: 'Something unexpected went wrong ({detail}).',
  cross_site: 'Requests from other sites are refused.',
  foreign_page: 'Refused a call from a page that is not Callsift.',
  bad_address: 'The address is malformed (a broken %-escape or not UTF-8).',
  no_session: 'No valid Callsift session: open the link Callsift printed in the terminal ({origin}/?secret=…).',
  use_post: 'Use POST for /rpc calls.',
  not_json_body: 'Send the argument as application/json.',
  body_too_large: 'The request ({size} MB) is larger than the {max} MB the server reads; a file of up to {file} MB can be uploaded. Split a bigger file, or import it from the desktop app.',
  body_not_json: 'The request body is not valid JSON.',
  desktop_only: '{method} needs the desktop app; in the browser, use the file picker instead.',
  server_unreachable: 'Cannot reach the Callsift server ({detail}).',
  server_unreadable: 'The server answered HTTP {status} without a readable body.',
  malformed_answer: 'Malformed answer from {method}.',
  // Labels, intents, calls.
  undo_unknown: 'That action can no longer be undone (it is unknown or too old).',
  keep_needs_label: 'Only a labeled utterance can be kept.',
  no_utterance: 'There is no utterance with id "{id}".',
  no_intent: 'There is no intent with id "{id}".',
  no_call: 'There is no call with id "{id}".',
  intent_deprecated: 'Intent "{name}" is deprecated; choose another intent.',
  intent_deprecated_merge: 'Intent "{name}" is deprecated; merge into an active intent.',
  intent_merge_self: 'An intent cannot be merged into itself.',
  intent_name_taken: 'An intent named "{name}" already exists.',
  bad_label_source: '"{source}" is not a label source.',
  // Discovery.
  nothing_to_cluster: 'There are no uncovered utterances to cluster yet.',
  replay_no_turns: 'No user turns to replay: no call in the chosen dates and campaign has turns with a prediction of the active model.',
  replay_none: 'There is no replay yet; run one first.',
  replay_not_sampled: 'This utterance is not in the judged sample of the last replay.',
  not_in_cluster: 'None of those utterances is in this cluster.',
  cluster_too_small: 'A cluster needs at least four utterances to be split.',
  cluster_no_split: 'This cluster does not split: its utterances are too much alike.',
  cluster_changed: 'The cluster changed while it was being split; split it again.',
  no_discovery_undo: 'There is no discovery action to undo.',
  intent_no_examples: 'Intent "{name}" has no examples or labeled utterances to compare with yet.',
  no_cluster: 'There is no cluster "{id}" in the last clustering.',
  cluster_closed: 'This cluster was already {state}.',
  // Models.
  no_model_version: 'There is no model version {version}.',
  no_model_yet: 'There is no model version yet: train a model first.',
  training_running: 'A training job is already running.',
  training_needs_data: 'Training needs at least {min} labeled utterances and two intents with two labels each (now {labels} labels, {intents} such intents).',
  unchanged_data: 'Version {version} was trained on exactly these labels, so a new version would be the same; label or change something first.',
  no_rollback: 'The platform has no previously active model to roll back to.',
  gate_broken_cases: 'Version {version} breaks {broken} of {pinned} pinned cases.',
  gate_negative_net_change: 'Its net change in accuracy on replayed traffic is estimated at {estimate} (95% interval {low} to {high}).',
  gate_override_needed: 'Fix it, or push it with an override and a note.',
  pin_needs_intent: 'Utterance {id} has no intent label to pin; label it with an intent first.',
  pinned_damaged: 'The pinned cases file {file} is damaged. Restore it from a backup or delete it to start a new list.',
  worker_failed: 'The {worker} worker stopped unexpectedly ({detail}).',
  // Sync.
  not_connected: 'This workspace is not connected to a platform; connect first.',
  no_conflict: 'There is no conflict with id "{id}".',
  conflict_resolved: 'This conflict was already resolved.',
  conflicts_damaged: 'The conflict list {file} is damaged. Restore it from a backup or delete it to start a new conflict list.',
  conflict_utterance_missing: 'The utterance {id} is not in this workspace; sync first.',
  sync_no_token: 'No token is saved for {url}; connect to the platform again.',
  sync_not_platform: '{url} does not look like a Callsift platform.',
  sync_no_project: 'The platform at {url} has no project "{project}" (it has: {projects}).',
  sync_token_refused: 'The platform at {url} refused the token (HTTP {status}).',
  sync_unreachable_at: 'Cannot reach the platform at {url}: {why}.',
  sync_timeout_after: 'The platform did not answer within {seconds} s.',
  sync_server_status: 'The platform failed on a request (HTTP {status}). Try again later.',
  sync_version_mismatch: 'The platform at {url} speaks API version {theirs}; this Callsift speaks version {ours}. Update Callsift or the platform.',
  sync_state_reset: 'The sync state file was damaged; the sync starts over from the beginning of the feed (calls already stored are skipped).',
  sync_auth: 'The platform refused the token.',
  sync_unreachable: 'Cannot reach the platform.',
  sync_timeout: 'The platform did not answer in time.',
  sync_server: 'The platform failed on a request. Try again later.',
  sync_malformed: 'The platform answered with incomplete or malformed data; nothing from that answer was stored.',
  sync_protocol: 'The platform refused a request or answered out of order.',
  sync_version: 'The platform speaks an API version this Callsift does not support.',
  sync_cursor: 'The platform does not have the calls this workspace already synced: its data was reset or it is another platform. Disconnect and connect again to start over.',
  sync_not_found: 'The platform has no such resource.',
  sync_io: 'Reading or writing the sync state failed.',
  // Files and the disk.
  disk_full: 'The disk is full, so {what} could not be saved. Free some disk space and try again; what was shown as saved before is kept.',
  not_saved: 'Could not save {what} ({detail}).',
  cannot_read: 'Cannot read {file} ({detail}).',
  cannot_write: 'Cannot write {file} ({detail}).',
  transcript_unreadable: "This call's transcript cannot be read: {file} {problem}. Its utterances and labels are kept; restore the file from a backup to see the whole call.",
  newer_format: '{file} was written by a newer Callsift (format {format}); update Callsift to open it.',
  no_workspace: 'There is no Callsift workspace in {folder}.',
  file_damaged: '{file} is damaged and cannot be read.',
  import_stopped_nothing: 'Nothing from {file} was imported.',
  import_stopped_partly: 'The import stopped there: {calls} calls from {file} were saved before it and are kept; import the file again to add the rest.',
  import_refused: 'The file {file} cannot be imported.',
  upload_too_large: '"{name}" is {size} MB; the browser can upload files of at most {max} MB. Split the file, or import it in the desktop app.',
  // The workspace lock.
  workspace_open_here: 'This workspace is already open in {holder} ({mode}, pid {pid}, on host {host}). Close it first, or open another folder.',
  workspace_open_pid_only: 'If no other Callsift process is running, pid {pid} now belongs to another program: then delete {file} and try again.',
  workspace_open_elsewhere: 'This workspace is open in a Callsift process on another computer ({mode}, pid {pid}, on host {host}). Close it there first; if Callsift is not running there any more, delete {file} and try again.',
  workspace_opening: 'Another process is opening this workspace right now, or stopped a moment ago while opening it (its lock file {file} is not complete yet). Try again in a few seconds.',
  workspace_takeover_race: 'Callsift could not take this workspace over: another Callsift process kept taking it over at the same time. Try again in a moment.',
  workspace_lock_failed: 'The workspace lock {file} could not be used ({detail}).',
} as const;

export type ErrorKey = keyof typeof ERROR_SENTENCES_EN;

/** A term with its own parameters. */
export type ErrorTermRef = TermRef<ErrorTerm>;

export type ErrorParam = SentenceParam<ErrorTerm>;

/** One sentence of an error. `key` is a string on the wire: a newer server may send a key this UI does not know. */
export type ErrorSentence<K extends string = ErrorKey> = Sentence<K, ErrorTerm>;

/** Shorthand for a sentence. */
export function sentence(key: ErrorKey, params?: Readonly<Record<string, ErrorParam>>): ErrorSentence {
  return params ? { key, params } : { key };
}

/** Shorthand for a term parameter. */
export function term(t: ErrorTerm, params?: Readonly<Record<string, string | number>>): ErrorTermRef {
  return params ? { term: t, params } : { term: t };
}

/**
 * Words sentences with the given tables (a sentence or term missing from them returns null); sentences are joined by
 * `separator` (a space in English, nothing in Chinese) and empty ones are left out.
 */
export function wordError(
  sentences: readonly ErrorSentence<string>[],
  sentenceOf: (key: string) => string | undefined,
  termOf: (key: string) => string | undefined,
  separator: string,
): string | null {
  const worded = wordSentences(sentences, sentenceOf, termOf);
  if (worded === null) return null;
  return worded
    .map((text) => text.trim())
    .filter((text) => text.length > 0)
    .join(separator);
}

const ownSentence = (key: string): string | undefined => (Object.hasOwn(ERROR_SENTENCES_EN, key) ? ERROR_SENTENCES_EN[key as ErrorKey] : undefined);
const ownTerm = (key: string): string | undefined => (Object.hasOwn(ERROR_TERMS_EN, key) ? ERROR_TERMS_EN[key as ErrorTerm] : undefined);

/** The English wording of an error's sentences (its `message`). */
export function errorMessageEn(sentences: readonly ErrorSentence[]): string {
  return wordError(sentences, ownSentence, ownTerm, ' ') ?? sentences.map((s) => s.key).join(' ');
}

/** The English wording of sentences that came over the wire (unknown keys yield null). */
export function errorMessageEnOf(sentences: readonly ErrorSentence<string>[]): string | null {
  return wordError(sentences, ownSentence, ownTerm, ' ');
}

/** A short identifier of what was thrown (an errno code, an error class), never a sentence. */
export function errorName(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z_0-9]+$/.test(code)) return code;
  return err instanceof Error ? err.name : typeof err;
}
