import type { RunConfig } from '../config/runConfig';
import type { LrChange } from './learningRate';
import type { RunId, RunState } from './run';
import type { RunSummary } from './runSummary';

/**
 * A run without its metric series: what the runs list and the legend show. Persistence stores it
 * (with timestamps and the privacy history) and the worker sends it to the UI after a reload (with
 * the metrics up to the checkpoint), so both describe a run with the same fields.
 */
export interface RunMeta {
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
  /** What the engine announced when it loaded the data and planned the privacy; null before (it never started). */
  summary: RunSummary | null;
  /**
   * Learning-rate changes made while the run trained, in step order: with the config's learning rate,
   * the schedule a resumed run follows. Absent when none was made (and in files from before it existed).
   */
  lrChanges?: LrChange[];
}
