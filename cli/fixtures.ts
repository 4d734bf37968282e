/** Small configs for the CLI tests: a synthetic circle set that trains in about a second. */
import { defaultRunConfig, type RunConfig } from '../src/config/runConfig';
import type { SweepConfig } from '../src/config/sweepConfig';

export function smallRunConfig(privacy: Partial<RunConfig['privacy']> = {}): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    data: { source: 'synthetic', name: 'circle', n: 400, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'mlp', hidden: [8], activation: 'relu' },
    train: { ...c.train, optimizer: 'adam', learningRate: 0.02, batchSize: 50, epochs: 4, evalEvery: 10 },
    privacy: { ...c.privacy, secureNoise: false, ...privacy },
    engine: { dpPath: 'ops', backend: 'auto' },
  };
}

export function smallSweepConfig(): SweepConfig {
  return {
    base: smallRunConfig({ accountant: 'rdp', noise: { mode: 'target', epsilon: 3 } }),
    clipping: { abadi: { R: [0.1, 1], lr: [0.01, 0.05] }, 'auto-s': { lr: [0.01, 0.05] } },
  };
}
