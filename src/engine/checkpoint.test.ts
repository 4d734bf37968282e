import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, syntheticDefaults, type RunConfig } from '../config/runConfig';
import { createAccountant } from '../privacy';
import { loadSplit } from './datasets';
import { TrainingRun } from './trainingRun';

const noMnist = { mnist: () => Promise.reject(new Error('not used here')) };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function config(privacy: Partial<RunConfig['privacy']>, optimizer: RunConfig['train']['optimizer'] = 'adam'): RunConfig {
  const c = { ...defaultRunConfig(), ...syntheticDefaults('xor') };
  return {
    ...c,
    data: { source: 'synthetic', name: 'xor', n: 300, noise: 0.05, testFraction: 0.25 },
    train: { ...c.train, optimizer, epochs: 5, batchSize: 32 },
    privacy: { ...c.privacy, ...privacy },
  };
}

async function params(run: TrainingRun): Promise<number[]> {
  return (await Promise.all(run.model.params.map((p) => p.data()))).flatMap((a) => Array.from(a));
}

describe('checkpoint and resume', () => {
  for (const opt of ['adam', 'sgd', 'lamb'] as const) {
    it(`${opt}: stopping, checkpointing and resuming gives exactly the uninterrupted run`, async () => {
      const c = config({ enabled: false }, opt);
      const split = await loadSplit(c.data, c.seed, noMnist);
      const straight = TrainingRun.create(c, split);
      const lossesA: number[] = [];
      for (let i = 0; i < 20; i++) lossesA.push((await straight.trainStep()).point.loss);

      const first = TrainingRun.create(c, split);
      for (let i = 0; i < 10; i++) await first.trainStep();
      // Through structured clone, as IndexedDB stores it.
      const saved = structuredClone(await first.checkpoint());
      first.dispose();
      const resumed = TrainingRun.create(c, split, saved);
      expect(resumed.step).toBe(10);
      const lossesB: number[] = [];
      for (let i = 0; i < 10; i++) lossesB.push((await resumed.trainStep()).point.loss);
      expect(lossesB).toEqual(lossesA.slice(10));
      expect(await params(resumed)).toEqual(await params(straight));
      straight.dispose();
      resumed.dispose();
    });
  }

  it('a private run resumes its accounting from the exact steps already spent', async () => {
    const c = config({ enabled: true, clipping: 'auto-s', noise: { mode: 'sigma', sigma: 1.2 }, accountant: 'rdp' });
    const split = await loadSplit(c.data, c.seed, noMnist);
    const first = TrainingRun.create(c, split);
    for (let i = 0; i < 7; i++) await first.trainStep();
    const saved = await first.checkpoint();
    expect(saved.privacy.history).toEqual([{ q: first.privacy.sampleRate, sigma: 1.2, steps: 7 }]);
    first.dispose();
    const resumed = TrainingRun.create(c, split, saved);
    for (let i = 0; i < 5; i++) await resumed.trainStep();
    const expected = createAccountant('rdp').step(resumed.privacy.sampleRate, 1.2, 12).getEpsilon(c.privacy.delta).epsilon;
    expect(resumed.ledger.epsilon()).toBeCloseTo(expected, 12);
    resumed.dispose();
  });

  it('refuses a checkpoint that does not fit, naming the problem, without leaking tensors', async () => {
    const c = config({ enabled: false });
    const split = await loadSplit(c.data, c.seed, noMnist);
    const run = TrainingRun.create(c, split);
    await run.trainStep();
    const saved = await run.checkpoint();
    run.dispose();
    const before = tf.memory().numTensors;
    const wide = { ...c, model: { preset: 'mlp' as const, hidden: [8, 8], activation: 'relu' as const } };
    expect(() => TrainingRun.create(wide, split, saved)).toThrow(/checkpoint: parameter 0 has shape/);
    expect(() => TrainingRun.create(c, split, { ...saved, step: 10_000 })).toThrow(/outside/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
