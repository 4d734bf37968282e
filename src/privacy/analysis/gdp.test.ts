import { describe, expect, it } from 'vitest';
import { reference } from '../testing/reference';
import { composeMu, computeEpsPoisson, computeMuPoisson, deltaEpsMu, epsFromMu } from './gdp';

describe('GDP (CLT, Poisson)', () => {
  it.each(reference.epsilon.map((e) => [e.id, e] as const))('%s matches the reference to 1e-6 relative', (_id, e) => {
    expect(Math.abs(computeEpsPoisson(e.steps, e.sigma, e.q, e.delta) / e.gdp - 1)).toBeLessThan(1e-6);
  });
  it('epsFromMu inverts the δ(ε) dual', () => {
    const eps = epsFromMu(1.3, 1e-6);
    expect(deltaEpsMu(eps, 1.3)).toBeCloseTo(1e-6, 15);
  });
  it('no privacy (σ so small that e^{1/σ²} overflows, or ε beyond 1e12) is +∞, not a small number', () => {
    expect(computeEpsPoisson(10, 0.01, 0.004, 1e-6)).toBe(Infinity);
    expect(computeEpsPoisson(10_000, 0.1, 0.5, 1e-6)).toBe(Infinity);
    expect(computeEpsPoisson(10, 0.3, 0.004, 1e-6)).toBeGreaterThan(computeEpsPoisson(10, 1, 0.004, 1e-6));
  });
  it('μ² composes additively', () => {
    const a = computeMuPoisson(300, 1.1, 0.01);
    const b = computeMuPoisson(700, 1.1, 0.01);
    expect(composeMu([a, b])).toBeCloseTo(computeMuPoisson(1000, 1.1, 0.01), 12);
  });
});
