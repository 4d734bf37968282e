import { describe, expect, it } from 'vitest';
import { refEpsilon } from './testing/reference';
import { PrivacyLedger } from './ledger';

describe('PrivacyLedger', () => {
  it('live RDP per step and accurate PRV on demand agree with the reference', () => {
    const e = refEpsilon('c2');
    const ledger = new PrivacyLedger(e.delta);
    let last = 0;
    for (let i = 0; i < e.steps; i++) {
      const r = ledger.step(e.q, e.sigma);
      expect(r.epsilon).toBeGreaterThanOrEqual(last);
      last = r.epsilon;
    }
    expect(Math.abs(last / e.rdp - 1)).toBeLessThan(1e-8);
    const acc = ledger.accurate();
    if (acc.accountant !== 'prv') throw new Error('PRV is the default accountant');
    expect(Math.abs(acc.upper - e.prv.upper)).toBeLessThan(0.01);
    expect(acc.epsilon).toBeLessThan(last);
  });

  it('reports the chosen accountant', () => {
    const e = refEpsilon('c5');
    const gdp = new PrivacyLedger(e.delta, 'gdp');
    gdp.step(e.q, e.sigma, e.steps);
    expect(Math.abs(gdp.accurate().epsilon / e.gdp - 1)).toBeLessThan(1e-6);
    expect(Math.abs(gdp.live().epsilon / e.rdp - 1)).toBeLessThan(1e-8);
    expect(PrivacyLedger.fromJSON(JSON.parse(JSON.stringify(gdp))).accountant).toBe('gdp');
  });

  it('round-trips through JSON and validates', () => {
    const ledger = new PrivacyLedger(1e-5);
    ledger.step(0.01, 1, 10);
    ledger.step(0.02, 1.2, 5);
    const back = PrivacyLedger.fromJSON(JSON.parse(JSON.stringify(ledger)));
    expect(back.history).toEqual(ledger.history);
    expect(back.live().epsilon).toBe(ledger.live().epsilon);
    expect(() => PrivacyLedger.fromJSON({ version: 1, delta: 2, history: [] })).toThrow(/delta/);
    expect(() => new PrivacyLedger(0)).toThrow(/delta/);
  });
});

describe("PRV's limits are errors a user cannot act on: the ledger", () => {
  it('accurate() reports the RDP fallback, equal to the live RDP ε, where PRV cannot answer', () => {
    const ledger = new PrivacyLedger(1e-5);
    ledger.step(0.01, 1, 10_000_000);
    const acc = ledger.accurate();
    expect(acc.fallback?.accountant).toBe('rdp');
    expect(acc.warnings[0]).toMatch(/RDP upper bound instead/);
    expect(acc.epsilon).toBeCloseTo(ledger.live().epsilon, 9);
  });
});
