/**
 * Trains a run to its end through RunController, the loop the playground's worker drives, and
 * returns what the run's events said. For hosts that train start to finish with nothing else to
 * do between steps (the `autoclip` CLI, the lessons): the loop yields to no timer, and draws no
 * decision boundary.
 */
import type { GradStats } from '../domain/gradStats';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunEvent } from '../domain/runEvent';
import { RunController } from './runController';
import type { TrainingRun } from './trainingRun';

type StateEvent = Extract<RunEvent, { type: 'state' }>;

export interface TrainOptions {
  /** Evaluate every this many steps and at the last step (default config.train.evalEvery); Infinity: only at the end. */
  evalEvery?: number;
  /** Also evaluate after the first step (default true: the live view's first point). */
  evalFirst?: boolean;
  /** Each step's point as the run reports it; evaluated ones carry accuracy (and ε for a private run). */
  onPoint?: (point: MetricPoint) => void;
}

export interface TrainOutcome {
  /** One point per step taken; the last one is always evaluated. */
  points: MetricPoint[];
  steps: number;
  trainAcc: number;
  testAcc: number;
  testLoss: number;
  /** ε by the configured accountant after the steps taken; null without privacy. */
  epsilon: number | null;
  /** RDP upper bound on ε; null without privacy. */
  epsilonRdp: number | null;
  /** Time spent in training steps (evaluation excluded), ms. */
  trainingMs: number;
  /** Real examples seen. */
  samples: number;
  /** The loss became non-finite or exploded at this step (DivergenceWatch), and training stopped there. */
  divergedAt: number | null;
  /** Why training ended before the planned steps (divergence, or a hard privacy budget); null otherwise. */
  stopReason: string | null;
  /** The per-sample gradient statistics of the last step (private runs); null without them. */
  lastGradStats: GradStats | null;
}

/**
 * Trains `run` (which the caller still owns and disposes) until it is done or diverges. Throws with
 * the run's message when a step fails, and when the run ends without an evaluation (it had no step to
 * take: then with the run's reason).
 */
export async function trainToEnd(run: TrainingRun, options: TrainOptions = {}): Promise<TrainOutcome> {
  const points: MetricPoint[] = [];
  const seen: { gradStats: GradStats | null; end: StateEvent | null } = { gradStats: null, end: null };
  const take = (e: RunEvent): void => {
    if (e.type === 'metrics') {
      for (const p of e.points) {
        points.push(p);
        options.onPoint?.(p);
      }
    } else if (e.type === 'gradStats') {
      seen.gradStats = e.stats;
    } else if (e.type === 'state' && (e.state === 'done' || e.state === 'error')) {
      seen.end = e;
    }
  };
  const controller = new RunController('trainToEnd', run.config, run.data, take, {
    run,
    evalEvery: options.evalEvery,
    evalFirst: options.evalFirst,
    boundary: false,
    yieldToEvents: () => Promise.resolve(),
  });
  controller.start();
  await controller.settled();
  const ended = seen.end;
  if (ended?.state === 'error' && ended.divergedAt === undefined) throw new Error(ended.message ?? 'the run failed');
  const last = points.at(-1);
  // A run done before its first step (a budget smaller than one step's ε) ends with the engine's reason.
  if (!ended || !last || last.testAcc === undefined) throw new Error(ended?.message ?? 'training ended without an evaluation');
  return {
    points,
    steps: last.step,
    trainAcc: last.trainAcc!,
    testAcc: last.testAcc,
    testLoss: last.testLoss!,
    epsilon: last.epsilon ?? null,
    epsilonRdp: last.epsilonRdp ?? null,
    trainingMs: last.elapsedMs,
    samples: points.reduce((n, p) => n + p.batchSize, 0),
    divergedAt: ended.divergedAt ?? null,
    stopReason: ended.message ?? null,
    lastGradStats: seen.gradStats,
  };
}
