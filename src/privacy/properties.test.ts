/**
 * Monotonicity properties (fast-check): ε grows with the number of steps and the sample rate and
 * falls with σ and δ — for every accountant. PRV runs on short histories to stay fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountantName } from './accountants/accountant';
import { createAccountant } from './accountants/registry';

const eps = (name: AccountantName, q: number, sigma: number, steps: number, delta: number) =>
  createAccountant(name).step(q, sigma, steps).getEpsilon(delta).epsilon;

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

// PRV's ε carries its ±ε_err discretisation error; allow a matching slack in the comparison.
const slack = (name: AccountantName) => (name === 'prv' ? 1e-3 : 1e-12);

describe.each(['rdp', 'gdp', 'prv'] as const)('%s monotonicity', (name) => {
  const { runs, maxSteps } = LIMITS[name];
  const s = slack(name);
  it('ε grows with steps', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ q, sigma, steps, delta, factor }) => {
        const more = Math.min(maxSteps * 3, Math.ceil(steps * factor));
        expect(eps(name, q, sigma, more, delta)).toBeGreaterThan(eps(name, q, sigma, steps, delta) - s);
      }),
      { numRuns: runs },
    );
  });
  it('ε grows with q', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ q, sigma, steps, delta, factor }) => {
        expect(eps(name, Math.min(1, q * factor), sigma, steps, delta)).toBeGreaterThan(eps(name, q, sigma, steps, delta) - s);
      }),
      { numRuns: runs },
    );
  });
  it('ε falls with σ', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ q, sigma, steps, delta, factor }) => {
        expect(eps(name, q, sigma * factor, steps, delta)).toBeLessThan(eps(name, q, sigma, steps, delta) + s);
      }),
      { numRuns: runs },
    );
  });
  it('ε falls with δ', () => {
    fc.assert(
      fc.property(arb(maxSteps), ({ q, sigma, steps, delta, factor }) => {
        expect(eps(name, q, sigma, steps, Math.min(0.5, delta * factor * 10))).toBeLessThan(eps(name, q, sigma, steps, delta) + s);
      }),
      { numRuns: runs },
    );
  });
});
