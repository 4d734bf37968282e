import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../src/domain/backend';
import { loadSplit } from '../src/engine/datasets';
import { TrainingRun } from '../src/engine/trainingRun';
import { noMnist, smallPrivateConfig } from '../src/engine/testing';
import { defaultRunConfig } from '../src/config/runConfig';
import { isSmallModel, timeBackends } from './backendTrial';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Node has the CPU backend only: it stands in for each candidate, so only its name differs. */
const onCpu = async (name: BackendName) => name === 'cpu' && (await tf.setBackend('cpu'));

const shapeOf = (c = smallPrivateConfig()) => ({ inputShape: [2], numClasses: 2, config: c });

describe('timeBackends (the start-up trial of the run’s own step)', () => {
  it('times the step on each backend that starts; one that cannot start is skipped with its reason, not thrown', async () => {
    const { config, ...shape } = shapeOf();
    const trial = await timeBackends(config, shape, ['webgpu', 'cpu'], onCpu);
    expect(trial.map((t) => t.name)).toEqual(['cpu', 'webgpu']); // fastest first
    expect(trial[0].samplesPerSec).toBeGreaterThan(0);
    expect(trial[0].failed).toBeUndefined();
    expect(trial[1]).toMatchObject({ samplesPerSec: 0, failed: 'could not start in this browser' });
  });

  it('a backend that throws while starting or stepping is skipped with the error as its reason, and leaves no tensor behind', async () => {
    const { config, ...shape } = shapeOf();
    const before = tf.memory().numTensors;
    const starting = await timeBackends(config, shape, ['wasm'], () => Promise.reject(new Error('wasm binary blocked')));
    expect(starting).toEqual([expect.objectContaining({ name: 'wasm', samplesPerSec: 0, failed: 'wasm binary blocked' })]);
    // A model over the step's memory budget throws in TrainingRun.create (after the backend started).
    const huge = { ...config, model: { preset: 'mlp' as const, hidden: Array(8).fill(4096), activation: 'relu' as const } };
    const stepping = await timeBackends(huge, shape, ['cpu'], onCpu);
    expect(stepping[0].samplesPerSec).toBe(0);
    expect(stepping[0].failed).toMatch(/.+/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('changes neither the run’s randomness nor its privacy accounting: a run with a trial in the middle matches one without, step for step', async () => {
    const config = smallPrivateConfig(); // seeded noise and batches: reproducible
    const split = await loadSplit(config.data, config.seed, noMnist);
    const shape = { inputShape: split.train.inputShape, numClasses: split.train.numClasses };
    const trace = async (trialAfterStep: number | null) => {
      if (trialAfterStep === 0) await timeBackends(config, shape, ['cpu', 'cpu'], onCpu);
      const run = TrainingRun.create(config, split);
      const out: { loss: number; eps: number | undefined }[] = [];
      for (let i = 1; i <= 4; i++) {
        const { point } = await run.trainStep();
        out.push({ loss: point.loss, eps: point.epsilonRdp });
        if (trialAfterStep === i) await timeBackends(config, shape, ['cpu'], onCpu);
      }
      const params = await Promise.all(run.model.params.map((p) => p.data()));
      run.dispose();
      return { out, params: params.map((p) => Array.from(p)) };
    };
    const without = await trace(null);
    expect(await trace(0)).toEqual(without);
    expect(await trace(2)).toEqual(without);
  });
});

describe('isSmallModel', () => {
  it('counts dense parameters: the 2D default is small, a 784→[256, 256] MLP is not, a CNN never is', () => {
    const c = defaultRunConfig();
    const mlp = (hidden: number[]) => ({ ...c, model: { preset: 'mlp' as const, hidden, activation: 'relu' as const } });
    expect(isSmallModel(mlp([32, 32]), { inputShape: [2], numClasses: 2 })).toBe(true);
    // (784+1)·256 + (256+1)·256 + (256+1)·10 = 269,322 parameters.
    expect(isSmallModel(mlp([256, 256]), { inputShape: [28, 28, 1], numClasses: 10 })).toBe(false);
    // (784+1)·32 + (32+1)·10 = 25,450.
    expect(isSmallModel(mlp([32]), { inputShape: [28, 28, 1], numClasses: 10 })).toBe(true);
    expect(isSmallModel({ ...c, model: { preset: 'cnn', activation: 'relu' } }, { inputShape: [28, 28, 1], numClasses: 10 })).toBe(false);
  });
});
