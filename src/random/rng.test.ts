import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRng, cryptoUniform, permutation, resumeRng } from './rng';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('cryptoUniform (secure randomness for batches)', () => {
  it('int(n) is uniform: chi-square over 7 values, 70,000 draws', () => {
    const rng = cryptoUniform();
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    // χ² with 6 degrees of freedom exceeds 40 with probability below 3e-7.
    expect(chi2).toBeLessThan(40);
  });

  it('next() lies in [0, 1) with mean ½ and variance 1/12', () => {
    const rng = cryptoUniform();
    const T = 100_000;
    let sum = 0;
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < T; i++) {
      const u = rng.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / T;
    // sd of the mean: √(1/12/T) ≈ 0.00091; 6 sd.
    expect(Math.abs(mean - 0.5)).toBeLessThan(6 * 0.00091);
    expect(Math.abs(sq / T - mean * mean - 1 / 12)).toBeLessThan(0.003);
  });

  it('two sources draw independently (no shared seed)', () => {
    const [a, b] = [cryptoUniform(), cryptoUniform()];
    expect(Array.from({ length: 8 }, () => a.int(2 ** 32))).not.toEqual(Array.from({ length: 8 }, () => b.int(2 ** 32)));
  });

  it('refuses a bad range, naming it', () => {
    expect(() => cryptoUniform().int(0)).toThrow(/n must be an integer/);
    expect(() => cryptoUniform().int(1.5)).toThrow(/n must be an integer/);
  });

  it('fails closed where the platform has no CSPRNG', () => {
    vi.stubGlobal('crypto', undefined);
    expect(() => cryptoUniform()).toThrow(/crypto.getRandomValues is not available/);
  });

  it('permutation() works with either source', () => {
    for (const rng of [createRng(3), cryptoUniform()]) {
      expect(Array.from(permutation(50, rng)).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
  });
});

describe('rng state', () => {
  it('resumeRng(state()) continues the stream exactly', () => {
    const a = createRng(12345);
    for (let i = 0; i < 17; i++) a.next();
    const b = resumeRng(a.state());
    for (let i = 0; i < 50; i++) expect(b.next()).toBe(a.next());
    expect(() => resumeRng(-1)).toThrow(/32-bit/);
  });
});
