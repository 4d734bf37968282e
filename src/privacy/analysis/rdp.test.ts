import { describe, expect, it } from 'vitest';
import { reference } from '../testing/reference';
import { computeRdp, computeRdpSingle, DEFAULT_ORDERS, getPrivacySpent } from './rdp';

describe('RDP of the sampled Gaussian (Mironov et al. 2019) + Balle et al. 2020 conversion', () => {
  it('uses Opacus default orders', () => {
    expect(DEFAULT_ORDERS.length).toBe(151);
    expect(DEFAULT_ORDERS[0]).toBe(1.1);
    expect(DEFAULT_ORDERS[98]).toBe(10.9);
    expect(DEFAULT_ORDERS[99]).toBe(12);
    expect(DEFAULT_ORDERS[150]).toBe(63);
  });

  it.each(reference.epsilon.map((e) => [e.id, e] as const))('%s matches the reference to 1e-8 relative', (_id, e) => {
    const r = getPrivacySpent(DEFAULT_ORDERS, computeRdp(e.q, e.sigma, e.steps), e.delta);
    expect(Math.abs(r.epsilon / e.rdp - 1)).toBeLessThan(1e-8);
    expect(r.optimalOrder).toBe(e.rdp_order);
  });

  it('q = 1 is the Gaussian mechanism: α/(2σ²)', () => {
    expect(computeRdpSingle(1, 2, 3.5)).toBe(3.5 / 8);
  });

  it('integer and fractional orders agree continuously', () => {
    // The two series are different formulas; around an integer order they must meet.
    const q = 0.01,
      s = 1.2;
    const at = (a: number) => computeRdpSingle(q, s, a);
    expect(Math.abs(at(5 - 1e-7) - at(5)) / at(5)).toBeLessThan(1e-5);
    expect(Math.abs(at(5 + 1e-7) - at(5)) / at(5)).toBeLessThan(1e-5);
  });

  it('warns when the optimum sits on the edge of the grid', () => {
    const high = getPrivacySpent(DEFAULT_ORDERS, computeRdp(0.001, 50, 10), 1e-5);
    expect(high.optimalOrder).toBe(63);
    expect(high.warnings.join(' ')).toMatch(/largest order/);
    const low = getPrivacySpent(DEFAULT_ORDERS, computeRdp(1, 0.3, 1000), 1e-5);
    expect(low.optimalOrder).toBe(1.1);
    expect(low.warnings.join(' ')).toMatch(/smallest order/);
    const mid = getPrivacySpent(DEFAULT_ORDERS, computeRdp(0.01, 1, 1000), 1e-5);
    expect(mid.warnings).toEqual([]);
  });

  it('rejects bad inputs', () => {
    expect(() => getPrivacySpent([2, 3], [1], 1e-5)).toThrow(/same length/);
    expect(() => getPrivacySpent([2], [1], 0)).toThrow(/delta/);
  });
});
