import { describe, expect, it } from 'vitest';
import { refEpsilon, reference } from '../testing/reference';
import { accountantFromJSON, createAccountant } from './registry';
import { GdpAccountant } from './gdp';
import { PrvAccountant } from './prv';
import { RdpAccountant } from './rdp';

describe('accountants against the reference', () => {
  it.each(reference.epsilon.map((e) => [e.id, e] as const))('%s: rdp, gdp', (_id, e) => {
    const rdp = new RdpAccountant().step(e.q, e.sigma, e.steps).getEpsilon(e.delta);
    expect(Math.abs(rdp.epsilon / e.rdp - 1)).toBeLessThan(1e-8);
    expect(rdp.optimalOrder).toBe(e.rdp_order);
    expect(rdp.accountant).toBe('rdp');
    const gdp = new GdpAccountant().step(e.q, e.sigma, e.steps).getEpsilon(e.delta);
    expect(Math.abs(gdp.epsilon / e.gdp - 1)).toBeLessThan(1e-6);
    expect(gdp.warnings.join(' ')).toMatch(/underestimate/);
  });

  it('prv reports upper as epsilon with lower ≤ estimate ≤ upper', () => {
    const e = refEpsilon('c2');
    const r = new PrvAccountant().step(e.q, e.sigma, e.steps).getEpsilon(e.delta);
    expect(r.epsilon).toBe(r.upper);
    expect(Math.abs(r.upper - e.prv.upper)).toBeLessThan(0.01);
    expect(Math.abs(r.lower - e.prv.lower)).toBeLessThan(0.01);
    expect(r.upper).toBeGreaterThan(e.pld - 0.01);
    expect(r.deltaError).toBeCloseTo(e.delta / 1000, 20);
  });

  it('RDP stepped one at a time equals one segment, and per-step cost is O(orders)', () => {
    const e = refEpsilon('c5');
    const acc = new RdpAccountant();
    const t0 = performance.now();
    for (let i = 0; i < e.steps; i++) {
      acc.step(e.q, e.sigma);
      acc.getEpsilon(e.delta);
    }
    const perStep = (performance.now() - t0) / e.steps;
    expect(Math.abs(acc.getEpsilon(e.delta).epsilon / e.rdp - 1)).toBeLessThan(1e-8);
    expect(acc.history).toEqual([{ q: e.q, sigma: e.sigma, steps: e.steps }]);
    expect(perStep).toBeLessThan(1); // ms; ~10 µs in practice
  });

  it('histories with changing settings compose (RDP additive over segments)', () => {
    const acc = new RdpAccountant().step(0.01, 1.0, 300).step(0.02, 1.5, 200).step(0.01, 1.0, 100);
    expect(acc.history.length).toBe(3);
    expect(acc.steps).toBe(600);
    const a = new RdpAccountant().step(0.01, 1.0, 400).rdpVector();
    const b = new RdpAccountant().step(0.02, 1.5, 200).rdpVector();
    const v = acc.rdpVector();
    for (let k = 0; k < v.length; k++) expect(v[k]).toBeCloseTo(a[k] + b[k], 10);
  });

  it('PRV with changing settings lies between its parts and the RDP bound', () => {
    const prv = new PrvAccountant().step(0.01, 1.0, 500).step(0.02, 1.5, 300).getEpsilon(1e-5);
    const partA = new PrvAccountant().step(0.01, 1.0, 500).getEpsilon(1e-5);
    const partB = new PrvAccountant().step(0.02, 1.5, 300).getEpsilon(1e-5);
    const rdp = new RdpAccountant().step(0.01, 1.0, 500).step(0.02, 1.5, 300).getEpsilon(1e-5);
    expect(prv.estimate).toBeGreaterThan(Math.max(partA.estimate, partB.estimate));
    expect(prv.estimate).toBeLessThan(partA.upper + partB.upper);
    expect(prv.upper).toBeLessThan(rdp.epsilon);
  });

  it('zero steps is zero epsilon', () => {
    for (const name of ['rdp', 'prv', 'gdp'] as const) expect(createAccountant(name).getEpsilon(1e-5).epsilon).toBe(0);
  });

  it('toJSON / fromJSON round-trips and validates', () => {
    const acc = new PrvAccountant().step(0.01, 1.1, 10).step(0.02, 0.9, 5);
    const json = JSON.parse(JSON.stringify(acc));
    expect(json).toEqual({
      version: 1,
      mechanism: 'prv',
      history: [
        { q: 0.01, sigma: 1.1, steps: 10 },
        { q: 0.02, sigma: 0.9, steps: 5 },
      ],
    });
    const back = accountantFromJSON(json);
    expect(back).toBeInstanceOf(PrvAccountant);
    expect(back.history).toEqual(acc.history);
    expect(RdpAccountant.fromJSON({ ...json, mechanism: 'rdp' }).steps).toBe(15);
    expect(() => RdpAccountant.fromJSON(json)).toThrow(/mechanism 'prv'/);
    expect(() => accountantFromJSON({ ...json, history: [{ q: 2, sigma: 1, steps: 1 }] })).toThrow(/history\.0\.q/);
    expect(() => accountantFromJSON({ version: 1, mechanism: 'rdp' })).toThrow(/history/);
    expect(() => accountantFromJSON({ ...json, mechanism: 'pld' })).toThrow(/mechanism/);
  });

  it('registry throws on unknown names', () => {
    expect(createAccountant('gdp')).toBeInstanceOf(GdpAccountant);
    expect(() => createAccountant('moments')).toThrow(/unknown accountant 'moments'.*rdp, prv, gdp/);
  });

  it('step validates its arguments', () => {
    const acc = new RdpAccountant();
    expect(() => acc.step(0, 1)).toThrow(/sampleRate/);
    expect(() => acc.step(1.2, 1)).toThrow(/sampleRate/);
    expect(() => acc.step(0.1, 0)).toThrow(/noiseMultiplier/);
    expect(() => acc.step(0.1, 1, 1.5)).toThrow(/n: must be a non-negative integer/);
    expect(() => acc.getEpsilon(1)).toThrow(/delta/);
  });
});

describe('edge cases', () => {
  it('a single step: finite, PRV below RDP', () => {
    const rdp = new RdpAccountant().step(0.01, 1.0).getEpsilon(1e-5);
    const prv = new PrvAccountant().step(0.01, 1.0).getEpsilon(1e-5);
    expect(Number.isFinite(rdp.epsilon)).toBe(true);
    expect(prv.estimate).toBeLessThan(rdp.epsilon);
    expect(prv.lower).toBeLessThanOrEqual(prv.estimate);
  });

  it('1e6 steps: RDP is finite and above 1e5 steps; PRV gives a finite answer', () => {
    const r5 = new RdpAccountant().step(0.001, 1.0, 100_000).getEpsilon(1e-5).epsilon;
    const r6 = new RdpAccountant().step(0.001, 1.0, 1_000_000).getEpsilon(1e-5).epsilon;
    expect(Number.isFinite(r6)).toBe(true);
    expect(r6).toBeGreaterThan(r5);
    const p6 = new PrvAccountant().step(0.001, 1.0, 1_000_000).getEpsilon(1e-5);
    expect(Number.isFinite(p6.upper)).toBe(true);
    expect(p6.upper).toBeLessThan(r6);
  });

  it('σ = 0.3 and σ = 50: finite and ordered', () => {
    const eps = (name: 'rdp' | 'prv' | 'gdp', sigma: number) => createAccountant(name).step(0.01, sigma, 1000).getEpsilon(1e-5).epsilon;
    for (const name of ['rdp', 'prv', 'gdp'] as const) {
      const lo = eps(name, 0.3);
      const mid = eps(name, 1);
      const hi = eps(name, 50);
      expect(Number.isFinite(lo)).toBe(true);
      expect(lo).toBeGreaterThan(mid);
      expect(mid).toBeGreaterThan(hi);
      expect(hi).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("PRV's limits are errors a user cannot act on: PRV falls back to a bound that holds", () => {
  const rdpOf = (q: number, sigma: number, steps: number, delta: number) =>
    new RdpAccountant().step(q, sigma, steps).getEpsilon(delta).epsilon;

  it('a grid beyond the size limit gives the RDP bound, flagged, with the reason', () => {
    const r = new PrvAccountant({ maxDomainSize: 2 ** 12 }).step(0.01, 1, 10_000).getEpsilon(1e-5);
    expect(r.fallback).toEqual({ accountant: 'rdp', reason: expect.stringMatching(/grid points \(limit 4096\)/) });
    expect(r.epsilon).toBe(rdpOf(0.01, 1, 10_000, 1e-5));
    expect(r.upper).toBe(r.epsilon);
    expect(r.lower).toBe(0);
    expect(r.warnings[0]).toMatch(/grid points .*; epsilon is the RDP upper bound instead \(optimal order [\d.]+\)$/);
  });

  it('a δ so small that rounding dominates gives the RDP bound', () => {
    const r = new PrvAccountant().step(0.01, 2, 1).getEpsilon(1e-13);
    expect(r.fallback?.reason).toMatch(/floating-point rounding over \d+ grid points exceeds delta=1e-13/);
    expect(r.epsilon).toBe(rdpOf(0.01, 2, 1, 1e-13));
  });

  it('an ε in the thousands is the RDP bound, not the 709.8 that e^t overflowing gave', () => {
    const r = new PrvAccountant().step(0.01, 0.01, 1).getEpsilon(1e-5);
    expect(r.fallback?.reason).toMatch(/privacy loss reaches beyond ±250/);
    expect(r.epsilon).toBeGreaterThan(5000);
  });

  it('calibration accepts NaN: the PRV ε at the σ that search probed (q = 0.1666666, σ = 0.08, 24 steps) is a number', () => {
    const r = new PrvAccountant().step(0.1666666, 0.08, 24).getEpsilon(1e-5);
    expect(Number.isFinite(r.epsilon)).toBe(true);
    expect(r.fallback?.accountant).toBe('rdp');
    expect(r.epsilon).toBe(rdpOf(0.1666666, 0.08, 24, 1e-5));
  });

  it('σ = 1e8 with PRV gives an internal logSub error: it gives ε at PRV’s floor (its ε_err)', () => {
    const r = new PrvAccountant().step(0.01, 1e8, 100).getEpsilon(1e-5);
    expect(r.fallback).toBeUndefined();
    expect(r.epsilon).toBeGreaterThan(0);
    expect(r.epsilon).toBeLessThanOrEqual(0.0101);
    expect(new RdpAccountant().step(0.01, 1e8, 100).getEpsilon(1e-5).epsilon).toBeCloseTo(0.1029, 4);
  });

  it('normal configurations are unchanged: no fallback on any reference case', () => {
    for (const e of reference.epsilon) {
      const r = new PrvAccountant().step(e.q, e.sigma, e.steps).getEpsilon(e.delta);
      expect(r.fallback, e.id).toBeUndefined();
      expect(Math.abs(r.upper - e.prv.upper), e.id).toBeLessThan(0.01);
    }
  });
});
