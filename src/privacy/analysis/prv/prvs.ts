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
 * rounding), and the continuous mean of the truncated PRV uses adaptive Simpson quadrature split at
 * quantiles (Opacus: scipy quad split at fixed points).
 */
import { erfc, erfcx } from '../special';
import type { Domain } from './domain';
import { domainTMax, domainTMin } from './domain';
import { scratch } from './realFft';
import { PrvUnsupportedError } from './unsupported';

const TWO_SQRT2 = 2 * Math.SQRT2;

/** The PRV of one step of the Poisson-subsampled Gaussian mechanism. */
export class PoissonSubsampledGaussianPRV {
  readonly q: number;
  readonly sigma: number;
  private readonly logQ: number;
  /** Support starts at log(1 − q) (−∞ for q = 1). */
  readonly tLow: number;

  constructor(q: number, sigma: number) {
    if (!(q > 0 && q <= 1)) throw new RangeError(`PRV: sample rate must be in (0, 1], got ${q}`);
    if (!(sigma > 0 && sigma < Infinity)) throw new RangeError(`PRV: noise multiplier must be a finite number > 0, got ${sigma}`);
    // cdf and sf compute 2zσ² and divide by σ: both must stay finite.
    if (!(sigma * sigma < Infinity && sigma * sigma > 0))
      throw new PrvUnsupportedError(`PRV: sigma=${sigma} is outside the floating-point range of the PRV's formulas`);
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
    // z as in this.z, keeping x = e^t − 1 + q = q·e^z for the upper tail below.
    const x = this.q === 1 ? Math.exp(t) : Math.expm1(t) + this.q;
    if (!(x > 0)) return 1;
    const z = this.q === 1 ? t : Math.log(x) - this.logQ;
    const s = this.sigma;
    const u = 2 * z * s * s;
    const d = TWO_SQRT2 * s;
    const a = (u - 1) / d;
    const b = (u + 1) / d;
    if (a > 0.5 && a <= 8) {
      // The upper tail, where discretize spends almost all its evaluations (270,000 at 1e5 steps):
      // b² − a² = z, so erfc(b) = e^{−a²}·e^{−z}·erfcx(b) with e^{−z} = q/x, and one exp serves both
      // terms (20% less time; the same value to the ~4e-15 that rounding a² leaves in e^{−a²} anyway).
      return Math.exp(-a * a) * (0.5 * this.q * erfcx(a) + (0.5 * (1 - this.q) * this.q * erfcx(b)) / x);
    }
    return 0.5 * this.q * erfc(a) + 0.5 * (1 - this.q) * erfc(b);
  }

  /** The median, by bisection (used to switch from F to S). */
  median(): number {
    const F = (t: number) => finiteOrThrow(this.cdf(t), 'CDF', t);
    let lo = Number.isFinite(this.tLow) ? this.tLow : -1;
    let hi = 1;
    // Doubling reaches ±∞ (where F is 0 or 1) within ~1030 steps, so these loops end.
    for (let i = 0; F(lo) > 0.5; i++) lo = i < 1100 ? lo * 2 - 1 : -Infinity;
    for (let i = 0; F(hi) < 0.5; i++) hi = i < 1100 ? hi * 2 : Infinity;
    if (!Number.isFinite(lo) || !Number.isFinite(hi))
      throw new PrvUnsupportedError(`PRV: the median of the privacy loss is not finite (q=${this.q}, sigma=${this.sigma})`);
    for (let i = 0; i < 100 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); i++) {
      const m = 0.5 * (lo + hi);
      if (F(m) < 0.5) lo = m;
      else hi = m;
    }
    return 0.5 * (lo + hi);
  }
}

export interface DiscretePRV {
  /**
   * Probabilities of the grid points t_k = tMin + k·dt (after the domain's shift) for
   * k = offset … offset + pmf.length − 1; every other grid point has probability 0.
   */
  pmf: Float64Array;
  /** Grid index of pmf[0] (0 when pmf covers the whole grid). */
  offset: number;
  domain: Domain;
}

/** The probabilities of all `domain.size` grid points, zeros outside the window, into `out`. */
export function fullPmf(d: DiscretePRV, out: Float64Array): Float64Array {
  const n = d.domain.size;
  if (out.length !== n || d.offset < 0 || d.offset + d.pmf.length > n) throw new RangeError('fullPmf: window outside the grid');
  out.fill(0);
  out.set(d.pmf, d.offset);
  return out;
}

/** `v` if it is finite; otherwise the PRV's arithmetic has broken down at t and the caller must not go on. */
function finiteOrThrow(v: number, what: string, t: number): number {
  if (!Number.isFinite(v)) throw new PrvUnsupportedError(`PRV: the ${what} is ${v} at t=${t}, beyond floating-point precision`);
  return v;
}

/** Evaluations one quadrature may spend; well-behaved integrands here need a few thousand. */
export const MAX_QUADRATURE_EVALUATIONS = 1_000_000;

/**
 * Adaptive Simpson quadrature of f on [a, b] to an absolute tolerance (Lyness's error estimate with
 * Richardson correction). A non-finite value of f, or more than MAX_QUADRATURE_EVALUATIONS
 * evaluations, throws: a NaN never satisfies the error test, and the recursion would otherwise run
 * through all 2^48 subintervals.
 */
export function adaptiveSimpson(g: (t: number) => number, a: number, b: number, tol: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !(tol > 0))
    throw new RangeError(`adaptiveSimpson: need finite bounds and tol > 0, got [${a}, ${b}], tol=${tol}`);
  let evaluations = 0;
  const f = (t: number) => {
    if (++evaluations > MAX_QUADRATURE_EVALUATIONS) {
      throw new PrvUnsupportedError(
        `PRV: the quadrature of the mean did not converge within ${MAX_QUADRATURE_EVALUATIONS} evaluations on [${a}, ${b}]`,
      );
    }
    return finiteOrThrow(g(t), 'integrand', t);
  };
  const fa = f(a);
  const fb = f(b);
  const m = 0.5 * (a + b);
  const fm = f(m);
  const whole = ((b - a) / 6) * (fa + 4 * fm + fb);
  const rec = (a: number, b: number, fa: number, fm: number, fb: number, whole: number, tol: number, depth: number): number => {
    const m = 0.5 * (a + b);
    const lm = 0.5 * (a + m);
    const rm = 0.5 * (m + b);
    const flm = f(lm);
    const frm = f(rm);
    const left = ((m - a) / 6) * (fa + 4 * flm + fm);
    const right = ((b - m) / 6) * (fm + 4 * frm + fb);
    const diff = left + right - whole;
    if (depth <= 0 || Math.abs(diff) <= 15 * tol) return left + right + diff / 15;
    return rec(a, m, fa, flm, fm, left, tol / 2, depth - 1) + rec(m, b, fm, frm, fb, right, tol / 2, depth - 1);
  };
  return rec(a, b, fa, fm, fb, whole, tol, 48);
}

/** Mass of the PRV inside the truncation, 1 − F(tMin) − S(tMax); it divides every probability. */
function truncatedMass(prv: PoissonSubsampledGaussianPRV, fMin: number, sMax: number): number {
  const mass = 1 - fMin - sMax;
  if (!(mass > 0 && mass <= 1))
    throw new PrvUnsupportedError(`PRV: the domain holds mass ${mass} of the privacy loss (q=${prv.q}, sigma=${prv.sigma})`);
  return mass;
}

/** The t in [lo, hi] where the monotone g crosses `level` (g increasing if `increasing`), by bisection. */
function crossing(g: (t: number) => number, level: number, lo: number, hi: number, increasing: boolean): number {
  for (let i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo), Math.abs(hi)); i++) {
    const mid = 0.5 * (lo + hi);
    if (finiteOrThrow(g(mid), 'CDF', mid) < level === increasing) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/**
 * Mean of the PRV truncated to [tMin, tMax] (renormalised), by integration by parts around the
 * median m: mean = m − ∫_{tMin}^{m} F_tr + ∫_{m}^{tMax} S_tr, each integral by adaptive Simpson.
 * The integration intervals are split at quantiles (1e-12 … 1/4 of each tail) and at Opacus's
 * points ±1e-5 … ±1e-1, so the quadrature resolves the CDF even when the PRV is far narrower than
 * the grid mesh (small q, large σ) — a regime where a rule on the grid itself is off by ~dt.
 */
export function truncatedMean(prv: PoissonSubsampledGaussianPRV, tMin: number, tMax: number, median: number): number {
  const fMin = prv.cdf(tMin);
  const sMax = prv.sf(tMax);
  const mass = truncatedMass(prv, fMin, sMax);
  const m = Math.min(Math.max(median, tMin), tMax);
  const fTr = (t: number) => (prv.cdf(t) - fMin) / mass;
  const sTr = (t: number) => (prv.sf(t) - sMax) / mass;
  const lowStart = Math.max(tMin, Number.isFinite(prv.tLow) ? prv.tLow : tMin);
  const levels = [0.25, 1e-2, 1e-4, 1e-8, 1e-12];
  const cutsLeft = new Set<number>([lowStart, m]);
  const cutsRight = new Set<number>([m, tMax]);
  for (const p of levels) {
    if (fTr(m) > p && fTr(lowStart) < p) cutsLeft.add(crossing(fTr, p, lowStart, m, true));
    if (sTr(m) > p && sTr(tMax) < p) cutsRight.add(crossing(sTr, p, m, tMax, false));
  }
  for (let e = -5; e <= -1; e++) {
    for (const t of [-(10 ** e), 10 ** e]) {
      if (t > lowStart && t < m) cutsLeft.add(t);
      if (t > m && t < tMax) cutsRight.add(t);
    }
  }
  const integrate = (g: (t: number) => number, cuts: Set<number>) => {
    const pts = [...cuts].sort((a, b) => a - b);
    let sum = 0;
    for (let i = 0; i + 1 < pts.length; i++) if (pts[i + 1] > pts[i]) sum += adaptiveSimpson(g, pts[i], pts[i + 1], 1e-15);
    return sum;
  };
  return m - integrate(fTr, cutsLeft) + integrate(sTr, cutsRight);
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
  const mass = truncatedMass(prv, fMin, sMax);

  // Edge k is at tMin + (k − 1/2)·dt, clamped to [tMin, tMax] (the truncation), k = 0..n.
  // Below the median store the truncated CDF, from the median on the truncated survival function.
  let kS = Math.ceil((median - tMin) / dt + 0.5);
  kS = Math.min(Math.max(kS, 0), n + 1);
  // Edges at or below the support have F = 0 and edges at or beyond tMax have S_trunc = 0: only the
  // edges strictly inside need the CDF, and only the points between them carry probability. The
  // result keeps that window [lo, hi) alone, so nothing here costs in proportion to the grid.
  const kLow = Number.isFinite(prv.tLow) ? Math.min(kS, Math.max(0, Math.floor((prv.tLow - tMin) / dt + 0.5))) : 0;
  const kHigh = Math.max(kS, Math.min(n + 1, Math.ceil((tMax - tMin) / dt + 0.5)));
  const lo = Math.max(0, Math.min(kLow, kS) - 1);
  const hi = Math.min(n, Math.max(kHigh, kS));
  const v = scratch('discretize', hi - lo + 1); // v[k − lo] for edges k = lo..hi
  v.fill(0);
  for (let k = Math.max(kLow, lo); k < kS; k++) {
    const e = tMin + (k - 0.5) * dt;
    v[k - lo] = (prv.cdf(e < tMin ? tMin : e > tMax ? tMax : e) - fMin) / mass;
  }
  for (let k = kS; k < Math.min(kHigh, hi + 1); k++) {
    const e = tMin + (k - 0.5) * dt;
    v[k - lo] = (prv.sf(e < tMin ? tMin : e > tMax ? tMax : e) - sMax) / mass;
  }

  const pmf = new Float64Array(hi - lo);
  for (let k = lo; k < hi; k++) {
    const a = v[k - lo];
    const b = v[k + 1 - lo];
    if (k + 1 < kS) pmf[k - lo] = b - a;
    else if (k >= kS) pmf[k - lo] = a - b;
    else pmf[k - lo] = 1 - a - b; // F(e_k) below, S(e_{k+1}) above the median
  }

  const meanC = truncatedMean(prv, tMin, tMax, median);

  let meanD = 0;
  for (let k = lo; k < hi; k++) meanD += (tMin + k * dt) * pmf[k - lo];

  const shift = meanC - meanD;
  if (!(Math.abs(shift) < dt / 2)) {
    throw new PrvUnsupportedError(
      `PRV: discrete mean differs from the continuous mean by ${shift} (mesh ${dt}) for q=${prv.q}, sigma=${prv.sigma}`,
    );
  }
  return { pmf, offset: lo, domain: { ...domain, shift: domain.shift + shift } };
}
