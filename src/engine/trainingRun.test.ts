import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, syntheticDefaults, type RunConfig } from '../config/runConfig';
import { loadSplit } from './datasets';
import { RunController } from './runController';
import { TrainingRun } from './trainingRun';
import type { RunEvent } from '../domain/runEvent';

const noMnist = { mnist: () => Promise.reject(new Error('not used here')) };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function spiralsConfig(): RunConfig {
  const c = { ...defaultRunConfig(), ...syntheticDefaults('spirals') };
  return {
    ...c,
    data: { source: 'synthetic', name: 'spirals', n: 400, noise: 0.05, testFraction: 0.25 },
    train: { ...c.train, epochs: 1000 },
    privacy: { ...c.privacy, enabled: false },
  };
}

const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

describe('TrainingRun (Node, CPU backend)', () => {
  it('trains the MLP on two spirals: the loss falls by at least half', async () => {
    const config = spiralsConfig();
    const run = TrainingRun.create(config, await loadSplit(config.data, config.seed, noMnist));
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    for (let i = 0; i < 400; i++) {
      losses.push((await run.trainStep()).point.loss);
      // The optimizer allocates its moments on the first step; after that, no step may leak.
      if (i === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    const first = mean(losses.slice(0, 20));
    const last = mean(losses.slice(-20));
    expect(last).toBeLessThan(first / 2);
    const ev = await run.evaluate();
    expect(ev.trainAcc).toBeGreaterThan(0.8);
    run.dispose();
  });

  it('the same seed reproduces the same losses', async () => {
    const config = spiralsConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    const a = TrainingRun.create(config, split);
    const b = TrainingRun.create(config, split);
    for (let i = 0; i < 5; i++) expect((await a.trainStep()).point.loss).toBe((await b.trainStep()).point.loss);
    a.dispose();
    b.dispose();
  });

  it('refuses a batch larger than the training set, naming the field', async () => {
    const config = spiralsConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    expect(() => TrainingRun.create({ ...config, train: { ...config.train, batchSize: 10_000 } }, split)).toThrow(/train\.batchSize/);
  });
});

describe('RunController', () => {
  it('streams metrics, pauses, steps once and resets', async () => {
    const config = { ...spiralsConfig(), train: { ...spiralsConfig().train, evalEvery: 5 } };
    const events: RunEvent[] = [];
    const ctl = new RunController('r1', config, await loadSplit(config.data, config.seed, noMnist), (e) => events.push(e));
    expect(events[0]).toMatchObject({ type: 'created', runId: 'r1', summary: { dataset: { inputShape: [2], numClasses: 2 } } });
    ctl.start();
    while (events.filter((e) => e.type === 'metrics').length < 12) await new Promise((r) => setTimeout(r, 5));
    ctl.pause();
    await ctl.settled();
    const count = events.filter((e) => e.type === 'metrics').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'metrics').length).toBe(count);
    await ctl.stepOnce();
    const points = events.flatMap((e) => (e.type === 'metrics' ? e.points : []));
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: count + 1 }, (_, i) => i + 1));
    // Evaluation on step 1 and every 5th step; a boundary comes with each evaluation.
    expect(
      points
        .filter((p) => p.testAcc !== undefined)
        .map((p) => p.step)
        .slice(0, 3),
    ).toEqual([1, 5, 10]);
    expect(events.some((e) => e.type === 'boundary' && e.values.length === 48 * 48)).toBe(true);
    await ctl.reset();
    expect(events[events.length - 1]).toMatchObject({ type: 'state', state: 'idle' });
    await ctl.dispose();
  });
});
