/**
 * Monotonicity properties (fast-check): the true ε grows with the number of steps and the sample
 * rate and falls with σ and δ. What each accountant can claim about it:
 * - RDP and GDP are deterministic formulas, monotone up to rounding;
 * - PRV returns bounds lower ≤ true ε ≤ upper, computed on a grid that depends on the inputs, so two
 *   of its upper bounds need not be ordered (they differ by up to 2·ε_err). What holds is that the
 *   upper bound of the larger ε is at least the lower bound of the smaller one. Where PRV falls back
 *   to RDP, lower is 0 and upper is the RDP bound, and the result must say so.
 * The generators stay where the accountants' answers are claimed (ε ≤ EPSILON_MAX, src/config/privacyBounds.ts).
 * The seed is fixed (src/testing/propertySeed.ts; FC_SEED=random for a fresh one). PRV runs on short
 * histories and without shrinking (a failure already prints the seed that replays it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountantName, EpsilonResult } from './accountants/accountant';
import { createAccountant } from './accountants/registry';
import { computeRdp, DEFAULT_ORDERS, getPrivacySpent } from './analysis/rdp';
import { EPSILON_MAX } from '../config/privacyBounds';

interface Config {
  q: number;
  sigma: number;
  steps: number;
  delta: number;
}

const result = (name: AccountantName, c: Config): EpsilonResult => createAccountant(name).step(c.q, c.sigma, c.steps).getEpsilon(c.delta);
const rdpEpsilon = (c: Config) => getPrivacySpent(DEFAULT_ORDERS, computeRdp(c.q, c.sigma, c.steps), c.delta).epsilon;

/** An interval that holds the true ε, as each accountant claims it. */
function claim(name: AccountantName, c: Config): { lo: number; hi: number } {
  const r = result(name, c);
  if (r.accountant !== 'prv') return { lo: r.epsilon - 1e-12, hi: r.epsilon + 1e-12 };
  expect(r.lower).toBeLessThanOrEqual(r.estimate);
  expect(r.estimate).toBeLessThanOrEqual(r.upper);
  if (r.fallback) {
    // The documented fallback: ε is the RDP bound, lower is 0, and a warning says why.
    expect(r.epsilon).toBe(rdpEpsilon(c));
    expect(r.lower).toBe(0);
    expect(r.warnings[0]).toMatch(/RDP upper bound instead/);
  }
  return { lo: r.lower, hi: r.upper };
}

interface Limits {
  runs: number;
  maxSteps: number;
}
const LIMITS: Record<AccountantName, Limits> = {
  rdp: { runs: 60, maxSteps: 100_000 },
  gdp: { runs: 100, maxSteps: 1_000_000 },
  prv: { runs: 6, maxSteps: 300 },
};

const arb = (maxSteps: number) =>
  fc.record({
    q: fc.double({ min: 1e-3, max: 0.5, noNaN: true }),
    sigma: fc.double({ min: 0.5, max: 5, noNaN: true }),
    steps: fc.integer({ min: 1, max: maxSteps }),
    delta: fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
    factor: fc.double({ min: 1.2, max: 3, noNaN: true }),
  });

/** `larger` has the larger true ε; both configurations must be inside the supported range. */
function grows(name: AccountantName, smaller: Config, larger: Config): void {
  fc.pre(rdpEpsilon(larger) <= EPSILON_MAX && rdpEpsilon(smaller) <= EPSILON_MAX);
  expect(claim(name, larger).hi).toBeGreaterThanOrEqual(claim(name, smaller).lo);
}

describe.each(['rdp', 'gdp', 'prv'] as const)('%s monotonicity', (name) => {
  const { runs, maxSteps } = LIMITS[name];
  const params = { numRuns: runs, endOnFailure: name === 'prv' };
  it('ε grows with steps', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ factor, ...c }) =>
        grows(name, c, { ...c, steps: Math.min(maxSteps * 3, Math.ceil(c.steps * factor)) }),
      ),
      params,
    );
  });
  it('ε grows with q', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ factor, ...c }) => grows(name, c, { ...c, q: Math.min(1, c.q * factor) })),
      params,
    );
  });
  it('ε falls with σ', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ factor, ...c }) => grows(name, { ...c, sigma: c.sigma * factor }, c)),
      params,
    );
  });
  it('ε falls with δ', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ factor, ...c }) => grows(name, { ...c, delta: Math.min(0.5, c.delta * factor * 10) }, c)),
      params,
    );
  });
});
