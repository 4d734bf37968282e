import { describe, expect, it } from 'vitest';
import { composeSpectrum } from './compose';
import type { Domain, Segment } from './domain';
import { computeSafeDomainSize, createAlignedDomain, meshSize } from './domain';
import { computeEpsilonBoundsFromSpectrum } from './epsilon';
import { lowFrequencySpectrum, negligibleMagnitudeSquared, spectrumCutoff } from './lowFrequencies';
import type { DiscretePRV } from './prvs';
import { discretize, fullPmf, PoissonSubsampledGaussianPRV } from './prvs';
import { RealFFT } from './realFft';

/** The discretised PRVs computePrvEpsilon builds for these segments (same domain, same tail cut). */
function discretised(segments: Segment[], delta: number): DiscretePRV[] {
  const deltaError = delta / 1000;
  const total = segments.reduce((s, g) => s + g.steps, 0);
  const domain = createAlignedDomain(computeSafeDomainSize(segments, 0.01, deltaError), meshSize(total, 0.01, deltaError), 2 ** 23);
  return segments.map((s) => discretize(new PoissonSubsampledGaussianPRV(s.q, s.sigma), domain, (1e-6 * deltaError) / total));
}

/** The whole spectrum of a window by the FFT of the grid. */
function fullSpectrum(d: DiscretePRV): Float64Array {
  const n = d.domain.size;
  const out = new Float64Array(n + 2);
  new RealFFT(n).forward(fullPmf(d, new Float64Array(n)), out);
  return out;
}

describe('spectrumCutoff: a proven frequency above which |X_f|^k underflows', () => {
  // Checked against every frequency of the full FFT: the bound must never cut a frequency that survives.
  it.each([
    ['2250 steps, q = 0.04, σ = 1.5 (the opacus-test reference)', { q: 0.04, sigma: 1.5, steps: 2250 }, 1e-5],
    ['1e4 steps, q = 256/60000, σ = 1.1', { q: 256 / 60000, sigma: 1.1, steps: 10_000 }, 1e-5],
    ['1000 steps, q = 0.01, σ = 0.8', { q: 0.01, sigma: 0.8, steps: 1000 }, 1e-5],
    ['100 steps, q = 1, σ = 2 (a Gaussian)', { q: 1, sigma: 2, steps: 100 }, 1e-5],
    ['100 steps, q = 0.1, σ = 0.8 (wide band)', { q: 0.1, sigma: 0.8, steps: 100 }, 1e-6],
  ])('%s', (_name, segment, delta) => {
    const [d] = discretised([segment], delta);
    const n = d.domain.size;
    const cutoff = spectrumCutoff(d, segment.steps);
    const X = fullSpectrum(d);
    const level = negligibleMagnitudeSquared(segment.steps);
    let survivors = 0;
    let lastSurvivor = -1;
    for (let f = 0; f <= n / 2; f++) {
      if (X[2 * f] ** 2 + X[2 * f + 1] ** 2 >= level) {
        lastSurvivor = f;
        if (f >= cutoff) survivors++;
      }
    }
    expect(survivors).toBe(0);
    expect(cutoff).toBeGreaterThan(lastSurvivor);
  });

  it('is close enough to the true band to pay for long runs (2250 steps: within 2× of the last surviving frequency)', () => {
    const [d] = discretised([{ q: 0.04, sigma: 1.5, steps: 2250 }], 1e-5);
    const X = fullSpectrum(d);
    const level = negligibleMagnitudeSquared(2250);
    let last = 0;
    for (let f = 0; f <= d.domain.size / 2; f++) if (X[2 * f] ** 2 + X[2 * f + 1] ** 2 >= level) last = f;
    expect(spectrumCutoff(d, 2250)).toBeLessThan(2 * last);
  });

  it('claims nothing for a PMF on every fourth grid point, whose spectrum returns to modulus 1 at n/4', () => {
    const n = 4096;
    const domain: Domain = { size: n, dt: 1e-3, c: n / 2 - 1, shift: 0 };
    const pmf = new Float64Array(2000);
    let mass = 0;
    for (let j = 0; j < pmf.length; j += 4) mass += pmf[j] = Math.exp(-(((j - 1000) / 300) ** 2));
    for (let j = 0; j < pmf.length; j++) pmf[j] /= mass;
    const d: DiscretePRV = { pmf, offset: 1000, domain };
    const X = fullSpectrum(d);
    expect(Math.hypot(X[2 * (n / 4)], X[2 * (n / 4) + 1])).toBeCloseTo(1, 12);
    expect(spectrumCutoff(d, 1000)).toBeGreaterThan(n / 4);
  });
});

describe('lowFrequencySpectrum against the FFT of the whole grid', () => {
  it.each([
    ['2250 steps, q = 0.04, σ = 1.5', { q: 0.04, sigma: 1.5, steps: 2250 }, 1e-5],
    ['1e4 steps, q = 256/60000, σ = 1.1', { q: 256 / 60000, sigma: 1.1, steps: 10_000 }, 1e-5],
    ['100 steps, q = 1, σ = 2', { q: 1, sigma: 2, steps: 100 }, 1e-5],
  ])('%s: every frequency below the cutoff, to a few ulps of |X_f| ≤ 1', (_name, segment, delta) => {
    const [d] = discretised([segment], delta);
    const band = Math.min(spectrumCutoff(d, segment.steps), 2000);
    const low = new Float64Array(2 * band);
    lowFrequencySpectrum(d, band, low);
    const X = fullSpectrum(d);
    let worst = 0;
    for (let i = 0; i < 2 * band; i++) worst = Math.max(worst, Math.abs(low[i] - X[i]));
    expect(worst).toBeLessThan(4e-15); // a few ulps of 1 on either route
  });

  it('a random window on a small grid, against a direct DFT', () => {
    const n = 1024;
    const domain: Domain = { size: n, dt: 1e-2, c: n / 2 - 1, shift: 0 };
    let seed = 12345;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const pmf = Float64Array.from({ length: 700 }, () => rand());
    const d: DiscretePRV = { pmf, offset: 211, domain };
    for (const band of [1, 7, 64, 513]) {
      const low = new Float64Array(2 * band);
      lowFrequencySpectrum(d, band, low);
      for (let f = 0; f < band; f++) {
        let re = 0,
          im = 0;
        for (let j = 0; j < pmf.length; j++) {
          const phase = (-2 * Math.PI * ((f * (j + 211)) % n)) / n;
          re += pmf[j] * Math.cos(phase);
          im += pmf[j] * Math.sin(phase);
        }
        expect(Math.abs(low[2 * f] - re)).toBeLessThan(1e-11);
        expect(Math.abs(low[2 * f + 1] - im)).toBeLessThan(1e-11);
      }
    }
  });
});

describe('composeSpectrum: the low-frequency route gives the ε of the full FFT', () => {
  it.each([
    // X_f^k carries k times the 1-ulp rounding of X_f on either route, so ε agrees to about k·1e-11.
    ['2250 steps, q = 0.04, σ = 1.5', [{ q: 0.04, sigma: 1.5, steps: 2250 }], 1e-5, 1e-7],
    [
      'two segments, 3000 + 2000 steps',
      [
        { q: 0.04, sigma: 1.5, steps: 3000 },
        { q: 0.02, sigma: 1.2, steps: 2000 },
      ],
      1e-5,
      1e-7,
    ],
    ['1e5 steps, q = 0.001, σ = 1', [{ q: 0.001, sigma: 1, steps: 100_000 }], 1e-5, 2e-6],
  ])('%s', (_name, segments, delta, tolerance) => {
    const dprvs = discretised(segments, delta);
    const counts = segments.map((s) => s.steps);
    const low = composeSpectrum(dprvs, counts);
    expect(low.spectrum.length).toBeLessThan(dprvs[0].domain.size / 64); // the low-frequency route was taken
    const lowBounds = computeEpsilonBoundsFromSpectrum(low, delta, delta / 1000, 0.01);
    const full = composeSpectrum(dprvs, counts, 'fft');
    expect(low.band).toBe(full.band);
    const fullBounds = computeEpsilonBoundsFromSpectrum(full, delta, delta / 1000, 0.01);
    expect(Math.abs(lowBounds.upper - fullBounds.upper)).toBeLessThan(tolerance);
    expect(Math.abs(lowBounds.estimate - fullBounds.estimate)).toBeLessThan(tolerance);
    expect(Math.abs(lowBounds.lower - fullBounds.lower)).toBeLessThan(tolerance);
  });
});
