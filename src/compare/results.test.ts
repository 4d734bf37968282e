/**
 * Compare's plan and what it concludes, on hand-made numbers: the learning rates follow
 * lr_Abadi = lr_AUTO / R, bands are min–max over seeds worked out by hand, and the results line says
 * "more than the spread" or "within the spread" as the numbers require (both directions).
 */
import { describe, expect, it } from 'vitest';
import { summariseSeeds } from '../lessons/seedStats';
import { COMPARE_DEFAULTS, COMPARE_LR_AUTO, COMPARE_SEEDS, compareSettings, planCompare } from './plan';
import { compareVerdict, finalsBySetting, seedBand } from './results';

describe('Compare plan', () => {
  it('runs every setting on 3 seeds under DP-SGD, each Abadi R at lr_AUTO / R, one R unmatched, one non-private', () => {
    const plan = planCompare(COMPARE_DEFAULTS);
    expect(plan.runs).toHaveLength(plan.settings.length * COMPARE_SEEDS);
    for (const run of plan.runs) {
      expect(run.config.train.optimizer).toBe('sgd');
      expect(run.config.train.momentum).toBe(0.9);
      expect(run.config.data).toMatchObject({ source: 'synthetic', name: COMPARE_DEFAULTS.dataset });
    }
    const config = (label: string) => plan.runs.find((r) => r.setting === label)!.config;
    const lrOf = Object.fromEntries(plan.settings.map((s) => [s.label, config(s.label).train.learningRate]));
    expect(lrOf).toEqual({
      'Non-private, lr 1': 1,
      'AUTO-S (no R), lr 1': 1,
      'Abadi R = 0.1, lr 10': 10,
      'Abadi R = 1, lr 1': 1,
      'Abadi R = 10, lr 0.1': 0.1,
      'Abadi R = 0.1, lr 1 (unmatched)': 1,
    });
    for (const s of plan.settings.filter((s) => s.role === 'abadi')) expect(s.learningRate * s.R!).toBeCloseTo(COMPARE_LR_AUTO, 12);
    expect(config('Non-private, lr 1').privacy.enabled).toBe(false);
    expect(config('AUTO-S (no R), lr 1').privacy).toMatchObject({
      enabled: true,
      clipping: 'auto-s',
      noise: { mode: 'target', epsilon: 3 },
    });
    expect(config('Abadi R = 10, lr 0.1').privacy).toMatchObject({ enabled: true, clipping: 'abadi', maxGradNorm: 10 });
    expect(plan.runs.filter((r) => r.setting === 'Abadi R = 1, lr 1').map((r) => r.seed)).toEqual([1, 2, 3]);
  });

  it('trains exactly the steps asked for, and refuses bad steps or seeds naming the field', () => {
    const plan = planCompare({ ...COMPARE_DEFAULTS, steps: 37 });
    const { epochs, batchSize } = plan.runs[0].config.train;
    expect(Math.floor((epochs * 3000) / batchSize)).toBe(37);
    expect(() => planCompare({ ...COMPARE_DEFAULTS, steps: 0 })).toThrow(/steps must be/);
    expect(() => planCompare({ ...COMPARE_DEFAULTS, steps: NaN })).toThrow(/steps must be/);
    expect(() => planCompare({ ...COMPARE_DEFAULTS, seed: -1 })).toThrow(/seed must be/);
  });

  it('keeps secure randomness when asked for it', () => {
    for (const secureNoise of [true, false])
      for (const r of planCompare({ ...COMPARE_DEFAULTS, secureNoise }).runs) expect(r.config.privacy.secureNoise).toBe(secureNoise);
  });
});

describe('seed bands', () => {
  it('mean and min–max per step over the seeds, only at steps every seed reached', () => {
    const band = seedBand([
      [
        { step: 10, testAcc: 0.5 },
        { step: 20, testAcc: 0.8 },
      ],
      [
        { step: 10, testAcc: 0.6 },
        { step: 20, testAcc: 0.9 },
      ],
      [{ step: 10, testAcc: 0.7 }],
    ]);
    expect(band).toHaveLength(1);
    expect(band[0].step).toBe(10);
    expect(band[0].mean).toBeCloseTo(0.6, 12);
    expect([band[0].min, band[0].max, band[0].n]).toEqual([0.5, 0.7, 3]);
    expect(seedBand([])).toEqual([]);
  });
});

describe('results line', () => {
  const settings = compareSettings();
  const finalsFrom = (acc: (label: string) => number, jitter = 0.005) =>
    new Map(settings.map((s) => [s.label, summariseSeeds([-1, 0, 1].map((k) => acc(s.label) + k * jitter))]));

  it('names the winner and says its lead is larger than the spread when it is', () => {
    const v = compareVerdict(
      settings,
      finalsFrom((l) => (l.startsWith('Non-private') ? 0.99 : l.includes('unmatched') ? 0.65 : l.startsWith('AUTO-S') ? 0.96 : 0.9)),
    );
    expect(v.winner).toBe('Non-private, lr 1');
    expect(v.headline).toMatch(
      /^Best: Non-private, lr 1 at 99\.0 ± 0\.5 %\. Non-private, lr 1 is 3\.0 points above AUTO-S .*more than the seed-to-seed spread/,
    );
    expect(v.details[0]).toMatch(/^AUTO-S against the best tuned R: AUTO-S \(no R\), lr 1 is 6\.0 points above Abadi R = 0\.1, lr 10/);
    expect(v.details[2]).toMatch(/Abadi R = 0\.1, lr 10 is 25\.0 points above Abadi R = 0\.1, lr 1 \(unmatched\), more than/);
  });

  it('says "no clear winner" when the best two differ by less than the spread', () => {
    const v = compareVerdict(
      settings,
      finalsFrom((l) => (l.includes('unmatched') ? 0.6 : l.startsWith('Abadi R = 1,') ? 0.991 : 0.99), 0.01),
    );
    expect(v.headline).toMatch(/within the seed-to-seed spread \(± 1\.0\): no clear winner/);
    expect(v.details[0]).toMatch(/within the seed-to-seed spread/);
  });

  it('refuses to conclude without every setting, naming the missing one', () => {
    const finals = finalsBySetting([{ setting: settings[0].label, points: [{ step: 5, testAcc: 0.9 }] }]);
    expect(finals.get(settings[0].label)?.mean).toBe(0.9);
    expect(() => compareVerdict(settings, finals)).toThrow(/no final accuracy for "AUTO-S/);
  });
});
