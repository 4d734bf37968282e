/** What a run's checkpoint holds: everything the engine needs to continue it exactly where it stopped. */

/** A tensor's values: row-major float32, `values.length` equals the product of `shape`. */
export interface StoredTensor {
  shape: number[];
  values: Float32Array;
}

/** One (q, σ, steps) segment of a run's privacy history: `steps` steps at sample rate q and noise multiplier σ. */
export interface PrivacySegment {
  q: number;
  sigma: number;
  steps: number;
}

/**
 * Written by the engine, opaque to the UI, stored and exported by persistence. Float32Arrays are
 * stored natively (structured clone), not as number arrays.
 */
export interface RunCheckpoint {
  version: 1;
  /** Steps taken when the checkpoint was made. */
  step: number;
  /** Training time so far (pauses excluded), in ms; `MetricPoint.elapsedMs` continues from it. */
  trainingMs: number;
  /** Model parameters, in the model's own order. */
  params: StoredTensor[];
  optimizer: {
    name: string;
    iterations: number;
    /** Optimizer state (moments, momentum buffers), in the optimizer's own order. */
    slots: StoredTensor[];
  };
  /**
   * Privacy spent so far as (q, σ, steps) segments. For a private run the segment steps add up to at
   * least `step` (more when the run was rewound after releasing steps: those stay spent), checked on
   * save and import, and against the config when the run resumes; a non-private run has an empty
   * history.
   */
  privacy: { history: PrivacySegment[] };
  /**
   * Seeded runs: the state of the batch sampler's seeded stream at `step`, so sampling continues
   * exactly rather than repeats. Runs with secure randomness: null. Their batches come from the
   * CSPRNG, and nothing that could recompute or predict them is stored or exported; a resumed run
   * draws fresh batches. (Checkpoints saved before secure sampling hold a number for every run; a
   * secure run ignores it. That number was derived from the public seed, so it reveals nothing the
   * seed did not.)
   */
  samplerSeed: number | null;
}
