import { z } from 'zod';
import { KEY_MAP_SLOTS } from '../domain/keyMapPin';
import type { methodNameList } from './names';

/** Validation schemas for every contract method argument. Bridges run these on each call. */

const id = z.string().min(1).max(512);
const text = z.string().max(10_000);

export const labelTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('intent'), intentId: id }).strict(),
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('badTranscript') }).strict(),
]);

const empty = z.object({}).strict();
const queueId = z.enum(['unlabeled', 'recent', 'uncovered', 'informative', 'mislabeled', 'disagreements']);
const paging = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(50) };
const exportFormat = z.enum(['jsonl', 'csv', 'rasa', 'xlsx']);
const reportExportFormat = z.enum(['xlsx', 'csv']);
const intentStatus = z.enum(['active', 'proposed', 'deprecated']);
const platformUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => isPlatformUrl(v), { message: 'Expected an http:// or https:// address with a host and no user name or password (file:, data: and other schemes are refused)', params: { term: 'bad_platform_url' } });

/** True for an absolute http(s) URL with a host and no credentials: the only addresses sync.connect may reach. */
export function isPlatformUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0 && url.username === '' && url.password === '';
}

/**
 * The largest file the browser uploads with transfer.importContent, in bytes (64 MiB). The schema counts the
 * content's characters, never more than its UTF-8 bytes. Bigger files are imported by path (transfer.importFile,
 * streamed).
 */
export const maxImportContentBytes = 64 * 1024 * 1024;
/** The longest `dataBase64` of an upload: the base64 of maxImportContentBytes bytes. */
export const maxImportBase64Chars = Math.ceil(maxImportContentBytes / 3) * 4;

/** Text encodings import reads. */
export const textEncodingNames = ['utf-8', 'utf-16le', 'utf-16be', 'gb18030', 'gbk', 'big5'] as const;
/** Fields a column can be mapped to. */
export const importFieldNames = [
  'text',
  'botText',
  'callId',
  'turnIndex',
  'speaker',
  'intent',
  'predictedIntent',
  'predictedConfidence',
  'asrConfidence',
  'startedAt',
  'campaign',
  'language',
  'split',
  'id',
  'annotator',
  'labeledAt',
  'node',
] as const;

/** How to read an import file; each left out is detected (encoding, delimiter), the first sheet, or mapped from the headers. */
const importOptions = {
  encoding: z.enum(textEncodingNames).optional(),
  sheet: z.string().min(1).max(256).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  mapping: z
    .record(z.string().max(200), z.enum(importFieldNames).nullable())
    .refine((m) => Object.keys(m).length <= 500, { message: 'At most 500 columns', params: { term: 'too_many_columns' } })
    .optional(),
};
/** Exactly one of `content` (text) and `dataBase64` (the file's bytes, any encoding). */
const uploaded = {
  fileName: z.string().min(1).max(512),
  content: z.string().max(maxImportContentBytes).optional(),
  dataBase64: z.string().max(maxImportBase64Chars).regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'Expected base64' }).optional(),
};
const oneUpload = (a: { content?: string | undefined; dataBase64?: string | undefined }): boolean => (a.content === undefined) !== (a.dataBase64 === undefined);
const oneUploadMessage = { message: 'Give either content or dataBase64', path: ['content'], params: { term: 'one_upload' } };
const platformProject = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'Letters, digits, . _ - (at most 64)' });

export const schemas = {
  'workspace.getInfo': empty,
  'workspace.getSettings': empty,
  'workspace.updateSettings': z
    .object({
      annotator: z.string().trim().min(1).max(100).optional(),
      uiLanguage: z.enum(['zh-CN', 'en']).optional(),
    })
    .strict(),
  'workspace.openWorkspace': z.object({ folder: z.string().min(1).max(4096) }).strict(),

  'queue.listQueues': empty,
  'queue.getPage': z
    .object({ queue: queueId, ...paging, skip: z.array(id).max(10_000).optional(), search: text.optional() })
    .strict(),

  'label.setLabel': z
    .object({
      utteranceId: id,
      target: labelTargetSchema.nullable(),
      source: z.enum(['manual', 'suggestion']).default('manual'),
    })
    .strict(),
  'label.bulkLabel': z.object({ utteranceIds: z.array(id).min(1).max(200_000), target: labelTargetSchema }).strict(),
  'label.undoAction': z.object({ actionId: id }).strict(),
  'label.getHistory': z.object({ utteranceId: id.optional(), limit: z.number().int().min(1).max(5000).default(100) }).strict(),
  'label.getProgress': empty,
  'label.keepLabel': z.object({ utteranceId: id }).strict(),

  'intent.listIntents': empty,
  'intent.createIntent': z
    .object({
      name: z.string().trim().min(1).max(200),
      description: text.default(''),
      examples: z.array(text).max(10_000).default([]),
      group: z.string().max(200).optional(),
      status: intentStatus.default('active'),
    })
    .strict(),
  'intent.updateIntent': z
    .object({
      id,
      name: z.string().trim().min(1).max(200).optional(),
      description: text.optional(),
      examples: z.array(text).max(10_000).optional(),
      group: z.string().max(200).optional(),
      status: intentStatus.optional(),
      critical: z.boolean().optional(),
      transfer: z.boolean().optional(),
    })
    .strict(),
  'intent.mergeIntents': z.object({ sourceId: id, targetId: id }).strict(),
  'intent.listLibrary': z.object({ language: z.enum(['zh', 'en']) }).strict(),
  'intent.addFromLibrary': z.object({ language: z.enum(['zh', 'en']), keys: z.array(id).min(1).max(1000) }).strict(),
  'intent.listFromWorkspace': z.object({ folder: z.string().min(1).max(4096) }).strict(),
  'intent.addFromWorkspace': z.object({ folder: z.string().min(1).max(4096), ids: z.array(id).min(1).max(10_000) }).strict(),
  'intent.getKeyMap': empty,
  'intent.pinKeyMap': z
    .object({
      slots: z
        .array(id.nullable())
        .length(KEY_MAP_SLOTS)
        .refine((slots) => slots.some((s) => s !== null), { message: 'Pin at least one intent' })
        .refine((slots) => new Set(slots.filter((s) => s !== null)).size === slots.filter((s) => s !== null).length, { message: 'An intent can sit on one key only' }),
    })
    .strict(),
  'intent.unpinKeyMap': empty,

  'call.searchCalls': z
    .object({ query: text.default(''), campaign: z.string().max(200).optional(), onlyUnlabeled: z.boolean().default(false), ...paging })
    .strict(),
  'call.getCall': z.object({ callId: id }).strict(),
  'call.listCampaigns': empty,

  'model.getStatus': empty,
  'model.train': empty,
  'model.cancelJob': z.object({ jobId: id }).strict(),
  'model.listVersions': empty,
  'model.getReport': z.object({ version: z.number().int().min(1) }).strict(),
  'model.getQuestionReport': z.object({ version: z.number().int().min(1).optional() }).strict(),
  'model.setOutOfScopeThreshold': z.object({ version: z.number().int().min(1), threshold: z.number().min(0).max(1) }).strict(),
  'model.exportReportFile': z
    .object({ version: z.number().int().min(1).optional(), format: reportExportFormat, path: z.string().min(1).max(4096) })
    .strict(),
  'model.exportReportContent': z.object({ version: z.number().int().min(1).optional(), format: reportExportFormat }).strict(),

  'transfer.importFile': z.object({ path: z.string().min(1).max(4096), ...importOptions }).strict(),
  'transfer.importContent': z.object({ ...uploaded, ...importOptions }).strict().refine(oneUpload, oneUploadMessage),
  'transfer.previewImport': z
    .object({
      path: z.string().min(1).max(4096).optional(),
      ...uploaded,
      fileName: uploaded.fileName.optional(),
      ...importOptions,
      rows: z.number().int().min(1).max(200).default(20),
    })
    .strict()
    .refine((a) => (a.path !== undefined ? a.content === undefined && a.dataBase64 === undefined : a.fileName !== undefined && oneUpload(a)), {
      message: 'Give either path, or fileName with content or dataBase64',
      params: { term: 'path_or_upload' },
      path: ['path'],
    }),
  'transfer.exportFile': z.object({ path: z.string().min(1).max(4096), format: exportFormat }).strict(),
  'transfer.exportContent': z.object({ format: exportFormat }).strict(),

  'sync.getStatus': empty,
  'sync.connect': z.object({ url: platformUrl, token: z.string().trim().min(1).max(4096), project: platformProject }).strict(),
  'sync.disconnect': empty,
  'sync.syncNow': empty,
  'sync.cancel': z.object({ jobId: id }).strict(),
  'sync.listConflicts': z.object({ ...paging }).strict(),
  'sync.resolveConflict': z.object({ conflictId: id, keep: z.enum(['mine', 'theirs']) }).strict(),
  'sync.listPlatformModels': empty,
  'sync.compareModel': z.object({ version: z.number().int().min(1) }).strict(),
  'sync.pushModel': z
    .object({
      version: z.number().int().min(1),
      note: z.string().trim().max(2000).default(''),
      /** Pushes over the gate (broken pinned cases, a negative net change) with this note, kept in the version history. */
      overrideNote: z.string().trim().min(1).max(2000).optional(),
    })
    .strict(),
  'sync.activateModel': z.object({ platformVersion: z.number().int().min(1) }).strict(),
  'sync.rollbackModel': empty,

  'gate.listPinnedCases': empty,
  'gate.pinCase': z.object({ utteranceId: id, intentId: id.optional() }).strict(),
  'gate.unpinCase': z.object({ utteranceId: id }).strict(),
  'gate.checkVersion': z.object({ version: z.number().int().min(1) }).strict(),
  'gate.getWatch': empty,
  'gate.setWatchSettings': z
    .object({
      coverageConfidence: z.number().min(0).max(1).optional(),
      maxChange: z.number().min(0.001).max(1).optional(),
      minTurns: z.number().int().min(1).max(100_000).optional(),
    })
    .strict(),

  'discovery.getStatus': empty,
  'discovery.run': z.object({ question: z.string().min(1).max(20_000).optional() }).strict(),
  'discovery.listQuestions': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  'discovery.cancel': z.object({ jobId: id }).strict(),
  'discovery.listClusters': z.object({ sort: z.enum(['size', 'cohesion']).default('size'), includeClosed: z.boolean().default(false) }).strict(),
  'discovery.getMembers': z.object({ clusterId: id, ...paging }).strict(),
  'discovery.acceptCluster': z
    .object({ clusterId: id, name: z.string().trim().min(1).max(200), description: text.default(''), includeAtypical: z.boolean().optional() })
    .strict(),
  'discovery.mergeCluster': z.object({ clusterId: id, intentId: id, includeAtypical: z.boolean().optional() }).strict(),
  'discovery.dismissCluster': z.object({ clusterId: id, includeAtypical: z.boolean().optional() }).strict(),
  'discovery.removeMembers': z.object({ clusterId: id, utteranceIds: z.array(id).min(1).max(200_000) }).strict(),
  'discovery.splitCluster': z.object({ clusterId: id }).strict(),
  'discovery.undo': empty,
  'discovery.expandIntent': z.object({ intentId: id, limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  'discovery.getCleanup': empty,

  'replay.getStatus': empty,
  'replay.start': z
    .object({
      version: z.number().int().min(1),
      from: z.number().int().min(0),
      to: z.number().int().min(0),
      campaign: z.string().max(200).nullable().default(null),
      threshold: z.number().min(0).max(1).default(0.5),
      sampleSize: z.number().int().min(1).max(2000).default(200),
    })
    .strict()
    .refine((a) => a.from < a.to, { message: 'from must be before to', path: ['to'] }),
  'replay.cancel': z.object({ jobId: id }).strict(),
  'replay.getJudging': empty,
  'replay.judge': z
    .object({ utteranceId: id, judgment: z.enum(['new', 'old', 'neither']), intentId: id.nullable().optional() })
    .strict()
    .refine((a) => a.judgment !== 'neither' || a.intentId !== undefined, { message: 'Pick the right intent (or null for none of these)', path: ['intentId'] }),
} as const;

export type MethodName = keyof typeof schemas;
/** The argument a caller passes (defaults may be omitted). */
export type MethodInput<M extends MethodName> = z.input<(typeof schemas)[M]>;
/** The argument a service receives after validation (defaults filled in). */
export type MethodArgs<M extends MethodName> = z.output<(typeof schemas)[M]>;

export const methodNames = Object.keys(schemas) as MethodName[];

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time proof that names.ts lists exactly the methods that have schemas. */
export const methodNameListIsComplete: Exact<(typeof methodNameList)[number], MethodName> = true;

/**
 * What a path argument names on the machine the services run on: a file the service reads, a file it writes,
 * or a folder it opens, creates or reads.
 */
export type PathKind = 'fileToRead' | 'fileToWrite' | 'folder';

type StringFieldOf<M extends MethodName> = { [F in keyof MethodArgs<M>]-?: MethodArgs<M>[F] extends string ? F : never }[keyof MethodArgs<M>];
type PathFieldMap = { readonly [M in MethodName]?: { readonly [F in StringFieldOf<M>]?: PathKind } };

/**
 * Every argument field that names a server-side file or folder, declared once. Bridges confine these before the
 * service runs: the HTTP bridge to the workspace, the data folder and the folders given with `--allow`; the desktop
 * app to paths its native dialogs returned (or inside the workspace and data folder). Any other string is never a path.
 */
export const pathFields = {
  'workspace.openWorkspace': { folder: 'folder' },
  'intent.listFromWorkspace': { folder: 'folder' },
  'intent.addFromWorkspace': { folder: 'folder' },
  'transfer.importFile': { path: 'fileToRead' },
  'transfer.previewImport': { path: 'fileToRead' },
  'transfer.exportFile': { path: 'fileToWrite' },
  'model.exportReportFile': { path: 'fileToWrite' },
} as const satisfies PathFieldMap;

/** The path fields of `method`'s argument with their kinds; empty for methods that take no path. */
export function pathFieldsOf(method: MethodName): readonly (readonly [field: string, kind: PathKind])[] {
  const fields: Readonly<Partial<Record<string, PathKind>>> = (pathFields as PathFieldMap)[method] ?? {};
  return Object.entries(fields).flatMap(([field, kind]) => (kind ? [[field, kind] as const] : []));
}

/** True when `name` is a method of the contract. */
export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(schemas, name);
}
