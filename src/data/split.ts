/**
 * Seeded train/test splits and row subsets. The test set is a uniformly random subset of size
 * round(N · testFraction); the two index sets are disjoint and together cover every row.
 */
import type { Dataset, DatasetSplit } from './types';
import { DatasetError } from './errors';
import { createRng, permutation } from '../random/rng';

/** A new dataset with the given rows (in the given order); copies the data. */
export function subsetDataset(d: Dataset, indices: ArrayLike<number>, name = d.name): Dataset {
  const n = d.y.length;
  const dim = n === 0 ? 0 : d.x.length / n;
  const x = new Float32Array(indices.length * dim);
  const y = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= n) {
      throw new RangeError(`subsetDataset: index ${j} out of range [0, ${n})`);
    }
    x.set(d.x.subarray(j * dim, (j + 1) * dim), i * dim);
    y[i] = d.y[j];
  }
  return { ...d, name, x, y };
}

/** Rows a split of `n` rows holds out for test: round(n · testFraction), both parts non-empty. */
export function testRowsOf(n: number, testFraction: number): number {
  return Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
}

/** Which rows go to train and test; sorted ascending within each part. */
export function splitIndices(n: number, testFraction: number, seed: number): { train: Uint32Array; test: Uint32Array } {
  if (!Number.isInteger(n) || n < 2) {
    throw new DatasetError('bad-options', `split: need at least 2 rows to split, got ${n}`);
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DatasetError('bad-options', `split: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const nTest = testRowsOf(n, testFraction);
  const p = permutation(n, createRng(seed));
  const test = p.slice(0, nTest).sort();
  const train = p.slice(nTest).sort();
  return { train, test };
}

/** Seeded split into train and test; both parts are non-empty. */
export function splitDataset(d: Dataset, testFraction: number, seed: number): DatasetSplit {
  const { train, test } = splitIndices(d.y.length, testFraction, seed);
  return {
    train: subsetDataset(d, train, d.name),
    test: subsetDataset(d, test, d.name),
  };
}
