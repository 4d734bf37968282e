/** Dataset metadata for the UI and the accountant (N sets the sampling rate q = B/N), and a consistency check. */
import type { Dataset, DatasetSplit } from './types';
import { DatasetError } from './errors';

export interface DatasetInfo {
  readonly name: string;
  /** Number of examples. */
  readonly n: number;
  readonly inputShape: readonly number[];
  /** prod(inputShape). */
  readonly featureCount: number;
  readonly numClasses: number;
  /** Examples per class, length numClasses. */
  readonly classCounts: readonly number[];
  readonly source: string;
  /** Bytes of the float32 features (what the GPU upload costs). */
  readonly featureBytes: number;
}

export function datasetInfo(d: Dataset): DatasetInfo {
  const classCounts = new Array<number>(d.numClasses).fill(0);
  for (const l of d.y) if (l >= 0 && l < d.numClasses) classCounts[l]++;
  return {
    name: d.name,
    n: d.y.length,
    inputShape: [...d.inputShape],
    featureCount: d.inputShape.reduce((a, b) => a * b, 1),
    numClasses: d.numClasses,
    classCounts,
    source: d.source,
    featureBytes: d.x.byteLength,
  };
}

export function splitInfo(s: DatasetSplit): { readonly train: DatasetInfo; readonly test: DatasetInfo } {
  return { train: datasetInfo(s.train), test: datasetInfo(s.test) };
}

/** Throws a DatasetError if the arrays disagree with the declared shape, or a label or feature is invalid. */
export function validateDataset(d: Dataset): void {
  const per = d.inputShape.reduce((a, b) => a * b, 1);
  const where = d.name;
  if (d.inputShape.length === 0 || d.inputShape.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw new DatasetError('mixed-shapes', `invalid input shape [${d.inputShape.join(', ')}]`, where);
  }
  if (d.x.length !== d.y.length * per) {
    throw new DatasetError(
      'count-mismatch',
      `${d.y.length} labels need ${d.y.length * per} features of shape [${d.inputShape.join(', ')}], got ${d.x.length}`,
      where,
    );
  }
  if (!Number.isInteger(d.numClasses) || d.numClasses < 2) {
    throw new DatasetError('label-out-of-range', `numClasses must be an integer ≥ 2, got ${d.numClasses}`, where);
  }
  for (let i = 0; i < d.y.length; i++) {
    if (d.y[i] < 0 || d.y[i] >= d.numClasses) {
      throw new DatasetError('label-out-of-range', `example ${i} has label ${d.y[i]}, outside 0–${d.numClasses - 1}`, where);
    }
  }
  for (let i = 0; i < d.x.length; i++) {
    if (!Number.isFinite(d.x[i])) {
      throw new DatasetError('non-numeric', `feature ${i % per} of example ${Math.floor(i / per)} is ${d.x[i]}`, where);
    }
  }
}
