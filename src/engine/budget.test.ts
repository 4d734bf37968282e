import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/runConfig';
import { createAccountant } from '../privacy';
import { loadSplit } from './datasets';
import type { RunEvent } from '../domain/runEvent';
import { planPrivacy } from './privacyPlan';
import { RunController } from './runController';
import { trainToEnd } from './trainToEnd';
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

  // Regression: a run whose budget is smaller than one step's ε showed as done with no reason in the
  // playground; only the CLI explained it, with its own copy of the accounting.
  it('a budget smaller than one step’s ε: the run is done at step 0 and says why, with that step’s ε, in every host', async () => {
    const c = defaultRunConfig();
    const config: RunConfig = {
      ...c,
      data: { source: 'synthetic', name: 'circle', n: 400, noise: 0.05, testFraction: 0.25 },
      model: { preset: 'mlp', hidden: [8], activation: 'relu' },
      train: { ...c.train, batchSize: 50, epochs: 2 },
      privacy: { ...c.privacy, secureNoise: false, noise: { mode: 'sigma', sigma: 1 }, accountant: 'rdp', budgetEpsilon: 0.001 },
    };
    const split = await loadSplit(config.data, config.seed, noMnist);
    const events: RunEvent[] = [];
    const ctl = new RunController('r', config, split, (e) => events.push(e));
    const first = eps('rdp', 50 / 300, 1, 1);
    expect(first).toBeGreaterThan(0.001);
    const reason = `privacy.budgetEpsilon 0.001 allows no training step: one step at q = 0.166667, σ = 1 already spends ε = ${Number(first.toPrecision(6))} (rdp, δ = 0.00001); raise the budget or the noise`;
    // The worker's run announces it as it is created (the page shows the state's message).
    expect(events.find((e) => e.type === 'state')).toMatchObject({ state: 'done', message: reason });
    await ctl.dispose();
    // The CLI and the lessons, through trainToEnd, fail with the same reason.
    const run = TrainingRun.create(config, split);
    await expect(trainToEnd(run)).rejects.toThrow(reason);
    run.dispose();
  });
});
