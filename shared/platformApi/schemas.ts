import { z } from 'zod';

/**
 * The wire format of the platform API (`/api/v1`), written once. The reference platform (platform/) validates
 * requests and its own replies with these schemas; the sync client (electron/services/sync) validates what it
 * receives with them; docs/platform-api.yaml is checked against them shape by shape (platform/apiSpec.test.ts).
 *
 * Request bodies are strict (unknown fields refused). Reply bodies are not: clients ignore fields they do not
 * know, so a minor API version may add fields. Minor versions only add; never remove or narrow a field here.
 */

/** Most labels in one upload. */
export const LABEL_BATCH_MAX = 5000;
/** Default and most calls in one feed page. */
export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 2000;
/** Default and most labels in one `GET labels` page. */
export const LABELS_DEFAULT_LIMIT = 1000;
export const LABELS_MAX_LIMIT = 10_000;
/** Most texts in one `predict` request. */
export const PREDICT_MAX_TEXTS = 2000;

const int = z.number().int();
const count = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

/** Machine-readable error codes (`{ error: { code, message } }`). */
export const errorCodes = [
  'missing_token',
  'invalid_token',
  'not_found',
  'method_not_allowed',
  'invalid_json',
  'invalid_request',
  'invalid_cursor',
  'cursor_ahead',
  'payload_too_large',
  'nothing_to_roll_back',
  'fault_injected',
  'internal',
] as const;
export type ApiErrorCode = (typeof errorCodes)[number];

/** Every error answer. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const versionInfo = z.object({ apiVersion: z.string(), server: z.string(), serverVersion: z.string() });

export const project = z.object({
  name: z.string(),
  createdAt: int,
  calls: int,
  labels: int,
  intentsVersion: int,
  activeModel: int.nullable(),
});
export const projectList = z.object({ projects: z.array(project) });

export const intentStatus = z.enum(['active', 'proposed', 'deprecated']);

/** An intent as the platform serves it. */
export const intent = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  examples: z.array(z.string()),
  status: intentStatus,
  group: z.string().optional(),
  mergedInto: z.string().optional(),
  createdAt: int,
  updatedAt: int,
  version: int,
});

/** The fields a client may set with `PUT …/intents/{intentId}`. */
export const intentPatch = z.strictObject({
  name: z.string().min(1).max(256).optional(),
  description: z.string().max(4000).optional(),
  examples: z.array(z.string().max(4000)).max(1000).optional(),
  status: intentStatus.optional(),
  group: z.string().max(256).optional(),
  mergedInto: z.string().max(256).optional(),
});

export const intentChanges = z.object({ version: int, etag: z.string(), complete: z.boolean(), intents: z.array(intent) });
export const intentPut = z.object({ intent, version: int, etag: z.string() });

export const turn = z.object({
  speaker: z.enum(['bot', 'user']),
  text: z.string(),
  asrConfidence: probability.optional(),
  predictedIntent: z.string().nullable().optional(),
  predictedConfidence: probability.optional(),
  /** On bot turns: the flow node (step) the bot was at, when the platform names it. */
  node: z.string().max(256).optional(),
});

/** A finished call of the feed. */
export const call = z.object({
  seq: int.min(1),
  id: z.string().min(1),
  startedAt: int,
  campaign: z.string(),
  language: z.string().optional(),
  turns: z.array(turn),
});

/** A page of the call feed. */
export const feedPage = z.object({ calls: z.array(call), nextCursor: z.string(), hasMore: z.boolean(), remaining: int.optional() });

/** A label a client uploads. */
export const labelInput = z.strictObject({
  id: z.string().min(8).max(128),
  utteranceId: z.string().min(3).max(512),
  intent: z.string().min(1).max(256).nullable(),
  annotator: z.string().min(1).max(256),
  labeledAt: count,
});
export const labelUpload = z.strictObject({ labels: z.array(labelInput).max(LABEL_BATCH_MAX) });

/** A label as the platform stores and serves it: what was uploaded, with its journal position and arrival time. */
export const storedLabel = z.object({ ...labelInput.shape, seq: int, receivedAt: int });

export const labelUploadStatus = z.enum(['accepted', 'duplicate', 'conflict', 'rejected']);
export const labelUploadResult = z.object({
  id: z.string(),
  status: labelUploadStatus,
  seq: int.optional(),
  conflicts: z.array(storedLabel).optional(),
  reason: z.string().optional(),
});
export const labelUploadReply = z.object({ results: z.array(labelUploadResult) });
export const labelsPage = z.object({ labels: z.array(storedLabel), nextSince: int, hasMore: z.boolean() });

export const modelSummary = z.object({
  version: int,
  uploadedAt: int,
  notes: z.string(),
  /** As uploaded; null when none was sent. */
  evaluation: z.unknown(),
  sha256: z.string(),
  sizeBytes: int,
});
export const modelRecord = modelSummary.extend({ artifact: z.record(z.string(), z.unknown()) });
export const modelList = z.object({
  active: int.nullable(),
  /** When the active version became active (epoch ms); absent from older platforms. */
  activatedAt: int.nullable().optional(),
  /** When the active version came back by a rollback: the version rolled back and its active span; absent from older platforms. */
  rolledBack: z.object({ version: int, activatedAt: int, rolledBackAt: int }).nullable().optional(),
  history: z.array(int),
  models: z.array(modelSummary.extend({ active: z.boolean() })),
});
export const modelUpload = z.strictObject({
  artifact: z.record(z.string(), z.unknown()),
  evaluation: z.unknown().optional(),
  notes: z.string().max(20_000).optional(),
});
export const modelCreated = z.object({ version: int, model: modelSummary });

export const predictorKind = z.enum(['artifact', 'bigram-artifact', 'catalogue-baseline']);
export const predictorInfo = z.object({ version: int.nullable(), kind: predictorKind });
export const activeModel = z.object({ model: modelRecord.nullable(), predictor: predictorInfo });
export const modelActivated = z.object({ active: int, model: modelSummary, predictor: predictorInfo });
export const modelVersion = z.object({ model: modelRecord });

/**
 * What a model reads of a user turn besides its words (`shared/ml/turnContext.ts`): the bot prompt it answered, that
 * prompt's flow node and the user's previous turn in the same call. Each field optional; an empty one is no context.
 */
export const predictContext = z.strictObject({
  prompt: z.string().max(4000).optional(),
  node: z.string().max(256).optional(),
  previous: z.string().max(4000).optional(),
});
/**
 * Texts to predict; `contexts` (optional, added in 1.x, additive) is index-aligned with `texts` and must have the same
 * length. Without it each text is predicted alone, as before.
 */
export const predictRequest = z.strictObject({
  texts: z.array(z.string().max(4000)).max(PREDICT_MAX_TEXTS),
  contexts: z.array(predictContext).max(PREDICT_MAX_TEXTS).optional(),
});
export const prediction = z.object({ intent: z.string().nullable(), confidence: probability });
export const predictReply = z.object({ modelVersion: int.nullable(), kind: predictorKind, predictions: z.array(prediction) });

export const simulateRequest = z.strictObject({
  calls: z.number().int().min(1).max(200_000),
  /** Simulated start time of the first call (epoch ms); default: each call starts now. */
  startAt: int.optional(),
  /** Simulated time between consecutive calls' starts, with startAt (default 0). */
  spacingMs: int.max(86_400_000).optional(),
});
export const simulateReply = z.object({ firstSeq: int, lastSeq: int, headSeq: int, modelVersion: int.nullable() });

/** Each count arms a fault for the next N matching requests. */
export const faultSettings = z.strictObject({
  fail: count.optional(),
  delay: count.optional(),
  delayMs: count.max(600_000).optional(),
  truncate: count.optional(),
  hangUp: count.optional(),
  repeatIds: count.optional(),
  skipIds: count.optional(),
  match: z.string().max(512).optional(),
});
export const faultsReply = z.object({ faults: faultSettings });

export type WireIntent = z.output<typeof intent>;
export type WireCall = z.output<typeof call>;
export type WireFeedPage = z.output<typeof feedPage>;
export type WireLabelInput = z.output<typeof labelInput>;
export type WireStoredLabel = z.output<typeof storedLabel>;
export type WireLabelUploadResult = z.output<typeof labelUploadResult>;
export type WireModelSummary = z.output<typeof modelSummary>;
export type WirePrediction = z.output<typeof prediction>;
export type WirePredictContext = z.output<typeof predictContext>;
export type WireFaultSettings = z.output<typeof faultSettings>;
export type WireIntentPatch = z.output<typeof intentPatch>;
export type WirePredictorKind = z.output<typeof predictorKind>;
