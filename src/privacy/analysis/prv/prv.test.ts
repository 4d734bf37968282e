import { describe, expect, it } from 'vitest';
import { refEpsilon, reference } from '../../testing/reference';
import { composeHeterogeneous, composeSpectrum } from './compose';
import type { Domain } from './domain';
import { computeSafeDomainSize, createAlignedDomain, meshSize } from './domain';
import { computeEpsilonBounds, computeEpsilonBoundsFromSpectrum } from './epsilon';
import { computePrvEpsilon } from './index';
import { discretize, fullPmf, PoissonSubsampledGaussianPRV, truncatedMean } from './prvs';
import { computeRdp, DEFAULT_ORDERS, getPrivacySpent } from '../rdp';
import { goodFftSize, RealFFT } from './realFft';

describe('RealFFT (fft.js underneath) against a direct DFT', () => {
  it.each([8, 64, 12, 48, 96])('size %i: forward and inverse', (n) => {
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) + (i % 5) * 0.1);
    const f = new RealFFT(n);
    const X = new Float64Array(n + 2);
    f.forward(x, X);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0,
        im = 0;
      for (let j = 0; j < n; j++) {
        re += x[j] * Math.cos((2 * Math.PI * j * k) / n);
        im -= x[j] * Math.sin((2 * Math.PI * j * k) / n);
      }
      expect(X[2 * k]).toBeCloseTo(re, 11);
      expect(X[2 * k + 1]).toBeCloseTo(im, 11);
    }
    const y = new Float64Array(n);
    f.inverse(X, y);
    for (let j = 0; j < n; j++) expect(y[j]).toBeCloseTo(x[j], 13);
  });
  it('sizes: 2^k or 3·2^k only, and the smallest such size is chosen', () => {
    expect(() => new RealFFT(40)).toThrow(/2\^k or 3·2\^k/);
    expect(() => new RealFFT(6)).toThrow(/2\^k or 3·2\^k/);
    expect(goodFftSize(390_634)).toBe(393_216);
    expect(goodFftSize(400_000)).toBe(524_288);
    expect(goodFftSize(5)).toBe(8);
  });
});

describe('composeHeterogeneous against a direct convolution', () => {
  it('k-fold self-composition and a second segment land on the right grid points', () => {
    const n = 32;
    const domain: Domain = { size: n, dt: 0.1, c: n / 2 - 1, shift: 0 };
    const a = new Float64Array(n);
    a[15] = 0.5;
    a[16] = 0.3;
    a[18] = 0.2; // values −0.0, 0.1, 0.3
    const b = new Float64Array(n);
    b[14] = 0.6;
    b[17] = 0.4; // values −0.1, 0.2
    const out = composeHeterogeneous(
      [
        { pmf: a, offset: 0, domain },
        { pmf: b, offset: 0, domain },
      ],
      [3, 2],
    );
    // Direct: distribution of a1+a2+a3+b1+b2 on value indices (value/dt).
    const dist = new Map<number, number>();
    const av: [number, number][] = [
      [0, 0.5],
      [1, 0.3],
      [3, 0.2],
    ];
    const bv: [number, number][] = [
      [-1, 0.6],
      [2, 0.4],
    ];
    const parts = [av, av, av, bv, bv];
    const rec = (i: number, v: number, p: number) => {
      if (i === parts.length) return void dist.set(v, (dist.get(v) ?? 0) + p);
      for (const [x, px] of parts[i]) rec(i + 1, v + x, p * px);
    };
    rec(0, 0, 1);
    for (const [v, p] of dist) expect(out.pmf[v + domain.c]).toBeCloseTo(p, 12);
    let total = 0;
    for (const p of out.pmf) total += p;
    expect(total).toBeCloseTo(1, 12);
  });
});

describe('ε from the composed spectrum against ε from the PMF on the grid (inverse FFT and scan)', () => {
  // Independent routes to the same bounds: closed-form geometric sums over the spectrum's band and
  // bisection, versus the transformed-back PMF and a right-to-left scan of every grid point.
  it.each([
    ['1e4 steps, q = 256/60000, σ = 1.1', [{ q: 256 / 60000, sigma: 1.1, steps: 10_000 }], 1e-5],
    ['1000 steps, q = 0.01, σ = 1', [{ q: 0.01, sigma: 1, steps: 1000 }], 1e-5],
    ['100 steps, q = 0.1, σ = 0.8 (wide band)', [{ q: 0.1, sigma: 0.8, steps: 100 }], 1e-6],
    ['10 steps, q = 1, σ = 5 (every frequency survives)', [{ q: 1, sigma: 5, steps: 10 }], 1e-5],
    [
      'two segments',
      [
        { q: 0.02, sigma: 1.3, steps: 300 },
        { q: 0.01, sigma: 0.9, steps: 700 },
      ],
      1e-5,
    ],
  ])('%s', (_name, segments, delta) => {
    const deltaError = delta / 1000;
    const total = segments.reduce((s, g) => s + g.steps, 0);
    const domain = createAlignedDomain(computeSafeDomainSize(segments, 0.01, deltaError), meshSize(total, 0.01, deltaError), 2 ** 23);
    const dprvs = segments.map((s) => discretize(new PoissonSubsampledGaussianPRV(s.q, s.sigma), domain, (1e-6 * deltaError) / total));
    const counts = segments.map((s) => s.steps);
    const fromGrid = computeEpsilonBounds(composeHeterogeneous(dprvs, counts), delta, deltaError, 0.01);
    const fromSpectrum = computeEpsilonBoundsFromSpectrum(composeSpectrum(dprvs, counts), delta, deltaError, 0.01);
    expect(Math.abs(fromSpectrum.lower - fromGrid.lower)).toBeLessThan(1e-9);
    expect(Math.abs(fromSpectrum.estimate - fromGrid.estimate)).toBeLessThan(1e-9);
    expect(Math.abs(fromSpectrum.upper - fromGrid.upper)).toBeLessThan(1e-9);
  });

  it('the band ends where every higher power of the spectrum is zero', () => {
    const domain = createAlignedDomain(12, 1e-4, 2 ** 20);
    const d = discretize(new PoissonSubsampledGaussianPRV(256 / 60000, 1.1), domain, 1e-20);
    const { spectrum, band } = composeSpectrum([d], [10_000]);
    expect(band).toBeGreaterThan(1);
    expect(band).toBeLessThan(domain.size / 64);
    expect(Math.hypot(spectrum[2 * band - 2], spectrum[2 * band - 1])).toBeGreaterThan(0);
    let nonZeroAbove = 0;
    for (let f = band; f <= domain.size / 2; f++) if (spectrum[2 * f] !== 0 || spectrum[2 * f + 1] !== 0) nonZeroAbove++;
    expect(nonZeroAbove).toBe(0);
  });
});

describe('discretize', () => {
  it('conserves mass and matches the continuous mean after the shift', () => {
    const prv = new PoissonSubsampledGaussianPRV(0.01, 1.0);
    const domain = createAlignedDomain(6, 1e-3, 2 ** 20);
    const d = discretize(prv, domain);
    let mass = 0;
    for (const p of d.pmf) mass += p;
    expect(mass).toBeCloseTo(1, 12);
    expect(Math.abs(d.domain.shift)).toBeLessThan(domain.dt / 2);
  });
  // E[Y] for Y = log(1 − q + q·e^{(2X−1)/(2σ²)}), X ~ (1−q)·N(0,σ²) + q·N(1,σ²), by scipy.integrate.quad
  // over X (independent of the CDF route used here); q = 1 is exactly 1/(2σ²).
  it.each([
    [0.004, 1.1, 1.0208073608583726e-5, 1e-15],
    [0.5, 0.3, 2.2066263414036236, 1e-12],
    [0.01, 0.8, 1.766525368156449e-4, 1e-15],
    [1, 2, 0.125, 1e-14],
    [4e-6, 57, 2.462675058407489e-15, 1e-15],
  ])('continuous mean (q=%f, σ=%f) matches quadrature over X', (q, sigma, want, tol) => {
    const prv = new PoissonSubsampledGaussianPRV(q, sigma);
    expect(Math.abs(truncatedMean(prv, -80, 80, prv.median()) - want)).toBeLessThan(tol);
  });

  it('keeps only the window of grid points that carry probability, and the grid outside it is empty', () => {
    const prv = new PoissonSubsampledGaussianPRV(0.01, 1.0);
    const domain = createAlignedDomain(6, 1e-3, 2 ** 20);
    const d = discretize(prv, domain, 1e-20);
    expect(d.offset).toBeGreaterThan(0);
    expect(d.offset + d.pmf.length).toBeLessThan(domain.size);
    const full = fullPmf(d, new Float64Array(domain.size));
    // The window's first point is the support's lower edge, log(1 − q), and the next point down has nothing.
    const tMin = -domain.c * domain.dt + d.domain.shift;
    expect(tMin + (d.offset + 1) * domain.dt).toBeGreaterThan(Math.log1p(-0.01));
    expect(full[d.offset - 1]).toBe(0);
    expect(full.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('the PRV CDF and survival function add to one', () => {
    const prv = new PoissonSubsampledGaussianPRV(0.05, 0.9);
    for (const t of [-0.04, 0, 0.01, 0.3, 2]) expect(prv.cdf(t) + prv.sf(t)).toBeCloseTo(1, 14);
    expect(prv.cdf(Math.log1p(-0.05) - 1e-9)).toBe(0);
  });
});

describe('computePrvEpsilon against the reference (Opacus PRV, eps_error 0.01, delta_error δ/1000)', () => {
  it.each(reference.epsilon.map((e) => [e.id, e] as const))('%s', (_id, e) => {
    const r = computePrvEpsilon([{ q: e.q, sigma: e.sigma, steps: e.steps }], e.delta);
    expect(Math.abs(r.upper - e.prv.upper)).toBeLessThan(0.01);
    expect(r.upper).toBeGreaterThan(e.pld - 0.01);
    expect(Math.abs(r.estimate - e.prv.estimate)).toBeLessThan(1e-3);
    expect(r.lower).toBeLessThanOrEqual(r.estimate);
    expect(r.estimate).toBeLessThanOrEqual(r.upper);
  });

  // 1e5 steps take the low-frequency route (./lowFrequencies); same tolerances as the cases above.
  it.each(reference.prv_long_runs.map((e) => [e.id, e] as const))('%s (1e5 steps, Opacus PRV)', (_id, e) => {
    const r = computePrvEpsilon([{ q: e.q, sigma: e.sigma, steps: e.steps }], e.delta);
    expect(Math.abs(r.upper - e.prv.upper)).toBeLessThan(0.01);
    expect(Math.abs(r.estimate - e.prv.estimate)).toBeLessThan(1e-3);
    expect(Math.abs(r.lower - e.prv.lower)).toBeLessThan(0.01);
    expect(r.lower).toBeLessThanOrEqual(r.estimate);
    expect(r.estimate).toBeLessThanOrEqual(r.upper);
  });

  it('q = 1: brackets the exact Gaussian value', () => {
    const e = refEpsilon('full-batch');
    const r = computePrvEpsilon([{ q: 1, sigma: e.sigma, steps: e.steps }], e.delta);
    expect(r.lower).toBeLessThanOrEqual(e.exact!);
    expect(r.upper).toBeGreaterThanOrEqual(e.exact!);
    expect(Math.abs(r.estimate - e.exact!)).toBeLessThan(1e-3);
  });

  it('heterogeneous segments: 64 steps at σ=2 plus 9 at σ=1 (q=1) is one Gaussian with μ=5', () => {
    const e = refEpsilon('full-batch'); // exact value for μ = 5
    const r = computePrvEpsilon(
      [
        { q: 1, sigma: 2, steps: 64 },
        { q: 1, sigma: 1, steps: 9 },
      ],
      e.delta,
    );
    expect(r.lower).toBeLessThanOrEqual(e.exact!);
    expect(r.upper).toBeGreaterThanOrEqual(e.exact!);
    expect(Math.abs(r.estimate - e.exact!)).toBeLessThan(2e-3);
  });

  it('heterogeneous path reproduces a homogeneous reference when split into distinct segments', () => {
    const e = refEpsilon('opacus-test');
    const r = computePrvEpsilon(
      [
        { q: e.q, sigma: e.sigma, steps: 1000 },
        { q: e.q * (1 + 1e-12), sigma: e.sigma, steps: e.steps - 1000 },
      ],
      e.delta,
    );
    expect(Math.abs(r.upper - e.prv.upper)).toBeLessThan(0.01);
    expect(Math.abs(r.estimate - e.prv.estimate)).toBeLessThan(1e-3);
  });

  it('a PRV far narrower than the mesh (tiny q, large σ) keeps its bounds consistent with RDP', () => {
    const q = 4.194e-6,
      sigma = 57.4,
      steps = 6379,
      delta = 5.2e-3;
    const r = computePrvEpsilon([{ q, sigma, steps }], delta);
    const rdp = getPrivacySpent(DEFAULT_ORDERS, computeRdp(q, sigma, steps), delta).epsilon;
    expect(r.lower).toBeLessThanOrEqual(rdp); // the true ε is ≤ the RDP bound, so lower must be too
    expect(r.upper).toBeGreaterThanOrEqual(0);
    expect(r.upper - r.lower).toBeGreaterThanOrEqual(0.02);
    expect(r.upper - r.lower).toBeLessThan(0.03);
  });

  it('refuses a grid beyond the size limit with a clear error', () => {
    expect(() => computePrvEpsilon([{ q: 0.01, sigma: 1, steps: 10_000 }], 1e-5, { maxDomainSize: 2 ** 12 })).toThrow(/grid points/);
  });
});
