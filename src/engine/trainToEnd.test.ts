/**
 * trainToEnd is how Node hosts (the CLI, the lessons) train: it must be the worker's loop, RunController,
 * and report what that loop reported. These tests hold its outcome against a RunController driven
 * the way the worker drives it, and against the run's own ledger.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../config/runConfig';
import type { MetricPoint } from '../domain/metricPoint';
import type { RunEvent } from '../domain/runEvent';
import { loadSplit } from './datasets';
import { RunController } from './runController';
import { metricPoints, noMnist, smallPrivateConfig } from './testing';
import { TrainingRun } from './trainingRun';
import { trainToEnd } from './trainToEnd';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 450 training points, batch 32, 5 epochs: 70 steps; evaluated every 20. */
function config(privacy: Partial<RunConfig['privacy']> = {}, train: Partial<RunConfig['train']> = {}): RunConfig {
  const c = smallPrivateConfig(privacy);
  return { ...c, train: { ...c.train, evalEvery: 20, ...train } };
}

async function runOf(c: RunConfig): Promise<TrainingRun> {
  return TrainingRun.create(c, await loadSplit(c.data, c.seed, noMnist));
}

/** What the worker's controller emits for `c`, trained from start to end. */
async function workerEvents(c: RunConfig): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const ctl = new RunController('worker', c, await loadSplit(c.data, c.seed, noMnist), (e) => events.push(e));
  ctl.start();
  await ctl.settled();
  await ctl.dispose();
  return events;
}

/** A point without its wall-clock fields, which differ between two runs of the same steps. */
const untimed = ({ samplesPerSec: _s, elapsedMs: _e, ...rest }: MetricPoint) => rest;

const divergingSgd: Partial<RunConfig['train']> = { optimizer: 'sgd', learningRate: 100 };

describe('trainToEnd (the Node hosts’ training: RunController)', () => {
  it('reports the points the worker’s controller emits for the same seeded run, and ε from the run’s ledger', async () => {
    const c = config();
    const run = await runOf(c);
    const seen: MetricPoint[] = [];
    const o = await trainToEnd(run, { onPoint: (p) => seen.push(p) });
    const worker = metricPoints(await workerEvents(c));
    expect(o.points.map(untimed)).toEqual(worker.map(untimed));
    expect(seen).toEqual(o.points);
    expect(o.steps).toBe(run.totalSteps);
    expect(o.points.filter((p) => p.testAcc !== undefined).map((p) => p.step)).toEqual([1, 20, 40, 60, run.totalSteps]);
    expect(o.epsilon).toBe(run.ledger.epsilon());
    expect(o.epsilonRdp).toBe(run.ledger.epsilonRdp());
    expect(o.samples).toBe(o.points.reduce((n, p) => n + p.batchSize, 0));
    expect(o.stopReason).toBeNull();
    expect(o.divergedAt).toBeNull();
    expect(Array.from(o.lastGradStats!.norms)).toHaveLength(o.points[o.points.length - 1].batchSize);
    // The caller still owns the run.
    await expect(run.evaluate()).resolves.toMatchObject({ testAcc: o.testAcc });
    run.dispose();
  });

  it('evaluates only the last step when asked to (a sweep cell), without changing the training', async () => {
    const c = config();
    const every = await trainToEnd(await runOf(c));
    const run = await runOf(c);
    const end = await trainToEnd(run, { evalEvery: Infinity, evalFirst: false });
    expect(end.points.filter((p) => p.testAcc !== undefined).map((p) => p.step)).toEqual([run.totalSteps]);
    expect(end.points.map((p) => p.loss)).toEqual(every.points.map((p) => p.loss));
    expect(end.testAcc).toBe(every.testAcc);
    run.dispose();
  });

  it('a hard budget stops the run early and says why', async () => {
    const run = await runOf(config({ budgetEpsilon: 3 }));
    const o = await trainToEnd(run);
    expect(o.steps).toBeLessThan(run.totalSteps);
    expect(o.steps).toBe(run.step);
    expect(o.stopReason).toBe(run.stopReason);
    expect(o.epsilon).toBeLessThanOrEqual(3);
    run.dispose();
  });

  it('a step that fails rejects with its message; the run is left to its owner', async () => {
    const run = await runOf(config());
    run.trainStep = () => Promise.reject(new Error('device gone'));
    await expect(trainToEnd(run)).rejects.toThrow(/^device gone$/);
    run.dispose();
  });
});

describe('RunController for a host that draws nothing', () => {
  it('computes no decision boundary when told so, and trains the same', async () => {
    const c = config({ enabled: false }, { epochs: 1 });
    const events: RunEvent[] = [];
    const ctl = new RunController('cli', c, await loadSplit(c.data, c.seed, noMnist), (e) => events.push(e), { boundary: false });
    ctl.start();
    await ctl.settled();
    await ctl.dispose();
    const worker = await workerEvents(c);
    expect(worker.filter((e) => e.type === 'boundary').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'boundary')).toEqual([]);
    expect(metricPoints(events).map(untimed)).toEqual(metricPoints(worker).map(untimed));
  });
});

describe('a diverged run (RunController: the worker and the CLI alike)', () => {
  it('evaluates its last step and names that step in its error state (regression: only the CLI’s loop evaluated it)', async () => {
    const events = await workerEvents(config({ enabled: false }, divergingSgd));
    const last = metricPoints(events).at(-1)!;
    expect(last.testAcc).toBeGreaterThanOrEqual(0);
    expect(last.trainAcc).toBeGreaterThanOrEqual(0);
    expect(events.filter((e) => e.type === 'boundary').every((e) => e.type === 'boundary' && e.step < last.step)).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'state',
      state: 'error',
      divergedAt: last.step,
      message: expect.stringMatching(/^Training diverged at step/),
    });
  });

  it('trainToEnd returns its outcome (no throw): the diverged step, the reason, the evaluation and ε there', async () => {
    const run = await runOf(config({}, divergingSgd));
    const o = await trainToEnd(run, { evalEvery: Infinity, evalFirst: false });
    expect(o.divergedAt).toBe(run.step);
    expect(o.steps).toBe(run.step);
    expect(o.stopReason).toMatch(new RegExp(`^Training diverged at step ${run.step}: .*AUTO-S`));
    expect(o.points.at(-1)!.testAcc).toBe(o.testAcc);
    expect(o.epsilon).toBe(run.ledger.epsilon());
    run.dispose();
  });
});
