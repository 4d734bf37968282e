import type { RunConfig } from '../config/runConfig';
import type { DatasetMeta, MetricPoint, RunId, RunState } from '../protocol/messages';

/**
 * What persistence keeps of a run. The repository (IndexedDB) and the JSON exchange format share these
 * shapes; `schema.ts` validates them wherever they enter.
 */

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
 * Everything the engine needs to continue a run exactly where it stopped. Written by the engine, opaque
 * to the UI; Float32Arrays are stored natively (structured clone), not as number arrays.
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

/** The latest checkpoint of a run, as stored (one per run; a new save replaces it). */
export interface StoredCheckpoint {
  runId: RunId;
  step: number;
  /** Epoch milliseconds. */
  savedAt: number;
  payload: RunCheckpoint;
}

/** A run's metadata: everything the runs list and legend need, without its metric series. */
export interface StoredRunMeta {
  id: RunId;
  config: RunConfig;
  label: string;
  /** Legend colour, `#rrggbb`. */
  color: string;
  /**
   * State when last saved. A run saved as 'running' was interrupted (reload or crash); the caller
   * decides how to show it (normally as paused, resumable from its checkpoint).
   */
  state: RunState;
  /** Why the run stopped or failed, when it did. */
  message?: string;
  /** Epoch milliseconds. `saveRun` keeps the first createdAt and stamps updatedAt. */
  createdAt: number;
  updatedAt: number;
  /** Known once the worker has loaded the data (null before). */
  dataset: DatasetMeta | null;
  totalSteps: number | null;
  /** Noise multiplier in use; null for a non-private run or before calibration. */
  sigma: number | null;
  /** ε at the planned number of steps; null without privacy or before calibration. */
  projectedEpsilon: number | null;
  /** Calibration results and caveats from the worker's privacy plan. */
  notes: string[];
  /**
   * Privacy history of every step whose results were shown (released), recorded before they were. A
   * resume never accounts fewer steps, whatever checkpoint it starts from. Absent before the first
   * private step (and in files from before it existed).
   */
  released?: PrivacySegment[];
}

/** What `saveRun` takes: the repository sets the timestamps (a given createdAt is used for a new run). */
export type RunMetaInput = Omit<StoredRunMeta, 'createdAt' | 'updatedAt'> & { createdAt?: number; updatedAt?: number };

/** A whole run: what `loadRun` returns and what export/import carry. Metrics are sorted by step. */
export interface StoredRun {
  meta: StoredRunMeta;
  metrics: MetricPoint[];
  checkpoint?: StoredCheckpoint;
}
