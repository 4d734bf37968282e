import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig } from '../config/runConfig';
import type { DatasetSplit } from '../data/types';
import type { RunCheckpoint } from '../domain/checkpoint';
import type { RunEvent } from '../domain/runEvent';
import { loadSplit } from './datasets';
import type { PrivacySegment } from './privacyPlan';
import { RunController } from './runController';
import { metricPoints, noMnist, rdpEpsilon, smallPrivateConfig } from './testing';
import { TrainingRun } from './trainingRun';

/**
 * What a run that goes back to an older checkpoint (device loss, reload mid-run) or comes from a file
 * accounts: every step that was shown stays spent, and a privacy history that would lower ε is refused.
 */
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Trains with a checkpoint every 5 steps and the released record kept as the worker keeps it, and
 * goes away (device loss, page reload) right after step `leaveAt` was shown.
 */
async function trainAndLeave(config: RunConfig, split: DatasetSplit, leaveAt: number) {
  const events: RunEvent[] = [];
  let checkpoint: RunCheckpoint | undefined;
  let released: PrivacySegment[] = [];
  const ctl: RunController = new RunController(
    'r',
    config,
    split,
    (e) => {
      events.push(e);
      if (e.type === 'metrics' && e.points.some((p) => p.step === leaveAt)) ctl.detach();
    },
    {
      checkpointEvery: 5,
      onCheckpoint: (c) => {
        checkpoint = structuredClone(c);
      },
      onRelease: async (h) => {
        released = structuredClone(h);
      },
      yieldToEvents: () => Promise.resolve(),
    },
  );
  ctl.start();
  await ctl.settled();
  await ctl.dispose();
  return { shown: metricPoints(events), checkpoint: checkpoint!, released };
}

describe('released steps stay spent across a rewind', () => {
  it('ε goes down after a rewind: a run resumed from an older checkpoint keeps accounting the steps it showed', async () => {
    const config = smallPrivateConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    const q = 32 / 450;
    const { shown, checkpoint, released } = await trainAndLeave(config, split, 8);
    expect(checkpoint.step).toBe(5);
    expect(released).toEqual([{ q, sigma: 1.1, steps: 8 }]);
    const before = shown[shown.length - 1].epsilonRdp!;
    expect(before).toBeCloseTo(rdpEpsilon(q, 1.1, 8), 12);

    const events: RunEvent[] = [];
    const resumed = new RunController('r', config, split, (e) => events.push(e), { checkpoint, released });
    await resumed.stepOnce();
    const next = metricPoints(events)[0];
    expect(next.step).toBe(6); // the model went back to step 5 ...
    expect(next.epsilonRdp!).toBeGreaterThanOrEqual(before); // ... but not the privacy spent
    expect(next.epsilonRdp!).toBeCloseTo(rdpEpsilon(q, 1.1, 9), 12);
    expect(next.epsilon!).toBeCloseTo(rdpEpsilon(q, 1.1, 9), 12);
    await resumed.dispose();
  });

  it('the hard budget counts released steps too', async () => {
    const q = 32 / 450;
    // The most steps with RDP ε ≤ budget: budget between ε(12) and ε(13).
    const budget = (rdpEpsilon(q, 1.1, 12) + rdpEpsilon(q, 1.1, 13)) / 2;
    const config = smallPrivateConfig({ budgetEpsilon: budget });
    const split = await loadSplit(config.data, config.seed, noMnist);
    const { checkpoint, released } = await trainAndLeave(config, split, 8);
    const events: RunEvent[] = [];
    const resumed = new RunController('r', config, split, (e) => events.push(e), {
      checkpoint,
      released,
      yieldToEvents: () => Promise.resolve(),
    });
    resumed.start();
    await resumed.settled();
    const after = metricPoints(events);
    // 8 accounted when it resumed at step 5: 4 more steps reach 12 accounted, at model step 9.
    expect(after.map((p) => p.step)).toEqual([6, 7, 8, 9]);
    expect(after[after.length - 1].epsilonRdp!).toBeLessThanOrEqual(budget);
    expect(events[events.length - 1]).toMatchObject({
      type: 'state',
      state: 'done',
      message: expect.stringMatching(
        /^Stopped at step 9 of \d+: the privacy budget ε ≤ [\d.]+ is spent \(12 steps accounted, 3 of them released before a rewind\)\.$/,
      ),
    });
    await resumed.dispose();
  });

  it('a step whose privacy spend cannot be recorded is not shown, and the run stops saying why', async () => {
    const config = smallPrivateConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    const events: RunEvent[] = [];
    const ctl = new RunController('r', config, split, (e) => events.push(e), {
      onRelease: () => Promise.reject(new Error('QuotaExceededError')),
    });
    await ctl.stepOnce();
    expect(metricPoints(events)).toEqual([]);
    expect(ctl.currentState).toBe('error');
    expect(events[events.length - 1]).toMatchObject({
      type: 'state',
      state: 'error',
      message: expect.stringMatching(/privacy spent by step 1 could not be saved \(QuotaExceededError\)/),
    });
    await ctl.dispose();
  });

  it('reset records an empty history: the reset run starts a new account', async () => {
    const config = smallPrivateConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    const records: PrivacySegment[][] = [];
    const ctl = new RunController('r', config, split, () => undefined, { onRelease: async (h) => void records.push(h) });
    await ctl.stepOnce();
    await ctl.reset();
    expect(records).toEqual([[{ q: 32 / 450, sigma: 1.1, steps: 1 }], []]);
    await ctl.dispose();
  });
});

describe('privacy histories from storage or a file are checked against the config', () => {
  async function savedAt(config: RunConfig, steps: number) {
    const split = await loadSplit(config.data, config.seed, noMnist);
    const run = TrainingRun.create(config, split);
    for (let i = 0; i < steps; i++) await run.trainStep();
    const saved = structuredClone(await run.checkpoint());
    run.dispose();
    return { split, saved };
  }

  it('an imported checkpoint’s privacy history is not checked: a forged history is refused, naming the problem', async () => {
    const config = smallPrivateConfig({ noise: { mode: 'sigma', sigma: 0.7 } });
    const { split, saved } = await savedAt(config, 30);
    const q = 32 / 450;
    const forge = (history: PrivacySegment[]): RunCheckpoint => ({ ...saved, privacy: { history } });
    // A forged σ = 2 would have resumed showing ε = 1.02 where the 30 steps spent give 7.95 (RDP).
    expect(rdpEpsilon(q, 2, 30)).toBeLessThan(rdpEpsilon(q, 0.7, 30) / 3);
    const before = tf.memory().numTensors;
    expect(() => TrainingRun.create(config, split, forge([{ q, sigma: 2, steps: 30 }]))).toThrow(
      "checkpoint: privacy history segment 0, sigma: noise multiplier 2 differs from the run's σ = 0.7 (refusing to resume from it)",
    );
    expect(() => TrainingRun.create(config, split, forge([{ q: q / 4, sigma: 0.7, steps: 30 }]))).toThrow(
      /segment 0, q: sample rate 0\.0177.* differs from the run's q = B\/N = 0\.0711/,
    );
    expect(() => TrainingRun.create(config, split, forge([{ q, sigma: 0.7, steps: 10 }]))).toThrow(
      /accounts 10 steps, fewer than the 30 the run took/,
    );
    expect(() => TrainingRun.create(config, split, forge([]))).toThrow(/accounts 0 steps, fewer than the 30/);
    // The record of released steps is held to the same rule.
    expect(() => TrainingRun.create(config, split, saved, [{ q, sigma: 5, steps: 40 }])).toThrow(
      /released steps: privacy history segment 0, sigma/,
    );
    expect(tf.memory().numTensors).toBe(before);
    // The real history resumes, and a larger (released) one wins.
    const ok = TrainingRun.create(config, split, saved, [{ q, sigma: 0.7, steps: 33 }]);
    expect(ok.step).toBe(30);
    expect(ok.ledger.steps).toBe(33);
    ok.dispose();
  });

  it('a calibrated σ is checked against the calibration the config gives (deterministic)', async () => {
    const config = smallPrivateConfig({ noise: { mode: 'target', epsilon: 3 } });
    const { split, saved } = await savedAt(config, 3);
    const sigma = saved.privacy.history[0].sigma;
    const resumed = TrainingRun.create(config, split, saved);
    expect(resumed.privacy.sigma).toBe(sigma);
    resumed.dispose();
    expect(() =>
      TrainingRun.create(config, split, { ...saved, privacy: { history: [{ ...saved.privacy.history[0], sigma: sigma * 1.01 }] } }),
    ).toThrow(/sigma: noise multiplier/);
  });

  it('a seeded private run resumed from a checkpoint continues exactly: its noise continues rather than starting over', async () => {
    const config = smallPrivateConfig();
    const split = await loadSplit(config.data, config.seed, noMnist);
    const params = async (r: TrainingRun) => (await r.checkpoint()).params.flatMap((p) => Array.from(p.values));
    const whole = TrainingRun.create(config, split);
    for (let i = 0; i < 3; i++) await whole.trainStep();
    const atThree = await whole.checkpoint();
    for (let i = 0; i < 3; i++) await whole.trainStep();
    const resumed = TrainingRun.create(config, split, atThree);
    for (let i = 0; i < 3; i++) await resumed.trainStep();
    expect(await params(resumed)).toEqual(await params(whole));
    whole.dispose();
    resumed.dispose();
  });

  it('a non-private run has no privacy history', async () => {
    const config = smallPrivateConfig({ enabled: false });
    const { split, saved } = await savedAt(config, 2);
    expect(saved.privacy.history).toEqual([]);
    expect(() => TrainingRun.create(config, split, { ...saved, privacy: { history: [{ q: 0.1, sigma: 1, steps: 2 }] } })).toThrow(
      /a non-private run spends no privacy/,
    );
  });
});
