/**
 * Per-feature standardisation z = (x − mean) / std with statistics from the TRAIN split only, so
 * nothing about the test set leaks into training. Constant features keep std = 1 (centred only).
 */
import type { Dataset, DatasetSplit } from './types';

export interface FeatureStats {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export function featureStats(d: Dataset): FeatureStats {
  const n = d.y.length;
  const dim = d.inputShape.reduce((a, b) => a * b, 1);
  const mean = new Float64Array(dim);
  const m2 = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) mean[j] += d.x[i * dim + j];
  }
  for (let j = 0; j < dim; j++) mean[j] = n > 0 ? mean[j] / n : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const dv = d.x[i * dim + j] - mean[j];
      m2[j] += dv * dv;
    }
  }
  const std = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    const s = n > 0 ? Math.sqrt(m2[j] / n) : 0;
    std[j] = s > 1e-12 ? s : 1;
  }
  return { mean, std };
}

export function applyStandardization(d: Dataset, stats: FeatureStats): Dataset {
  const dim = stats.mean.length;
  const x = new Float32Array(d.x.length);
  for (let i = 0; i < d.x.length; i++) {
    const j = i % dim;
    x[i] = (d.x[i] - stats.mean[j]) / stats.std[j];
  }
  return { ...d, x };
}

/** Standardises both parts with the train split's statistics. */
export function standardizeSplit(s: DatasetSplit): { split: DatasetSplit; stats: FeatureStats } {
  const stats = featureStats(s.train);
  return { split: { train: applyStandardization(s.train, stats), test: applyStandardization(s.test, stats) }, stats };
}
