import type { DecisionBoundary } from './boundary';
import type { DatasetMeta } from './dataset';
import type { GradStats } from './gradStats';
import type { Inspection } from './inspection';
import type { MetricPoint } from './metricPoint';
import type { RunId, RunState } from './run';

/**
 * What a running run reports (src/engine/runController.ts emits these): the worker forwards them to
 * the page as protocol messages, the CLI reads them directly.
 */
export type RunEvent =
  | {
      type: 'created';
      runId: RunId;
      dataset: DatasetMeta;
      totalSteps: number;
      /** Noise multiplier in use (calibrated for a target ε); null for a non-private run. */
      sigma: number | null;
      /** Training points of a 2D set, for drawing over the decision boundary. */
      preview?: { x: Float32Array; y: Int32Array };
      /** Privacy facts of the run: q, δ, accountant, and notes (calibration, caveats). */
      privacy: {
        enabled: boolean;
        sampleRate: number;
        delta: number;
        accountant: string;
        coveredByAccountant: boolean;
        /** ε the accountant gives at the planned number of steps (null without privacy). */
        projectedEpsilon: number | null;
        notes: string[];
      };
    }
  | { type: 'state'; runId: RunId; state: RunState; message?: string }
  | { type: 'metrics'; runId: RunId; points: MetricPoint[] }
  | { type: 'gradStats'; runId: RunId; stats: GradStats }
  | { type: 'inspection'; runId: RunId; inspection: Inspection }
  | ({ type: 'boundary'; runId: RunId } & DecisionBoundary)
  /** A problem that does not stop the run (a checkpoint that could not be saved): no run id, so no run fails. */
  | { type: 'error'; runId?: RunId; message: string };
