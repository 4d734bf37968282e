import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../config/runConfig';
import type { DatasetSplit } from '../data/types';
import type { RunCheckpoint } from '../domain/checkpoint';
import type { RunEvent } from '../domain/runEvent';
import { loadSplit } from './datasets';
import { RunController } from './runController';
import { metricPoints, noMnist, smallPrivateConfig } from './testing';
import { TrainingRun } from './trainingRun';

/**
 * A learning rate changed while a run trains: it applies from the run's next step, on the optimizer's
 * own state, leaves the privacy accounting as it was, and a resumed run follows it.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const LR = 0.05;
const NEW_LR = 0.4;

/**
 * Adam, so a change that reset the moments would show. Private (seeded) by default; `exact` is the
 * non-private run, whose resumed steps have no noise to match.
 */
const config = (exact = false): RunConfig => {
  const c = smallPrivateConfig({ enabled: !exact });
  return { ...c, train: { ...c.train, optimizer: 'adam', learningRate: LR } };
};

async function params(run: TrainingRun): Promise<number[]> {
  return (await run.checkpoint()).params.flatMap((p) => Array.from(p.values));
}

async function steps(run: TrainingRun, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await run.trainStep();
}

let split: DatasetSplit;
beforeAll(async () => {
  split = await loadSplit(config().data, config().seed, noMnist);
});

describe('TrainingRun.setLearningRate', () => {
  it('applies from the next step and keeps the optimizer state: equal to a run restarted from its checkpoint at the new rate', async () => {
    const changed = TrainingRun.create(config(true), split);
    await steps(changed, 3);
    const atThree: RunCheckpoint = await changed.checkpoint();
    expect(changed.setLearningRate(NEW_LR)).toEqual({ fromStep: 4, lr: NEW_LR });
    await steps(changed, 2);

    // Independent path: the step-3 checkpoint (parameters, Adam's m and v, sampler) in a run whose
    // config starts at the new rate.
    const reference = TrainingRun.create({ ...config(true), train: { ...config().train, learningRate: NEW_LR } }, split, atThree);
    await steps(reference, 2);
    expect(await params(changed)).toEqual(await params(reference));

    // And the change did something: the unchanged run is elsewhere.
    const unchanged = TrainingRun.create(config(true), split, atThree);
    await steps(unchanged, 2);
    expect(await params(changed)).not.toEqual(await params(unchanged));
    [changed, reference, unchanged].forEach((r) => r.dispose());
  });

  it('a change while a step is in flight starts at the step after it (that step already read its rate)', async () => {
    const run = TrainingRun.create(config(), split);
    const inFlight = run.trainStep({ inspect: true });
    expect(run.setLearningRate(NEW_LR)).toEqual({ fromStep: 2, lr: NEW_LR });
    expect((await inFlight).inspection?.learningRate).toBe(LR);
    expect((await run.trainStep({ inspect: true })).inspection?.learningRate).toBe(NEW_LR);
    run.dispose();
  });

  it('refuses 0, negative, non-finite and too large rates with the field message, changing nothing', async () => {
    const run = TrainingRun.create(config(), split);
    await run.trainStep();
    for (const bad of [0, -0.1, NaN, Infinity, -Infinity, 101]) {
      expect(() => run.setLearningRate(bad)).toThrow('Learning rate must be > 0 and ≤ 100');
    }
    expect(run.lrChanges).toEqual([]);
    expect((await run.trainStep({ inspect: true })).inspection?.learningRate).toBe(LR);
    run.dispose();
  });

  it('a new change replaces the later ones (a rewound run follows what was set last)', async () => {
    const run = TrainingRun.create(config(), split, undefined, undefined, [
      { fromStep: 3, lr: 0.2 },
      { fromStep: 9, lr: 0.3 },
    ]);
    await steps(run, 4);
    run.setLearningRate(NEW_LR);
    expect(run.lrChanges).toEqual([
      { fromStep: 3, lr: 0.2 },
      { fromStep: 5, lr: NEW_LR },
    ]);
    run.dispose();
  });

  it('refuses a stored schedule out of order or with a bad rate, naming the change', () => {
    expect(() => TrainingRun.create(config(), split, undefined, undefined, [{ fromStep: 2, lr: 0 }])).toThrow(
      /learning-rate change 1: Learning rate must be > 0/,
    );
    expect(() =>
      TrainingRun.create(config(), split, undefined, undefined, [
        { fromStep: 4, lr: 0.1 },
        { fromStep: 4, lr: 0.2 },
      ]),
    ).toThrow(/learning-rate change 2: fromStep must be an integer after 4, got 4/);
  });
});

describe('RunController: a learning rate changed mid-run', () => {
  const noYield = { yieldToEvents: () => Promise.resolve() };
  /** 12 steps (checkpoints every 5 and at the end), the rate changed when step `at` is shown (if given). */
  const cfg = (exact = false): RunConfig => ({ ...config(exact), train: { ...config().train, epochs: (12 * 32) / 450 } });

  async function train(
    options: { at?: number; checkpoint?: RunCheckpoint; lrChanges?: { fromStep: number; lr: number }[]; exact?: boolean } = {},
  ) {
    const events: RunEvent[] = [];
    const checkpoints = new Map<number, RunCheckpoint>();
    const ctl: RunController = new RunController(
      'r',
      cfg(options.exact),
      split,
      (e) => {
        events.push(e);
        if (e.type === 'metrics' && e.points.some((p) => p.step === options.at)) ctl.setLearningRate(NEW_LR);
      },
      {
        ...noYield,
        checkpointEvery: 5,
        checkpoint: options.checkpoint,
        lrChanges: options.lrChanges,
        onCheckpoint: (c) => {
          checkpoints.set(c.step, structuredClone(c));
        },
      },
    );
    ctl.start();
    await ctl.settled();
    await ctl.dispose();
    const final = checkpoints.get(12)!;
    return { events, checkpoints, final: final.params.flatMap((p) => Array.from(p.values)) };
  }

  it('announces the change from the next step, and the privacy spent stays the same step for step', async () => {
    const changed = await train({ at: 7 });
    expect(changed.events.filter((e) => e.type === 'learningRate')).toEqual([
      { type: 'learningRate', runId: 'r', changes: [{ fromStep: 8, lr: NEW_LR }] },
    ]);
    const plain = await train();
    // The learning rate post-processes the noisy gradient: ε is the same at every step.
    const eps = (es: RunEvent[]) => metricPoints(es).map((p) => [p.step, p.epsilonRdp, p.epsilon]);
    expect(eps(changed.events)).toEqual(eps(plain.events));
    expect(changed.final).not.toEqual(plain.final);
  });

  it('a resumed run continues with the changed rate, from a checkpoint before or after the change', async () => {
    const whole = await train({ at: 7, exact: true });
    const lrChanges = [{ fromStep: 8, lr: NEW_LR }];
    for (const from of [5, 10]) {
      const resumed = await train({ checkpoint: whole.checkpoints.get(from), lrChanges, exact: true });
      expect(resumed.final).toEqual(whole.final);
    }
    // Without the stored changes the resumed run ends elsewhere (the comparison can tell).
    expect((await train({ checkpoint: whole.checkpoints.get(10), exact: true })).final).not.toEqual(whole.final);
  });

  it('bad input and finished runs: a reason without a run id (the run does not fail), nothing changed', async () => {
    const events: RunEvent[] = [];
    const ctl = new RunController('r', cfg(), split, (e) => events.push(e), noYield);
    await ctl.stepOnce();
    ctl.setLearningRate(-1);
    ctl.setLearningRate(NaN);
    expect(events.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', message: 'Learning rate must be > 0 and ≤ 100' },
      { type: 'error', message: 'Learning rate must be > 0 and ≤ 100' },
    ]);
    expect(events.some((e) => e.type === 'learningRate')).toBe(false);
    expect(ctl.currentState).toBe('paused');
    await ctl.dispose();
  });

  it('reset goes back to the config rate and says so', async () => {
    const events: RunEvent[] = [];
    const ctl = new RunController('r', cfg(), split, (e) => events.push(e), noYield);
    await ctl.stepOnce();
    ctl.setLearningRate(NEW_LR);
    await ctl.reset();
    expect(events.filter((e) => e.type === 'learningRate').map((e) => (e.type === 'learningRate' ? e.changes : null))).toEqual([
      [{ fromStep: 2, lr: NEW_LR }],
      [],
    ]);
    await ctl.dispose();
  });
});
