import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { createAccountant } from '../privacy';
import { loadSplit } from './datasets';
import { planPrivacy } from './privacyPlan';
import { TrainingRun } from './trainingRun';

const noMnist = { mnist: () => Promise.reject(new Error('not used here')) };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const eps = (accountant: 'prv' | 'rdp' | 'gdp', q: number, sigma: number, steps: number) =>
  createAccountant(accountant).step(q, sigma, steps).getEpsilon(1e-5).epsilon;

/** The playground's MNIST defaults (B = 256 of N = 8000) at σ = 0.6, with a hard budget ε ≤ 8. */
function mnistWithBudget(accountant: RunConfig['privacy']['accountant']): RunConfig {
  const c = defaultRunConfig();
  return {
    ...c,
    train: { ...c.train, epochs: 10 },
    privacy: { ...c.privacy, noise: { mode: 'sigma', sigma: 0.6 }, accountant, budgetEpsilon: 8 },
  };
}

describe('hard privacy budget', () => {
  it('the hard budget can be exceeded with GDP: a GDP run stops no later than where the PRV upper bound reaches the budget', () => {
    const q = 256 / 8000;
    // The case: GDP alone allows 179 steps, where PRV's upper bound is already 10.1.
    expect(eps('prv', q, 0.6, 179)).toBeGreaterThan(10);
    const plan = planPrivacy(mnistWithBudget('gdp'), 8000);
    const stop = plan.budgetSteps!;
    expect(stop).toBeLessThan(plan.plannedSteps);
    expect(eps('prv', q, 0.6, stop)).toBeLessThanOrEqual(8);
    expect(eps('prv', q, 0.6, stop + 1)).toBeGreaterThan(8); // and not needlessly early
    expect(eps('gdp', q, 0.6, stop)).toBeLessThanOrEqual(8); // the ε on screen stays within too
    expect(plan.notes.join(' ')).toMatch(
      /Hard budget ε ≤ 8, enforced with the PRV upper bound \(GDP, which can underestimate ε, is shown but does not enforce it\)/,
    );
  });

  it('PRV and RDP runs are stopped by their own (valid) bound', () => {
    const q = 256 / 8000;
    for (const accountant of ['prv', 'rdp'] as const) {
      const plan = planPrivacy(mnistWithBudget(accountant), 8000);
      expect(eps(accountant, q, 0.6, plan.budgetSteps!)).toBeLessThanOrEqual(8);
      expect(eps(accountant, q, 0.6, plan.budgetSteps! + 1)).toBeGreaterThan(8);
      expect(plan.notes.join(' ')).toContain(`enforced with the ${accountant === 'prv' ? 'PRV upper bound' : 'RDP bound'}:`);
    }
  });

  it('a GDP run trained to its budget has spent ε ≤ budget by PRV’s upper bound', async () => {
    const c = defaultRunConfig();
    const config: RunConfig = {
      ...c,
      data: { source: 'synthetic', name: 'circle', n: 600, noise: 0.05, testFraction: 0.25 },
      model: { preset: 'mlp', hidden: [8], activation: 'relu' },
      train: { ...c.train, batchSize: 32, epochs: 20, evalEvery: 1000 },
      privacy: { ...c.privacy, secureNoise: false, noise: { mode: 'sigma', sigma: 0.8 }, accountant: 'gdp', budgetEpsilon: 8 },
    };
    const run = TrainingRun.create(config, await loadSplit(config.data, config.seed, noMnist));
    while (!run.done) await run.trainStep();
    const q = run.privacy.sampleRate;
    expect(run.step).toBeLessThan(run.totalSteps);
    expect(eps('prv', q, 0.8, run.step)).toBeLessThanOrEqual(8);
    expect(eps('gdp', q, 0.8, run.step)).toBeLessThan(8);
    expect(run.stopReason).toMatch(/privacy budget ε ≤ 8 is spent/);
    run.dispose();
  });
});
