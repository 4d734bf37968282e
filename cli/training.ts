/**
 * What training in Node needs beside the engine, for `autoclip train`, `sweep` and `lesson`: the
 * TF.js CPU backend (without its "install tfjs-node" banner), the data provider (MNIST from the
 * package's files), and the usage error for a run with no step to take. The training itself is the
 * engine's RunController loop, run to its end by src/engine/trainToEnd.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../src/config/runConfig';
import { readMnistSplit } from '../src/data/node';
import type { DatasetSplit } from '../src/data/types';
import { loadSplit, type DataProvider } from '../src/engine/datasets';
import type { TrainingRun } from '../src/engine/trainingRun';
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

/** Throws a usage error, with the engine's reason, when the run is done before its first step (a hard ε budget smaller than one step's ε). */
export function assertCanStep(run: TrainingRun): void {
  if (run.done && run.step === 0) throw new UsageError(`invalid config: ${run.stopReason ?? 'the run has no step to take'}`);
}
