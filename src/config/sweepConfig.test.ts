import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from './runConfig';
import { defaultSweepConfig, MAX_SWEEP_CELLS, MAX_SWEEP_RUNS, parseSweepConfig, sweepCellCount, sweepSeeds } from './sweepConfig';

const base = defaultRunConfig();
const grid = { abadi: { R: [0.1, 1], lr: [0.01] }, 'auto-s': { lr: [0.01] } };

describe('sweep config schema', () => {
  it('accepts a sweep and the default sweep around a config', () => {
    const r = parseSweepConfig({ base, clipping: grid });
    expect(r.ok).toBe(true);
    if (r.ok) expect(sweepCellCount(r.config.clipping)).toBe(3);
    const d = defaultSweepConfig(base);
    expect(parseSweepConfig(d).ok).toBe(true);
    expect(d.clipping.abadi!.R).toEqual([0.01, 0.1, 1, 10]);
  });

  it('takes a list of seeds; without one every cell runs on the base seed alone', () => {
    const r = parseSweepConfig({ base, clipping: grid, seeds: [1, 2, 3] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(sweepSeeds(r.config)).toEqual([1, 2, 3]);
    const plain = parseSweepConfig({ base: { ...base, seed: 7 }, clipping: grid });
    if (plain.ok) expect(sweepSeeds(plain.config)).toEqual([7]);
    // 400 runs exactly (100 cells × 4 seeds) is allowed.
    const hundred = { abadi: { R: Array.from({ length: 10 }, (_, i) => i + 1), lr: Array.from({ length: 10 }, (_, i) => (i + 1) / 100) } };
    expect(parseSweepConfig({ base, clipping: hundred, seeds: [1, 2, 3, 4] }).ok).toBe(true);
  });

  const cases: [unknown, string][] = [
    [{ base, clipping: grid, seeds: [1, 2.5] }, 'seeds[1] must be a positive integer'],
    [{ base, clipping: grid, seeds: [0] }, 'seeds[0] must be a positive integer'],
    [{ base, clipping: grid, seeds: [-3] }, 'seeds[0] must be a positive integer'],
    [{ base, clipping: grid, seeds: ['1'] }, 'seeds[0] must be a number'],
    [{ base, clipping: grid, seeds: 3 }, 'seeds must be an array of positive integers'],
    [{ base, clipping: grid, seeds: [] }, 'seeds needs at least one seed'],
    [{ base, clipping: grid, seeds: [1, 2, 1] }, 'seeds has a repeated seed'],
    [{ base, clipping: grid, seeds: Array.from({ length: 11 }, (_, i) => i + 1) }, 'seeds allows at most 10 seeds'],
    [{ base, clipping: grid, seeds: [2 ** 32] }, 'seeds[0] must be < 2^32'],
    [
      {
        base,
        clipping: { abadi: { R: Array.from({ length: 10 }, (_, i) => i + 1), lr: Array.from({ length: 10 }, (_, i) => (i + 1) / 100) } },
        seeds: [1, 2, 3, 4, 5],
      },
      `seeds allows at most 4 seeds with 100 cells: cells × seeds must stay ≤ ${MAX_SWEEP_RUNS} runs (got 500)`,
    ],
    [{ base, clipping: { abadi: { R: [0.1, -1], lr: [0.01] } } }, 'clipping.abadi.R[1] must be > 0'],
    [{ base, clipping: { abadi: { lr: [0.01] } } }, 'clipping.abadi.R is required'],
    [{ base, clipping: { abadi: { R: [1], lr: [0.01, 0.01] } } }, 'clipping.abadi.lr has a repeated value'],
    [{ base, clipping: { 'auto-s': { lr: [] } } }, 'clipping.auto-s.lr needs at least one value'],
    [{ base, clipping: { 'auto-s': { lr: '0.01' } } }, 'clipping.auto-s.lr must be an array of numbers'],
    [{ base, clipping: { 'auto-s': { lr: [0.01], R: [1] } } }, "clipping.auto-s has unknown key 'R'"],
    [{ base, clipping: { 'auto-s': { lr: [101] } } }, 'clipping.auto-s.lr[0] must be ≤ 100'],
    [{ base, clipping: {} }, 'clipping needs at least one of abadi, auto-s, auto-v, global'],
    [{ base, clipping: { adaptive: { lr: [1] } } }, "clipping has unknown key 'adaptive'"],
    [{ base }, 'clipping is required'],
    [{ clipping: grid }, 'base is required'],
    [{ base, clipping: grid, extra: 1 }, "sweep config has unknown key 'extra'"],
    [[], 'sweep config must be an object with base and clipping'],
    [{ base: { ...base, train: { ...base.train, learningRate: 0 } }, clipping: grid }, 'base.train.learningRate must be > 0'],
    [
      { base: { ...base, privacy: { ...base.privacy, enabled: false } }, clipping: grid },
      'base.privacy.enabled must be true: a clipping sweep compares private runs at one privacy level',
    ],
    [
      {
        base,
        clipping: {
          abadi: { R: Array.from({ length: 20 }, (_, i) => i + 1), lr: Array.from({ length: 20 }, (_, i) => (i + 1) / 100) },
          'auto-s': { lr: [0.5] },
        },
      },
      `clipping has 401 cells, more than the ${MAX_SWEEP_CELLS} allowed`,
    ],
  ];
  it.each(cases.map(([input, message]) => ({ input, message })))('rejects it with "$message"', ({ input, message }) => {
    const r = parseSweepConfig(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContain(message);
  });
});
