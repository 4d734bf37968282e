import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { createAccountant } from '../privacy';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunEvent } from '../domain/runEvent';

/** Small fixtures for the engine's tests (and the worker's persistence test). */

/** A data provider for synthetic sets only. */
export const noMnist = { mnist: () => Promise.reject(new Error('not used here')) };

/**
 * A private run on 450 training points of the circle set (batch 32: q = 32/450), σ = 1.1, RDP,
 * seeded noise (reproducible), evaluated only at the end.
 */
export function smallPrivateConfig(privacy: Partial<RunConfig['privacy']> = {}): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    data: { source: 'synthetic', name: 'circle', n: 600, noise: 0.05, testFraction: 0.25 },
    model: { preset: 'mlp', hidden: [8], activation: 'relu' },
    train: { ...c.train, batchSize: 32, epochs: 5, evalEvery: 1000 },
    privacy: { ...c.privacy, secureNoise: false, noise: { mode: 'sigma', sigma: 1.1 }, accountant: 'rdp', ...privacy },
  };
}

/** RDP ε at δ = 1e-5 (the accountant is checked against reference values in src/privacy). */
export const rdpEpsilon = (q: number, sigma: number, steps: number) =>
  createAccountant('rdp').step(q, sigma, steps).getEpsilon(1e-5).epsilon;

export const metricPoints = (events: readonly RunEvent[]): MetricPoint[] => events.flatMap((e) => (e.type === 'metrics' ? e.points : []));
