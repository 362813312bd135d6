import { decodeBase64, encodeBase64 } from './base64';
import { completeFeaturizerConfig, type FeaturizerConfig } from './featurize';
import type { IntentModel } from './train';

export const ARTIFACT_FORMAT = 'callsift-intent-model';
/** The version written. 2 added the context groups of the featurizer (`promptGroupWeight`, `previousGroupWeight`). */
export const ARTIFACT_VERSION = 2;
/** Versions read: a version-1 artifact has no context groups and predicts as it always did. */
export const READABLE_ARTIFACT_VERSIONS: readonly number[] = [1, 2];

/**
 * The model artifact: everything needed to predict (normalization is fixed by the format version, featurizer config,
 * kept hash columns with their IDF, linear weights, labels, softmax temperature, out-of-scope threshold), as JSON
 * with typed arrays in little-endian base64. Documented in docs/model-artifact.md.
 */
export interface ModelArtifact {
  readonly format: typeof ARTIFACT_FORMAT;
  /** `ARTIFACT_VERSION` when written; 1 or 2 when read. */
  readonly version: number;
  /** Class index order: intent ids. */
  readonly labels: readonly string[];
  readonly temperature: number;
  /**
   * Temperature of the out-of-scope score (`outOfScopeScoresOf`); optional, absent = `temperature` (1 − max
   * probability), so artifacts written before it load and predict as before.
   */
  readonly outOfScopeTemperature?: number;
  /**
   * Platt scaling of the top probability after the softmax (`scaleTopLabel`); optional, absent = none, so artifacts
   * written before it load and predict as before.
   */
  readonly topLabelScaling?: { readonly slope: number; readonly intercept: number };
  /** Utterances whose out-of-scope score (`outOfScopeScoresOf` the model) is ≥ this are "no match". */
  readonly outOfScopeThreshold: number;
  readonly featurizer: {
    readonly config: FeaturizerConfig;
    readonly documents: number;
    /** Int32 little-endian, base64. */
    readonly columnBuckets: string;
    /** Float32 little-endian, base64. */
    readonly idf: string;
  };
  readonly classes: number;
  readonly features: number;
  /** Float32 little-endian, base64, feature-major (weight of feature j for class c at j × classes + c). */
  readonly weights: string;
  /** Float32 little-endian, base64, one per class. */
  readonly bias: string;
}

/** Serializes a trained model (with its chosen out-of-scope threshold) as an artifact. */
export function toArtifact(model: IntentModel, outOfScopeThreshold: number): ModelArtifact {
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    labels: [...model.labels],
    temperature: model.temperature,
    ...(model.outOfScopeTemperature === undefined ? {} : { outOfScopeTemperature: model.outOfScopeTemperature }),
    ...(model.topLabelScaling ? { topLabelScaling: { slope: model.topLabelScaling.slope, intercept: model.topLabelScaling.intercept } } : {}),
    outOfScopeThreshold,
    featurizer: {
      config: model.featurizer.config,
      documents: model.featurizer.documents,
      columnBuckets: encodeBase64(littleEndianBytes(model.featurizer.columnBuckets)),
      idf: encodeBase64(littleEndianBytes(model.featurizer.idf)),
    },
    classes: model.classes,
    features: model.features,
    weights: encodeBase64(littleEndianBytes(model.weights)),
    bias: encodeBase64(littleEndianBytes(model.bias)),
  };
}

/** Loads an artifact back into a model; throws a RangeError naming the field that is wrong. */
export function loadModelArtifact(raw: unknown): { model: IntentModel; outOfScopeThreshold: number } {
  if (typeof raw !== 'object' || raw === null) throw new RangeError('model artifact: not an object');
  const a = raw as Partial<ModelArtifact>;
  if (a.format !== ARTIFACT_FORMAT) throw new RangeError(`model artifact: format must be "${ARTIFACT_FORMAT}"`);
  if (typeof a.version !== 'number' || !READABLE_ARTIFACT_VERSIONS.includes(a.version)) {
    throw new RangeError(`model artifact: version ${String(a.version)} is not supported (this build reads ${READABLE_ARTIFACT_VERSIONS.join(' and ')})`);
  }
  if (!Array.isArray(a.labels) || !a.featurizer || typeof a.classes !== 'number' || typeof a.features !== 'number') {
    throw new RangeError('model artifact: labels, featurizer, classes and features are required');
  }
  const columnBuckets = new Int32Array(fromLittleEndian(decodeBase64(a.featurizer.columnBuckets), 4));
  const idf = new Float32Array(fromLittleEndian(decodeBase64(a.featurizer.idf), 4));
  const weights = new Float32Array(fromLittleEndian(decodeBase64(a.weights ?? ''), 4));
  const bias = new Float32Array(fromLittleEndian(decodeBase64(a.bias ?? ''), 4));
  if (weights.length !== a.classes * a.features) throw new RangeError('model artifact: weights do not match classes × features');
  if (bias.length !== a.classes || a.labels.length !== a.classes) throw new RangeError('model artifact: bias and labels must have one entry per class');
  if (columnBuckets.length !== idf.length) throw new RangeError('model artifact: columnBuckets and idf differ in length');
  const scaling = a.topLabelScaling ?? undefined;
  if (scaling !== undefined && !isIncreasingSigmoid(scaling)) {
    throw new RangeError('model artifact: topLabelScaling needs a finite slope > 0 and a finite intercept');
  }
  return {
    model: {
      labels: a.labels,
      temperature: a.temperature ?? 1,
      ...(typeof a.outOfScopeTemperature === 'number' ? { outOfScopeTemperature: a.outOfScopeTemperature } : {}),
      ...(scaling ? { topLabelScaling: { slope: scaling.slope, intercept: scaling.intercept } } : {}),
      classes: a.classes,
      features: a.features,
      weights,
      bias,
      featurizer: { config: completeFeaturizerConfig(a.featurizer.config), documents: a.featurizer.documents, columnBuckets, idf },
    },
    outOfScopeThreshold: a.outOfScopeThreshold ?? 1,
  };
}

function isIncreasingSigmoid(value: unknown): value is { slope: number; intercept: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { slope, intercept } = value as { slope?: unknown; intercept?: unknown };
  return typeof slope === 'number' && Number.isFinite(slope) && slope > 0 && typeof intercept === 'number' && Number.isFinite(intercept);
}

const littleEndianHost = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function littleEndianBytes(array: Int32Array | Float32Array): Uint8Array {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return littleEndianHost ? bytes : swap32(bytes);
}

function fromLittleEndian(bytes: Uint8Array, width: 4): ArrayBuffer {
  if (bytes.length % width !== 0) throw new RangeError('model artifact: a typed array has a partial element');
  const copy = littleEndianHost ? bytes.slice() : swap32(bytes);
  return copy.buffer as ArrayBuffer;
}

function swap32(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    out[i] = bytes[i + 3]!;
    out[i + 1] = bytes[i + 2]!;
    out[i + 2] = bytes[i + 1]!;
    out[i + 3] = bytes[i]!;
  }
  return out;
}
