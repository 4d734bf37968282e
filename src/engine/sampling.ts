import { createRng, cryptoUniform, permutation, resumeRng, type UniformSource } from '../random/rng';

/**
 * Batch sampling. Poisson sampling (each example joins independently with probability q) is what
 * the privacy accountants assume; its batches vary in size, so they are padded up to a few fixed
 * bucket sizes with masked rows (weight 0). Fixed shapes matter: TF.js's WebGPU buffer pool is keyed
 * by exact size and would grow without bound under arbitrary batch shapes.
 */
export interface Batch {
  /** Example indices, padded to `indices.length === paddedSize` (padding repeats index 0). */
  indices: Int32Array;
  /** 1 for a real row, 0 for padding. */
  mask: Float32Array;
  /** Number of real rows (may be 0 under Poisson sampling). */
  realSize: number;
}

/**
 * Where a sampler's randomness comes from.
 * - secure: the platform CSPRNG. Nothing derives from a seed and there is no state to save, so no
 *   config, URL, checkpoint or export lets anyone recompute or predict which examples a step used,
 *   as the accountants' amplification by subsampling assumes.
 * - seeded: a stream derived from `seed` (teaching, tests, reproducible sweeps); `resume` is a
 *   sampler's earlier `state()`, from which it continues exactly. Not private against anyone who
 *   knows the seed.
 */
export type SamplingRandomness = { kind: 'secure' } | { kind: 'seeded'; seed: number; resume?: number };

export interface BatchSampler {
  readonly kind: 'poisson' | 'shuffle';
  readonly randomness: SamplingRandomness['kind'];
  /** True when the privacy accountant's Poisson assumption holds for these batches. */
  readonly coveredByAccountant: boolean;
  next(): Batch;
  /**
   * Seeded: a number from which the same sampler (same arguments) continues exactly (see
   * `SamplingRandomness.resume`). Secure: null, by design: there is nothing to save or replay.
   */
  state(): number | null;
}

/**
 * Bucket sizes for an expected batch size B: multiples of a step of about B/8, so padding wastes at
 * most ~12% and a run sees only a handful of distinct shapes (Poisson sizes concentrate at B ± 3√B).
 */
export function bucketSize(realSize: number, expectedBatch: number): number {
  const stepSize = Math.max(1, 2 ** Math.floor(Math.log2(Math.max(1, expectedBatch / 8))));
  return Math.max(stepSize, Math.ceil(realSize / stepSize) * stepSize);
}

function padded(real: number[], expectedBatch: number): Batch {
  const size = bucketSize(real.length, expectedBatch);
  const indices = new Int32Array(size);
  const mask = new Float32Array(size);
  for (let i = 0; i < real.length; i++) {
    indices[i] = real[i];
    mask[i] = 1;
  }
  return { indices, mask, realSize: real.length };
}

/**
 * Poisson sampling with rate q = B/N. Draws the gaps between selected examples from the geometric
 * distribution, so a step costs O(B) instead of O(N) uniform draws. Memoryless: a secure sampler
 * resumed after a reload simply keeps drawing fresh batches.
 */
export function poissonSampler(n: number, expectedBatch: number, randomness: SamplingRandomness): BatchSampler {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`poissonSampler: dataset size must be a positive integer, got ${n}`);
  if (!(expectedBatch >= 1 && expectedBatch <= n)) {
    throw new RangeError(`poissonSampler: expected batch size must be in [1, ${n}], got ${expectedBatch}`);
  }
  let rng: UniformSource;
  let state: () => number | null;
  if (randomness.kind === 'secure') {
    rng = cryptoUniform();
    state = () => null;
  } else {
    const seeded = randomness.resume === undefined ? createRng(randomness.seed) : resumeRng(randomness.resume);
    rng = seeded;
    state = () => seeded.state();
  }
  const q = expectedBatch / n;
  const logNotQ = Math.log1p(-q);
  return {
    kind: 'poisson',
    randomness: randomness.kind,
    coveredByAccountant: true,
    state,
    next(): Batch {
      const chosen: number[] = [];
      if (q >= 1) {
        for (let i = 0; i < n; i++) chosen.push(i);
      } else {
        let i = -1;
        for (;;) {
          // Gap to the next selected example: Geometric(q) on {1, 2, ...}.
          const u = 1 - rng.next(); // (0, 1]
          i += 1 + Math.floor(Math.log(u) / logNotQ);
          if (i >= n) break;
          chosen.push(i);
        }
      }
      return padded(chosen, expectedBatch);
    },
  };
}

/**
 * Fixed-size batches from a fresh permutation each epoch (⌊N/B⌋ batches; the remainder waits for the
 * next epoch). Seeded: epoch e's permutation comes from its own stream, so the sampler's whole state
 * is the number of batches drawn. Secure: each permutation comes from the CSPRNG and is never saved,
 * so a resumed secure sampler starts a fresh epoch. Not covered by the DP accountants.
 */
export function shuffleSampler(n: number, batchSize: number, randomness: SamplingRandomness): BatchSampler {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shuffleSampler: dataset size must be a positive integer, got ${n}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= n)) {
    throw new RangeError(`shuffleSampler: batch size must be an integer in [1, ${n}], got ${batchSize}`);
  }
  const resume = randomness.kind === 'seeded' ? (randomness.resume ?? 0) : 0;
  if (!(Number.isInteger(resume) && resume >= 0))
    throw new RangeError(`shuffleSampler: resume position must be a count ≥ 0, got ${resume}`);
  const perEpoch = Math.floor(n / batchSize);
  let drawn = resume;
  let epoch = -1;
  let perm = new Int32Array(0);
  let permutationFor: (epoch: number) => Uint32Array;
  if (randomness.kind === 'secure') {
    const rng = cryptoUniform();
    permutationFor = () => permutation(n, rng);
  } else {
    const { seed } = randomness;
    permutationFor = (e) => permutation(n, createRng(seed * 1_000_003 + e));
  }
  return {
    kind: 'shuffle',
    randomness: randomness.kind,
    coveredByAccountant: false,
    state: () => (randomness.kind === 'secure' ? null : drawn),
    next(): Batch {
      const e = Math.floor(drawn / perEpoch);
      if (e !== epoch) {
        perm = Int32Array.from(permutationFor(e));
        epoch = e;
      }
      const start = (drawn % perEpoch) * batchSize;
      drawn++;
      return { indices: perm.slice(start, start + batchSize), mask: new Float32Array(batchSize).fill(1), realSize: batchSize };
    },
  };
}
