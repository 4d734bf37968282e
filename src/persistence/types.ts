import type { RunConfig } from '../config/runConfig';
import type { RunCheckpoint, PrivacySegment } from '../domain/checkpoint';
import type { LrChange } from '../domain/learningRate';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId, RunState } from '../domain/run';
import type { RunSummary } from '../domain/runSummary';

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
  /** What the engine announced when it loaded the data and planned the privacy; null before. */
  summary: RunSummary | null;
  /**
   * Privacy history of every step whose results were shown (released), recorded before they were. A
   * resume never accounts fewer steps, whatever checkpoint it starts from. Absent before the first
   * private step (and in files from before it existed).
   */
  released?: PrivacySegment[];
  /**
   * Learning-rate changes made while the run trained, in step order: with the config's learning rate,
   * the schedule a resumed run follows. Absent when none was made (and in files from before it existed).
   */
  lrChanges?: LrChange[];
}

/** What `saveRun` takes: the repository sets the timestamps (a given createdAt is used for a new run). */
export type RunMetaInput = Omit<StoredRunMeta, 'createdAt' | 'updatedAt'> & { createdAt?: number; updatedAt?: number };

/** A whole run: what `loadRun` returns and what export/import carry. Metrics are sorted by step. */
export interface StoredRun {
  meta: StoredRunMeta;
  metrics: MetricPoint[];
  checkpoint?: StoredCheckpoint;
}
