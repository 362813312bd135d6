/** A linear multiclass scorer. `weights` is feature-major: the weight of feature j for class c is `weights[j * classes + c]`. */
export interface LinearScorer {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}
