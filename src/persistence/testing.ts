import { privacyCaveats } from '../config/privacyCaveats';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunCheckpoint } from '../domain/checkpoint';
import type { DatasetMeta } from '../domain/dataset';
import type { RunSummary } from '../domain/runSummary';
import type { RunMetaInput, StoredRun } from './types';

/** Small, valid records for the persistence tests. */

export function sampleMetaInput(id: string, overrides: Partial<RunMetaInput> = {}): RunMetaInput {
  const config = defaultRunConfig();
  return {
    id,
    config,
    label: `AUTO-S ${id}`,
    color: '#2563eb',
    state: 'running',
    summary: sampleSummary(config),
    ...overrides,
  };
}

const MNIST_SUBSET: DatasetMeta = {
  name: 'MNIST (8k subset)',
  source: 'mnist',
  trainSize: 8000,
  testSize: 2000,
  inputShape: [28, 28, 1],
  numClasses: 10,
};

/** What the engine announces of a private run of `config` (by default the default config's on the MNIST subset, σ calibrated for ε = 3). */
export function sampleSummary(config: RunConfig, dataset: DatasetMeta = MNIST_SUBSET, sigma = 0.8731): RunSummary {
  return {
    dataset,
    totalSteps: 156,
    sigma,
    privacy: {
      enabled: config.privacy.enabled,
      sampleRate: config.train.batchSize / dataset.trainSize,
      delta: config.privacy.delta,
      accountant: config.privacy.accountant,
      projectedEpsilon: 2.9987,
      notes: ['σ calibrated for ε = 3 at δ = 1e-5'],
      ...privacyCaveats(config),
    },
  };
}

/** Point `step`; every evalEvery-th step carries accuracies and ε, like the engine's stream. */
export function samplePoint(step: number, evalEvery = 10): MetricPoint {
  const p: MetricPoint = {
    step,
    epoch: step / 31.25,
    loss: 2.302585 / Math.sqrt(step) + step * 1e-7,
    batchSize: 250 + (step % 13),
    epsilonRdp: 0.0123 * Math.sqrt(step),
    samplesPerSec: 1000 / 3 + step,
    elapsedMs: step * 12.345678,
  };
  if (step === 1 || step % evalEvery === 0) {
    p.trainAcc = Math.min(1, 0.1 + step / 1000);
    p.testAcc = Math.min(1, 0.09 + step / 1100);
    p.testLoss = 2.4 / Math.sqrt(step);
    p.epsilon = 0.0101 * Math.sqrt(step);
  }
  return p;
}

export function samplePoints(from: number, to: number): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (let s = from; s <= to; s++) out.push(samplePoint(s));
  return out;
}

/** Values that a lossy encoding would change: NaN, ±0, ±Infinity, subnormals, extremes. */
export const AWKWARD_FLOATS = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -3.4028235e38, 0.1, 1 / 3];

function tensor(shape: number[], seed: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    values[i] = ((x >>> 0) / 2 ** 32 - 0.5) * 2 ** ((i % 40) - 20);
  }
  values.set(AWKWARD_FLOATS.slice(0, Math.min(size, AWKWARD_FLOATS.length)));
  return { shape, values };
}

/** The privacy history of `sampleMetaInput`'s run after `step` steps: q = 256/8000, its σ. */
export function sampleHistory(step: number) {
  return step === 0 ? [] : [{ q: 256 / 8000, sigma: 0.8731, steps: step }];
}

export function sampleCheckpoint(step: number): RunCheckpoint {
  return {
    version: 1,
    step,
    trainingMs: step * 12.345678,
    params: [tensor([784, 16], 1), tensor([16], 2), tensor([16, 10], 3), tensor([10], 4)],
    optimizer: { name: 'adam', iterations: step, slots: [tensor([784, 16], 5), tensor([16], 6), tensor([16, 10], 7), tensor([10], 8)] },
    privacy: { history: sampleHistory(step) },
    samplerSeed: 123456789 + step,
  };
}

/** A run checkpointed at `steps`, which had shown 3 more steps before it was rewound there (they stay spent). */
export function sampleRun(id: string, steps: number, withCheckpoint = true): StoredRun {
  return {
    meta: { ...sampleMetaInput(id), createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000, released: sampleHistory(steps + 3) },
    metrics: samplePoints(1, steps),
    ...(withCheckpoint ? { checkpoint: { runId: id, step: steps, savedAt: 1_700_000_050_000, payload: sampleCheckpoint(steps) } } : {}),
  };
}

/** Byte-level equality: NaN payloads and -0 count. */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
