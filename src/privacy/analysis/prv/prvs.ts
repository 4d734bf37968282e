/**
 * The privacy loss random variable (PRV) of the Poisson-subsampled Gaussian mechanism, and its
 * discretisation on a grid.
 *
 * Gopi, Lee, Wutschitz, "Numerical Composition of Differential Privacy", NeurIPS 2021
 * (arXiv 2106.02848), Propositions B1 (pdf) and B4 (cdf). With z(t) = log((e^t + q − 1)/q), defined
 * for t > log(1 − q):
 *   F(t) = q/2·erfc(−a) + (1 − q)/2·erfc(−b),   S(t) = 1 − F(t) = q/2·erfc(a) + (1 − q)/2·erfc(b),
 *   a = (2zσ² − 1)/(2√2σ), b = (2zσ² + 1)/(2√2σ).
 * Port of Opacus `opacus/accountants/analysis/prv/prvs.py` (PoissonSubsampledGaussianPRV,
 * TruncatedPrivacyRandomVariable, discretize). Differences, both for accuracy: probabilities in the
 * upper tail are differences of the survival function S (not of F ≈ 1, which loses them to
 * rounding), and the continuous mean of the truncated PRV is integrated with composite Simpson's
 * rule on the bin edges (error O(dt⁴)) instead of adaptive quadrature.
 */
import { erfc } from '../special';
import type { Domain } from './domain';
import { domainTMax, domainTMin } from './domain';
import { scratch } from './realFft';

const TWO_SQRT2 = 2 * Math.SQRT2;

/** The PRV of one step of the Poisson-subsampled Gaussian mechanism. */
export class PoissonSubsampledGaussianPRV {
  readonly q: number;
  readonly sigma: number;
  private readonly logQ: number;
  /** Support starts at log(1 − q) (−∞ for q = 1). */
  readonly tLow: number;

  constructor(q: number, sigma: number) {
    this.q = q;
    this.sigma = sigma;
    this.logQ = Math.log(q);
    this.tLow = q === 1 ? -Infinity : Math.log1p(-q);
  }

  /** z(t) = log((e^t + q − 1)/q); −∞ at or below the support. */
  private z(t: number): number {
    if (this.q === 1) return t;
    const x = Math.expm1(t) + this.q;
    return x > 0 ? Math.log(x) - this.logQ : -Infinity;
  }

  /** F(t) = P(Y ≤ t). */
  cdf(t: number): number {
    const z = this.z(t);
    if (z === -Infinity) return 0;
    const s = this.sigma;
    const u = 2 * z * s * s;
    const d = TWO_SQRT2 * s;
    return 0.5 * this.q * erfc(-(u - 1) / d) + 0.5 * (1 - this.q) * erfc(-(u + 1) / d);
  }

  /** S(t) = P(Y > t), accurate where F(t) rounds to 1. */
  sf(t: number): number {
    const z = this.z(t);
    if (z === -Infinity) return 1;
    const s = this.sigma;
    const u = 2 * z * s * s;
    const d = TWO_SQRT2 * s;
    return 0.5 * this.q * erfc((u - 1) / d) + 0.5 * (1 - this.q) * erfc((u + 1) / d);
  }

  /** The median, by bisection (used to switch from F to S). */
  median(): number {
    let lo = Number.isFinite(this.tLow) ? this.tLow : -1;
    let hi = 1;
    while (this.cdf(lo) > 0.5) lo = lo * 2 - 1;
    while (this.cdf(hi) < 0.5) hi *= 2;
    for (let i = 0; i < 100 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
      const m = 0.5 * (lo + hi);
      if (this.cdf(m) < 0.5) lo = m;
      else hi = m;
    }
    return 0.5 * (lo + hi);
  }
}

export interface DiscretePRV {
  /** Probability of each grid point t_k = tMin + k·dt (after the domain's shift). */
  pmf: Float64Array;
  domain: Domain;
}

/**
 * Discretise the PRV truncated to [tMin, tMax] of `domain` (renormalised to mass 1): the mass of
 * the bin [t_k − dt/2, t_k + dt/2] goes to t_k, then the grid is shifted right so that the discrete
 * mean equals the continuous mean of the truncated PRV (Gopi et al. 2021, Section 5).
 *
 * `tailMass` > 0 truncates the upper tail further, at the point where S(t) falls to `tailMass`
 * (never beyond tMax). The error analysis only needs each truncated tail to be small against
 * δ_err/(8k) — that is what Opacus's domain size L guarantees through an RDP tail bound — so a
 * `tailMass` far below that (computePrvEpsilon uses 1e-6·δ_err/k) changes δ by less than 1e-6·δ_err
 * and skips evaluating the CDF where the PMF is negligible.
 */
export function discretize(prv: PoissonSubsampledGaussianPRV, domain: Domain, tailMass = 0): DiscretePRV {
  const n = domain.size;
  const dt = domain.dt;
  const tMin = domainTMin(domain);
  const median = prv.median();
  let tMax = domainTMax(domain);
  if (tailMass > 0 && prv.sf(tMax) < tailMass && median < tMax) {
    let lo = median;
    let hi = tMax;
    for (let i = 0; i < 60 && hi - lo > dt; i++) {
      const mid = 0.5 * (lo + hi);
      if (prv.sf(mid) > tailMass) lo = mid;
      else hi = mid;
    }
    tMax = hi;
  }
  const fMin = prv.cdf(tMin);
  const sMax = prv.sf(tMax);
  const mass = 1 - fMin - sMax;

  // Edge k is at tMin + (k − 1/2)·dt, clamped to [tMin, tMax] (the truncation), k = 0..n.
  // Below the median store the truncated CDF, from the median on the truncated survival function.
  let kS = Math.ceil((median - tMin) / dt + 0.5);
  kS = Math.min(Math.max(kS, 0), n + 1);
  const v = scratch('discretize', n + 1);
  // Edges at or below the support have F = 0 and edges at or beyond tMax have S_trunc = 0: only the
  // edges strictly inside need the CDF.
  const kLow = Number.isFinite(prv.tLow) ? Math.min(kS, Math.max(0, Math.floor((prv.tLow - tMin) / dt + 0.5))) : 0;
  const kHigh = Math.max(kS, Math.min(n + 1, Math.ceil((tMax - tMin) / dt + 0.5)));
  v.fill(0, 0, kLow);
  v.fill(0, kHigh);
  for (let k = kLow; k < kS; k++) {
    const e = tMin + (k - 0.5) * dt;
    v[k] = (prv.cdf(e < tMin ? tMin : e > tMax ? tMax : e) - fMin) / mass;
  }
  for (let k = kS; k < kHigh; k++) {
    const e = tMin + (k - 0.5) * dt;
    v[k] = (prv.sf(e < tMin ? tMin : e > tMax ? tMax : e) - sMax) / mass;
  }

  const pmf = new Float64Array(n);
  const lowerF = (k: number) => (k < kS ? v[k] : 1 - v[k]);
  const upperS = (k: number) => (k >= kS ? v[k] : 1 - v[k]);
  for (let k = 0; k < n; k++) {
    if (k + 1 < kS) pmf[k] = v[k + 1] - v[k];
    else if (k >= kS) pmf[k] = v[k] - v[k + 1];
    else pmf[k] = 1 - v[k] - v[k + 1]; // F(e_k) below, S(e_{k+1}) above the median
  }

  // Continuous mean of the truncated PRV: mean = m − ∫_{e_0}^{m} F + ∫_{m}^{e_n} S (integration by
  // parts, F(e_0) = 0 and S(e_n) = 0), with m an even-indexed edge so Simpson panels line up.
  const mIdx = Math.min(n, Math.max(0, kS - (kS % 2)));
  const e0 = tMin - 0.5 * dt;
  let intF = 0;
  for (let k = 0; k < mIdx; k += 2) intF += lowerF(k) + 4 * lowerF(k + 1) + lowerF(k + 2);
  let intS = 0;
  const kEnd = Math.min(n, kHigh + (kHigh % 2)); // beyond kHigh the survival function is 0
  for (let k = mIdx; k < kEnd; k += 2) intS += upperS(k) + 4 * upperS(k + 1) + upperS(k + 2);
  const meanC = e0 + mIdx * dt + (dt / 3) * (intS - intF);

  let meanD = 0;
  for (let k = 0; k < n; k++) if (pmf[k] !== 0) meanD += (tMin + k * dt) * pmf[k];

  const shift = meanC - meanD;
  if (!(Math.abs(shift) < dt / 2)) {
    throw new RangeError(`PRV: discrete mean differs from the continuous mean by ${shift} (mesh ${dt}) for q=${prv.q}, sigma=${prv.sigma}`);
  }
  return { pmf, domain: { ...domain, shift: domain.shift + shift } };
}
