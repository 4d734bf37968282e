import type { RunConfig } from '../config/runConfig';
import type { DecisionBoundary } from '../domain/boundary';
import type { GradStats } from '../domain/gradStats';
import type { Inspection } from '../domain/inspection';
import { latestLearningRate, type LrChange } from '../domain/learningRate';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunId, RunState } from '../domain/run';
import type { RunSummary } from '../domain/runSummary';

/** A run as the page shows it: what the user asked for, and what the worker reported of it. */
export interface RunView {
  id: RunId;
  config: RunConfig;
  /** Legend colour and label. */
  color: string;
  label: string;
  /** Latest step-through report. */
  inspection?: Inspection;
  state: RunState;
  message?: string;
  /** What the engine announced of the run (dataset, planned steps, σ, privacy facts), once it has. */
  summary?: RunSummary;
  metrics: MetricPoint[];
  /** Training points of a 2D set (drawn over the decision boundary). */
  preview?: { x: Float32Array; y: Int32Array };
  gradStats?: GradStats;
  boundary?: DecisionBoundary;
  /**
   * ε already spent by steps that were shown before the run went back to an older checkpoint (device
   * loss, reload): the ε shown never drops below it (see `selectEpsilonSpent`).
   */
  epsilonFloor?: number;
  /** Learning-rate changes made while it trained, as the worker recorded them (its schedule). */
  lrChanges?: LrChange[];
}

/**
 * The config the run trains with from here on: its own, with the learning rate it was last changed
 * to. What the draft must equal for Train to continue the run, and what selecting the run loads.
 */
export function liveConfig(run: RunView): RunConfig {
  const learningRate = latestLearningRate(run.config.train.learningRate, run.lrChanges);
  return learningRate === run.config.train.learningRate ? run.config : { ...run.config, train: { ...run.config.train, learningRate } };
}

/** Replaces run `id` in `runs` (a copy the caller owns) by `patch` of it; nothing if it is gone. */
export function updateRun(runs: Record<RunId, RunView>, id: RunId, patch: (r: RunView) => RunView): void {
  const r = runs[id];
  if (r) runs[id] = patch(r);
}
