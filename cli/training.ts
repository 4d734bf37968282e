/**
 * Training in Node for `autoclip train`, `sweep` and `lesson`: the TF.js CPU backend (without its
 * "install tfjs-node" banner), the data provider, and the usage error for a run with no step to
 * take. The training itself is the engine's RunController loop (src/engine/trainToEnd.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../src/config/runConfig';
import { readMnistSplit } from '../src/data/node';
import type { DatasetSplit } from '../src/data/types';
import { loadSplit, type DataProvider } from '../src/engine/datasets';
import type { TrainingRun } from '../src/engine/trainingRun';
import { trainToEnd as trainRunToEnd, type TrainOptions, type TrainOutcome } from '../src/engine/trainToEnd';
import { createAccountant } from '../src/privacy';
import { fmt } from './command';
import { UsageError } from './args';

export type { TrainOptions, TrainOutcome };

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

/**
 * Trains `run` to its end through the engine's RunController (src/engine/trainToEnd.ts); a run that
 * cannot take its first step is a usage error naming the budget.
 */
export async function trainToEnd(run: TrainingRun, options: TrainOptions): Promise<TrainOutcome> {
  assertCanStep(run);
  return trainRunToEnd(run, options);
}
