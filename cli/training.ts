/**
 * Training in Node for `autoclip train` and `autoclip sweep`: the TF.js CPU backend (without its
 * "install tfjs-node" banner), the data provider, and a loop that trains a TrainingRun to the end
 * with the same evaluation schedule as the playground's RunController.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../src/config/runConfig';
import { readMnistSplit } from '../src/data/node';
import type { DatasetSplit } from '../src/data/types';
import { loadSplit, type DataProvider } from '../src/engine/datasets';
import { DivergenceWatch } from '../src/engine/divergence';
import { type TrainingRun } from '../src/engine/trainingRun';
import type { MetricPoint } from '../src/domain/metricPoint';
import { createAccountant } from '../src/privacy';
import { fmt } from './command';
import { UsageError } from './args';

let backendReady: Promise<void> | null = null;

/**
 * Selects the CPU backend. TF.js prints a one-time hint to install tfjs-node (console.warn, on the
 * first tensor the CPU backend stores); that hint, and only it, is dropped.
 */
export function initNodeBackend(): Promise<void> {
  backendReady ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (args.some((a) => typeof a === 'string' && a.includes('tfjs-node'))) return;
      warn(...args);
    };
    await tf.setBackend('cpu');
    await tf.ready();
    tf.tensor1d([0]).dispose();
  })();
  return backendReady;
}

let mnist: Promise<DatasetSplit> | null = null;
const provider: DataProvider = { mnist: () => (mnist ??= readMnistSplit()) };

export function loadData(config: RunConfig): Promise<DatasetSplit> {
  return loadSplit(config.data, config.seed, provider);
}

export interface TrainOptions {
  /** Evaluate every this many steps and at the last step; Infinity = only at the end. */
  evalEvery: number;
  /** Also evaluate after the first step (default true: the live view's first point). */
  evalFirst?: boolean;
  onPoint?: (point: MetricPoint, run: TrainingRun) => void;
}

export interface TrainOutcome {
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
  /** The loss became non-finite or exploded at this step (the playground's DivergenceWatch), and training stopped there. */
  divergedAt: number | null;
  /** Why training ended before the planned steps (divergence, or a hard privacy budget); null otherwise. */
  stopReason: string | null;
}

/** Throws a usage error when the run is done before its first step (a hard ε budget smaller than one step's ε). */
export function assertCanStep(run: TrainingRun): void {
  if (run.done && run.step === 0) throw new UsageError(noStepAllowed(run));
}

function noStepAllowed(run: TrainingRun): string {
  const p = run.privacy;
  const budget = run.config.privacy.budgetEpsilon;
  if (!p.enabled || p.sigma === null || budget === null) return 'invalid config: the run has no step to take';
  const first = createAccountant(p.accountantName).step(p.sampleRate, p.sigma, 1).getEpsilon(p.delta).epsilon;
  return (
    `invalid config: privacy.budgetEpsilon ${budget} allows no training step: one step at q = ${fmt(p.sampleRate)}, ` +
    `σ = ${fmt(p.sigma)} already spends ε = ${fmt(first)} (${p.accountantName}, δ = ${p.delta}); raise the budget or the noise`
  );
}

/** Trains `run` until done (or until the loss is no longer finite) and evaluates at the end. */
export async function trainToEnd(run: TrainingRun, options: TrainOptions): Promise<TrainOutcome> {
  const points: MetricPoint[] = [];
  let samples = 0;
  let divergedAt: number | null = null;
  let stopReason: string | null = null;
  let last: MetricPoint | undefined;
  const watch = new DivergenceWatch(run.privacy.enabled);
  assertCanStep(run);
  while (!run.done) {
    const { point } = await run.trainStep();
    samples += point.batchSize;
    const verdict = watch.check(point.step, point.loss);
    const diverged = verdict !== null;
    const evalDue = (point.step === 1 && options.evalFirst !== false) || point.step % options.evalEvery === 0 || run.done || diverged;
    let full: MetricPoint = point;
    if (evalDue) {
      full = { ...point, ...(await run.evaluate()) };
      if (run.privacy.enabled) full.epsilon = run.ledger.epsilon();
    }
    points.push(full);
    last = full;
    options.onPoint?.(full, run);
    if (verdict) {
      divergedAt = point.step;
      stopReason = verdict.reason;
      break;
    }
  }
  if (stopReason === null && run.step < run.totalSteps) stopReason = run.stopReason ?? null;
  if (!last || last.testAcc === undefined) throw new Error('training ended without an evaluation');
  return {
    points,
    steps: run.step,
    trainAcc: last.trainAcc!,
    testAcc: last.testAcc,
    testLoss: last.testLoss!,
    epsilon: run.privacy.enabled ? run.ledger.epsilon() : null,
    epsilonRdp: run.privacy.enabled ? run.ledger.epsilonRdp() : null,
    trainingMs: last.elapsedMs,
    samples,
    divergedAt,
    stopReason,
  };
}
