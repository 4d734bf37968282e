import { describe, expect, it } from 'vitest';
import { refEpsilon, reference } from './testing/reference';
import { calibrateSigma, CALIBRATION_PRV_MAX_DOMAIN_SIZE, MAX_SIGMA, maxSteps } from './calibrate';
import { EPSILON_MAX } from '../config/privacyBounds';

const cases = reference.calibration.flatMap((c) => (['rdp', 'gdp', 'prv'] as const).map((acc) => [c.id, acc, c] as const));

describe('calibrateSigma against the reference (tolerance 1e-4)', () => {
  it.each(cases)('%s %s', (_id, acc, c) => {
    const r = calibrateSigma({
      targetEpsilon: c.target_epsilon,
      delta: c.delta,
      sampleRate: c.q,
      steps: c.steps,
      accountant: acc,
      epsilonTolerance: 1e-4,
    });
    const want = c['sigma_tol_1e-4'][acc];
    expect(r.epsilon).toBeLessThanOrEqual(c.target_epsilon);
    expect(c.target_epsilon - r.epsilon).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.noiseMultiplier / want - 1)).toBeLessThan(0.01);
    expect(r.sigmaLowerBound).toBeLessThan(r.noiseMultiplier);
    expect(r.result.epsilon).toBe(r.epsilon);
  });

  it('the looser tolerance 1e-2 still meets the budget and lands near the reference', () => {
    const c = reference.calibration[0];
    const r = calibrateSigma({
      targetEpsilon: c.target_epsilon,
      delta: c.delta,
      sampleRate: c.q,
      steps: c.steps,
      accountant: 'rdp',
      epsilonTolerance: 1e-2,
    });
    expect(r.epsilon).toBeLessThanOrEqual(c.target_epsilon);
    expect(Math.abs(r.noiseMultiplier / c['sigma_tol_1e-2'].rdp - 1)).toBeLessThan(0.01);
  });

  it('rejects impossible budgets and bad parameters with named errors', () => {
    expect(() => calibrateSigma({ targetEpsilon: 1e-9, delta: 1e-5, sampleRate: 1, steps: 10 })).toThrow(
      /targetEpsilon: the privacy budget is too low/,
    );
    expect(() => calibrateSigma({ targetEpsilon: 1, delta: 2, sampleRate: 0.1, steps: 10 })).toThrow(/delta/);
    expect(() => calibrateSigma({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.1, steps: 0 })).toThrow(/steps/);
  });
});

describe('maxSteps', () => {
  it('RDP: the reference run of 14062 steps is exactly the budget it spends', () => {
    const e = refEpsilon('mnist-tfp');
    const r = maxSteps({ targetEpsilon: e.rdp * (1 + 1e-9), delta: e.delta, sampleRate: e.q, noiseMultiplier: e.sigma, accountant: 'rdp' });
    expect(r.steps).toBe(e.steps);
    expect(r.epsilonNext!).toBeGreaterThan(e.rdp * (1 + 1e-9));
  });

  it('PRV: the same against the PRV reference upper bound', () => {
    const e = refEpsilon('c2');
    const r = maxSteps({ targetEpsilon: e.prv.upper + 1e-6, delta: e.delta, sampleRate: e.q, noiseMultiplier: e.sigma, accountant: 'prv' });
    expect(r.steps).toBe(e.steps);
    expect(r.epsilon).toBeLessThanOrEqual(e.prv.upper + 1e-6);
  });

  it('GDP and an over-tight budget', () => {
    const e = refEpsilon('c3');
    expect(
      maxSteps({ targetEpsilon: e.gdp * (1 + 1e-9), delta: e.delta, sampleRate: e.q, noiseMultiplier: e.sigma, accountant: 'gdp' }).steps,
    ).toBe(e.steps);
    expect(maxSteps({ targetEpsilon: 1e-3, delta: 1e-5, sampleRate: 0.5, noiseMultiplier: 0.5 }).steps).toBe(0);
  });
});

describe('calibration at the edges of the supported range', () => {
  it("PRV's limits are errors a user cannot act on: 'budget too low' reports a finite ε and the floor that explains it", () => {
    // 1e8 steps: PRV's grid is out of reach at every σ, so its answers are RDP bounds.
    const run = () => calibrateSigma({ targetEpsilon: 1e-3, delta: 1e-5, sampleRate: 0.01, steps: 100_000_000, accountant: 'prv' });
    expect(run).toThrow(
      new RegExp(
        `targetEpsilon: the privacy budget is too low: even sigma=${MAX_SIGMA} gives epsilon 0\\.10\\d+ \\(RDP over orders up to 63 cannot certify epsilon below 0\\.103`,
      ),
    );
    expect(run).not.toThrow(/Infinity/);
  });

  it('calibration accepts NaN: a target beyond the supported range is refused, naming it', () => {
    for (const acc of ['rdp', 'prv', 'gdp'] as const) {
      expect(() => calibrateSigma({ targetEpsilon: 1000, delta: 1e-5, sampleRate: 0.1666666, steps: 24, accountant: acc })).toThrow(
        /targetEpsilon: must be ≤ 100 .*got 1000/,
      );
    }
    expect(() => maxSteps({ targetEpsilon: 1000, delta: 1e-5, sampleRate: 0.1, noiseMultiplier: 1 })).toThrow(
      /targetEpsilon: must be ≤ 100/,
    );
  });

  it.each(['rdp', 'prv', 'gdp'] as const)(
    '%s: the largest target ε of that configuration meets the budget in a handful of evaluations',
    (acc) => {
      const r = calibrateSigma({ targetEpsilon: EPSILON_MAX, delta: 1e-5, sampleRate: 0.1666666, steps: 24, accountant: acc });
      expect(r.epsilon).toBeLessThanOrEqual(EPSILON_MAX);
      expect(EPSILON_MAX - r.epsilon).toBeLessThanOrEqual(1e-4);
      expect(Number.isFinite(r.result.epsilon)).toBe(true);
      expect(r.evaluations).toBeLessThanOrEqual(12);
    },
  );

  it(`PRV calibration evaluates grids of at most ${CALIBRATION_PRV_MAX_DOMAIN_SIZE} points and says when it used the RDP bound`, () => {
    // ε = 100 over 700 steps needs ~3e6 grid points: calibrated on the RDP bound, flagged.
    const r = calibrateSigma({ targetEpsilon: EPSILON_MAX, delta: 1e-5, sampleRate: 32 / 450, steps: 700, accountant: 'prv' });
    expect(r.result.fallback?.reason).toMatch(/limit 2097152/);
    expect(r.warnings.join(' ')).toMatch(/RDP upper bound instead/);
    expect(r.epsilon).toBeLessThanOrEqual(EPSILON_MAX);
  });

  it('a target whose σ sits at the PRV grid limit of calibration is found in a handful of evaluations, with the reason', () => {
    // 1e5 steps at q = 0.01: below σ ≈ 2.887 the grid exceeds 2^21 points and ε jumps from PRV (5.06) to RDP (> 5.2).
    const r = calibrateSigma({ targetEpsilon: 5.2, delta: 1e-5, sampleRate: 0.01, steps: 100_000, accountant: 'prv' });
    expect(r.epsilon).toBeLessThanOrEqual(5.2);
    expect(r.result.fallback).toBeUndefined();
    expect(r.evaluations).toBeLessThanOrEqual(8);
    expect(r.warnings.join(' ')).toMatch(/sits at the PRV grid limit of calibration/);
  });
});
