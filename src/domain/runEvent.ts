import type { DecisionBoundary } from './boundary';
import type { GradientPlane } from './gradientPlane';
import type { GradStats } from './gradStats';
import type { Inspection } from './inspection';
import type { LrChange } from './learningRate';
import type { MetricPoint } from './metricPoint';
import type { RunId, RunState } from './run';
import type { RunSummary } from './runSummary';

/**
 * What a running run reports (src/engine/runController.ts emits these): the worker forwards them to
 * the page as protocol messages, the CLI reads them directly.
 */
export type RunEvent =
  | {
      type: 'created';
      runId: RunId;
      summary: RunSummary;
      /** Training points of a 2D set, for drawing over the decision boundary. */
      preview?: { x: Float32Array; y: Int32Array };
    }
  | {
      type: 'state';
      runId: RunId;
      state: RunState;
      message?: string;
      /** State 'error' because the loss diverged at this step (the run's last point, evaluated). */
      divergedAt?: number;
    }
  | { type: 'metrics'; runId: RunId; points: MetricPoint[] }
  /** The run's learning-rate changes so far (after a change, or none after a reset). */
  | { type: 'learningRate'; runId: RunId; changes: LrChange[] }
  | { type: 'gradStats'; runId: RunId; stats: GradStats }
  | { type: 'inspection'; runId: RunId; inspection: Inspection }
  /** The batch's per-sample gradients in their top two principal directions (inspected and live-refreshed steps). */
  | { type: 'gradientPlane'; runId: RunId; plane: GradientPlane }
  | ({ type: 'boundary'; runId: RunId } & DecisionBoundary)
  /** A problem that does not stop the run (a checkpoint that could not be saved): no run id, so no run fails. */
  | { type: 'error'; runId?: RunId; message: string };
