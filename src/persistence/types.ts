import type { RunCheckpoint, PrivacySegment } from '../domain/checkpoint';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId } from '../domain/run';
import type { RunMeta } from '../domain/runMeta';

/**
 * What persistence keeps of a run. The repository (IndexedDB) and the JSON exchange format share these
 * shapes; `schema.ts` validates them wherever they enter. The checkpoint itself is the engine's
 * (src/domain/checkpoint.ts).
 */

/** The latest checkpoint of a run, as stored (one per run; a new save replaces it). */
export interface StoredCheckpoint {
  runId: RunId;
  step: number;
  /** Epoch milliseconds. */
  savedAt: number;
  payload: RunCheckpoint;
}

/** A run's metadata as stored: the shared run description plus timestamps and its privacy history. */
export interface StoredRunMeta extends RunMeta {
  /** Epoch milliseconds. `saveRun` keeps the first createdAt and stamps updatedAt. */
  createdAt: number;
  updatedAt: number;
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
