import { describe, expect, it } from 'vitest';
import { NO_CAVEATS } from '../config/privacyCaveats';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../config/runConfig';
import type { SweepConfig } from '../config/sweepConfig';
import { createAccountant } from '../privacy';
import {
  expandSweep,
  formatSweepTable,
  planSweepPrivacy,
  summarizeSweep,
  sweepCellResult,
  sweepCellStats,
  sweepCsv,
  testSetStandardError,
  sweepMatrices,
  type SweepCellResult,
} from '.';

function base(noise: RunConfig['privacy']['noise'] = { mode: 'target', epsilon: 3 }): RunConfig {
  const c = defaultRunConfig();
  return { ...c, privacy: { ...c.privacy, accountant: 'rdp', noise } };
}

const sweep: SweepConfig = {
  base: base(),
  clipping: { abadi: { R: [0.01, 0.1, 1, 10], lr: [0.001, 0.003] }, 'auto-s': { lr: [0.001, 0.003] } },
};

function result(
  clipping: SweepCellResult['clipping'],
  R: number | null,
  lr: number,
  testAcc: number,
  caveats = NO_CAVEATS,
  seed = 1,
): SweepCellResult {
  const key = R === null ? `${clipping}:lr=${lr}` : `${clipping}:R=${R}:lr=${lr}`;
  return {
    key,
    clipping,
    R,
    lr,
    seed,
    testAcc,
    trainAcc: testAcc,
    testLoss: 0.3,
    epsilon: 3,
    sigma: 1,
    steps: 100,
    seconds: 2,
    diverged: false,
    ...caveats,
  };
}

describe('sweep plan', () => {
  it('calibrates σ once from the base config (q = B/N, ⌊epochs·N/B⌋ steps) and its ε is within the target', () => {
    const p = planSweepPrivacy(sweep.base, 8000);
    expect(p.sampleRate).toBe(256 / 8000);
    expect(p.steps).toBe(Math.floor((5 * 8000) / 256));
    expect(p.epsilon).toBeLessThanOrEqual(3);
    expect(p.epsilon).toBeGreaterThan(2.99);
    expect(createAccountant('rdp').step(p.sampleRate, p.sigma, p.steps).getEpsilon(1e-5).epsilon).toBeCloseTo(p.epsilon, 12);
    expect(p.note).toMatch(/calibrated once for ε = 3/);
  });

  it('takes a fixed σ from the base config as it is', () => {
    const p = planSweepPrivacy(base({ mode: 'sigma', sigma: 1.1 }), 8000);
    expect(p.sigma).toBe(1.1);
    expect(p.targetEpsilon).toBeNull();
  });

  it('refuses a batch larger than the training set and a non-private base', () => {
    expect(() => planSweepPrivacy(sweep.base, 100)).toThrow(/train.batchSize \(256\) is larger than the training set \(100 examples\)/);
    const off = base();
    off.privacy.enabled = false;
    expect(() => planSweepPrivacy(off, 8000)).toThrow(/privacy.enabled/);
  });

  it('expands the grid into valid run configs that differ only in clipping, R and lr, all with the shared σ', () => {
    const cells = expandSweep(sweep, 0.95);
    expect(cells).toHaveLength(4 * 2 + 2);
    expect(cells.slice(0, 2).map((c) => c.key)).toEqual(['auto-s:lr=0.001', 'auto-s:lr=0.003']);
    expect(cells[2].key).toBe('abadi:R=0.01:lr=0.001');
    for (const c of cells) {
      expect(parseRunConfig(c.config).ok).toBe(true);
      expect(c.config.privacy.noise).toEqual({ mode: 'sigma', sigma: 0.95 });
      expect(c.config.privacy.clipping).toBe(c.clipping);
      expect(c.config.train.learningRate).toBe(c.lr);
      if (c.R !== null) expect(c.config.privacy.maxGradNorm).toBe(c.R);
      // Everything else is the base's.
      expect(c.config.seed).toBe(sweep.base.seed);
      expect(c.config.data).toEqual(sweep.base.data);
      expect(c.config.model).toEqual(sweep.base.model);
      expect({ ...c.config.train, learningRate: 0 }).toEqual({ ...sweep.base.train, learningRate: 0 });
    }
    expect(new Set(cells.map((c) => c.key)).size).toBe(cells.length);
    expect(() => expandSweep(sweep, 0)).toThrow(/σ must be a positive number/);
  });
});

describe('sweep results', () => {
  it('a cell result: the grid point from the cell, σ and the caveat flags from the shared plan, the rest as measured', () => {
    const base: RunConfig = { ...defaultRunConfig(), privacy: { ...defaultRunConfig().privacy, enabled: true, sampling: 'shuffle' } };
    const privacy = planSweepPrivacy(base, 8000);
    const [cell] = expandSweep({ base, clipping: { abadi: { R: [0.5], lr: [0.01] } } }, privacy.sigma);
    const outcome = { testAcc: 0.9, trainAcc: 0.91, testLoss: 0.3, epsilon: 2.5, steps: 40, seconds: 1.5, diverged: false };
    expect(sweepCellResult(cell, privacy, outcome)).toEqual({
      key: 'abadi:R=0.5:lr=0.01',
      clipping: 'abadi',
      R: 0.5,
      lr: 0.01,
      seed: base.seed,
      ...outcome,
      sigma: privacy.sigma,
      notCoveredByAccountant: true,
      seededRandomness: base.privacy.secureNoise === false,
    });
  });

  const results = [
    result('abadi', 0.01, 0.001, 0.85),
    result('abadi', 0.01, 0.003, 0.9),
    result('abadi', 0.1, 0.001, 0.86),
    result('abadi', 0.1, 0.003, 0.91),
    result('abadi', 1, 0.001, 0.8),
    result('abadi', 1, 0.003, 0.84),
    result('abadi', 10, 0.001, 0.5),
    result('abadi', 10, 0.003, 0.6),
    result('auto-s', null, 0.001, 0.87),
    result('auto-s', null, 0.003, 0.912),
  ];

  it('summarises best cells, the Abadi median over R at its best lr and the AUTO-S gap', () => {
    const s = summarizeSweep(sweep, results);
    expect(s.best.abadi).toMatchObject({ clipping: 'abadi', R: 0.1, lr: 0.003, testAcc: 0.91 });
    expect(s.best['auto-s']).toMatchObject({ clipping: 'auto-s', R: null, lr: 0.003, testAcc: 0.912 });
    expect(s.abadiMedianAtBestLr).toBeCloseTo((0.84 + 0.9) / 2, 12); // lr=0.003 column: 0.9, 0.91, 0.84, 0.6
    expect(s.autoSMinusBestAbadi).toBeCloseTo(0.2, 9);
    expect(s.sentence).toBe(
      'AUTO-S: 91.2 % (best lr 0.003); best Abadi: 91.0 % at R=0.1, lr=0.003; Abadi median over R at lr=0.003: 87.0 %. AUTO-S is 0.2 points above Abadi at its best (R, lr) (one seed each: no spread to compare with).',
    );
    // One seed: the uncertainty the sentence can state is the test set's (0.912 on 2000 examples: ± 0.63 points).
    expect(summarizeSweep(sweep, results, { testSize: 2000 }).sentence).toMatch(
      / With one seed the uncertainty is the test set's: ± 0\.6 points \(standard error over 2000 test examples\), and the difference is within it\.$/,
    );
    expect(s.done).toBe(10);
    expect(s.total).toBe(10);
  });

  it('handles a partial sweep: missing cells are null in the matrix and "—" in the table', () => {
    const partial = results.slice(0, 3);
    const m = sweepMatrices(sweep, partial);
    expect(m.map((x) => x.clipping)).toEqual(['abadi', 'auto-s']);
    expect(m[0].testAcc).toEqual([
      [0.85, 0.9],
      [0.86, null],
      [null, null],
      [null, null],
    ]);
    expect(m[1].testAcc).toEqual([[null, null]]);
    const s = summarizeSweep(sweep, partial);
    expect(s.best['auto-s']).toBeUndefined();
    expect(s.autoSMinusBestAbadi).toBeNull();
    expect(s.sentence).toMatch(/\(3 of 10 cells done\.\)$/);
    const table = formatSweepTable(sweep, partial).split('\n');
    expect(table[0]).toMatch(/^test accuracy +lr=0\.001 +lr=0\.003$/);
    expect(table[2]).toMatch(/^Abadi R=0\.1 +86\.0 % +—$/);
    expect(table[5]).toMatch(/^AUTO-S +— +—$/);
    expect(summarizeSweep(sweep, []).sentence).toBe('No results yet. (0 of 10 cells done.)');
  });

  it('writes a Markdown table and one CSV row per cell', () => {
    const md = formatSweepTable(sweep, results, 'markdown').split('\n');
    expect(md[0]).toBe('| test accuracy | lr=0.001 | lr=0.003 |');
    expect(md[1]).toBe('| --- | ---: | ---: |');
    expect(md[6]).toBe('| AUTO-S | 87.0 % | 91.2 % |');
    const csv = sweepCsv(sweep, results).trimEnd().split('\n');
    expect(csv[0]).toBe(
      'clipping,R,lr,n,testAccMean,testAccSd,trainAccMean,epsilon,sigma,steps,seconds,diverged,notCoveredByAccountant,seededRandomness,testAcc_seed1',
    );
    expect(csv).toHaveLength(11);
    // Cells in run order (automatic clipping first), one seed each: sd 0.
    expect(csv[1]).toBe('auto-s,,0.001,1,0.87,0,0.87,3,1,100,2,0,false,false,0.87');
    expect(csv[3]).toBe('abadi,0.01,0.001,1,0.85,0,0.85,3,1,100,2,0,false,false,0.85');
  });

  it('shuffled batches reported as if Poisson: the plan, every cell, the CSV and the sentence carry the flag', () => {
    const shuffled = { ...sweep.base, privacy: { ...sweep.base.privacy, sampling: 'shuffle' as const } };
    const p = planSweepPrivacy(shuffled, 8000);
    expect(p).toMatchObject({ notCoveredByAccountant: true, seededRandomness: false });
    expect(planSweepPrivacy(sweep.base, 8000)).toMatchObject({ notCoveredByAccountant: false, seededRandomness: false });
    const flags = { notCoveredByAccountant: p.notCoveredByAccountant, seededRandomness: p.seededRandomness };
    const flagged = [result('auto-s', null, 0.001, 0.9, flags), result('abadi', 0.1, 0.001, 0.8, flags)];
    expect(sweepCsv(sweep, flagged).split('\n')[1]).toBe('auto-s,,0.001,1,0.9,0,0.9,3,1,100,2,0,true,false,0.9');
    const sentence = summarizeSweep(sweep, flagged).sentence;
    expect(sentence).toMatch(/Warning: not covered by the accountant, so the ε shown is not a guarantee for these runs\.$/);
    expect(summarizeSweep(sweep, [result('auto-s', null, 0.001, 0.9)]).sentence).not.toContain('Warning');
    const seeded = planSweepPrivacy({ ...sweep.base, privacy: { ...sweep.base.privacy, secureNoise: false } }, 8000);
    expect(seeded.seededRandomness).toBe(true);
    expect(summarizeSweep(sweep, [result('auto-s', null, 0.001, 0.9, { ...NO_CAVEATS, seededRandomness: true })]).sentence).toContain(
      'Warning: seeded randomness',
    );
  });
});

describe('sweeps over seeds', () => {
  const seeded: SweepConfig = {
    base: sweep.base,
    clipping: { abadi: { R: [0.1], lr: [0.01] }, 'auto-s': { lr: [0.01] } },
    seeds: [1, 2, 3],
  };

  it('expands each cell once per seed, cell by cell, with the seed in the run config', () => {
    const runs = expandSweep(seeded, 0.9);
    expect(runs.map((r) => r.runKey)).toEqual([
      'auto-s:lr=0.01:seed=1',
      'auto-s:lr=0.01:seed=2',
      'auto-s:lr=0.01:seed=3',
      'abadi:R=0.1:lr=0.01:seed=1',
      'abadi:R=0.1:lr=0.01:seed=2',
      'abadi:R=0.1:lr=0.01:seed=3',
    ]);
    for (const r of runs) {
      expect(r.config.seed).toBe(r.seed);
      expect(r.key).toBe(r.runKey.replace(/:seed=\d+$/, ''));
      expect(parseRunConfig(r.config).ok).toBe(true);
    }
  });

  // Hand-computed: AUTO-S 0.80, 0.84, 0.88 → mean 0.84, sd √((0.04² + 0 + 0.04²)/2) = 0.04;
  // Abadi 0.90, 0.91, 0.95 → mean 0.92, sd √((0.02² + 0.01² + 0.03²)/2) = √0.0007 ≈ 0.026458.
  const spread = [
    result('auto-s', null, 0.01, 0.8, NO_CAVEATS, 1),
    result('auto-s', null, 0.01, 0.84, NO_CAVEATS, 2),
    result('auto-s', null, 0.01, 0.88, NO_CAVEATS, 3),
    result('abadi', 0.1, 0.01, 0.95, NO_CAVEATS, 3),
    result('abadi', 0.1, 0.01, 0.9, NO_CAVEATS, 1),
    result('abadi', 0.1, 0.01, 0.91, NO_CAVEATS, 2),
  ];

  it('reports each cell as mean ± sample sd over its seeds', () => {
    const [auto, abadi] = sweepCellStats(seeded, spread);
    expect(auto.testAcc!.mean).toBeCloseTo(0.84, 12);
    expect(auto.testAcc!.sd).toBeCloseTo(0.04, 12);
    expect(auto.testAcc!.n).toBe(3);
    expect(abadi.testAcc!.mean).toBeCloseTo(0.92, 12);
    expect(abadi.testAcc!.sd).toBeCloseTo(Math.sqrt(0.0007), 12);
    expect(abadi.runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(sweepMatrices(seeded, spread)[0].testAcc[0][0]).toBeCloseTo(0.92, 12);
  });

  it('the summary gives mean ± sd and says whether the gap is larger than the seed spread', () => {
    // Gap 8 points > the larger sd (4 points): a difference.
    const clear = summarizeSweep(seeded, spread).sentence;
    expect(clear).toBe(
      'AUTO-S: 84.0 ± 4.0 % (best lr 0.01); best Abadi: 92.0 ± 2.6 % at R=0.1, lr=0.01; Abadi median over R at lr=0.01: 92.0 % (mean ± sd over 3 seeds). Abadi at its best (R, lr) is 8.0 points above AUTO-S, more than the seed-to-seed spread (± 4.0).',
    );
    // AUTO-S 0.88, 0.90, 0.92 (mean 0.90, sd 0.02) against 0.92 ± 0.026: a 2-point gap, within the spread.
    const close = spread.map((r) => (r.clipping === 'auto-s' ? { ...r, testAcc: 0.86 + 0.02 * r.seed } : r));
    expect(summarizeSweep(seeded, close).sentence).toContain(
      'Abadi at its best (R, lr) and AUTO-S differ by 2.0 points, within the seed-to-seed spread (± 2.6): no clear winner.',
    );
    // A partial sweep counts runs.
    expect(summarizeSweep(seeded, spread.slice(0, 4)).sentence).toMatch(/\(4 of 6 runs done: 2 cells × 3 seeds\.\)$/);
  });

  it('the table shows mean ± sd and n; the CSV one row per cell with mean, sd, n and a column per seed', () => {
    const table = formatSweepTable(seeded, spread.slice(0, 5)).split('\n');
    expect(table[0]).toMatch(/^test accuracy \(mean ± sd over 3 seeds\) +lr=0\.01$/);
    expect(table[1]).toMatch(/^Abadi R=0\.1 +92\.5 ± 3\.5 % n=2$/);
    expect(table[2]).toMatch(/^AUTO-S +84\.0 ± 4\.0 % n=3$/);
    const csv = sweepCsv(seeded, spread.slice(0, 5)).trimEnd().split('\n');
    expect(csv[0]).toMatch(/,testAcc_seed1,testAcc_seed2,testAcc_seed3$/);
    const auto = csv[1].split(',');
    expect(auto.slice(0, 4)).toEqual(['auto-s', '', '0.01', '3']);
    expect(Number(auto[4])).toBeCloseTo(0.84, 12);
    expect(Number(auto[5])).toBeCloseTo(0.04, 12);
    expect(auto.slice(-3)).toEqual(['0.8', '0.84', '0.88']);
    // Abadi: seeds 1 and 3 finished, seed 2 not yet (an empty column); sd of 0.90, 0.95 is 0.05/√2.
    const abadi = csv[2].split(',');
    expect(abadi.slice(0, 4)).toEqual(['abadi', '0.1', '0.01', '2']);
    expect(Number(abadi[4])).toBeCloseTo(0.925, 12);
    expect(Number(abadi[5])).toBeCloseTo(0.05 / Math.SQRT2, 12);
    expect(abadi.slice(-3)).toEqual(['0.9', '', '0.95']);
  });

  it('the test set standard error is √(p(1 − p)/n)', () => {
    expect(testSetStandardError(0.9, 400)).toBeCloseTo(0.015, 12);
    expect(testSetStandardError(0.5, 10000)).toBeCloseTo(0.005, 12);
    expect(() => testSetStandardError(NaN, 10)).toThrow(RangeError);
    expect(() => testSetStandardError(0.5, 0)).toThrow(RangeError);
  });
});
