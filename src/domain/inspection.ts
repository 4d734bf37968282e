import type { GradStats } from './gradStats';

/** One iteration taken apart, for step-through teaching mode. */
export interface Inspection {
  step: number;
  /** Indices and labels of the examples Poisson sampling drew (real rows only). */
  indices: Int32Array;
  labels: Int32Array;
  paddedSize: number;
  expectedBatchSize: number;
  loss: number;
  /** Present for private runs: the per-sample view of this very step. */
  stats?: GradStats;
  /** σ·S, the noise std per coordinate of the clipped sum (null without privacy). */
  noiseStd: number | null;
  updateNorm: number;
  learningRate: number;
}
