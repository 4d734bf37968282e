/**
 * Gaussian differential privacy (GDP) via the central limit theorem.
 *
 * Bu, Dong, Long, Su, "Deep Learning with Gaussian Differential Privacy", Harvard Data Science
 * Review 2020 (arXiv 1911.11607): T steps of the Poisson-subsampled Gaussian mechanism are
 * asymptotically μ-GDP with μ = q·sqrt(T·(e^{1/σ²} − 1)) (Section 3.2, Poisson version); μ-GDP
 * composes as μ² additively (Dong, Roth, Su 2019, Corollary 2), which gives heterogeneous segments.
 * The (ε, δ) dual is Dong, Roth, Su 2019, Corollary 1:
 *   δ(ε) = Φ(−ε/μ + μ/2) − e^ε Φ(−ε/μ − μ/2).
 * The CLT is an approximation, NOT an upper bound: it can underestimate ε (by about half on some
 * configurations). Port of Opacus `opacus/accountants/analysis/gdp.py`.
 */
import { logNdtr, normCdf } from './special';

export const GDP_MAX_EPSILON = 1e12;

/** μ of `steps` Poisson-subsampled Gaussian steps by the CLT. */
export function computeMuPoisson(steps: number, sigma: number, q: number): number {
  if (!(steps >= 0 && steps < Infinity) || !(sigma > 0) || !(q >= 0 && q <= 1)) {
    throw new RangeError(`GDP: need finite steps ≥ 0, sigma > 0 and q in [0, 1], got steps=${steps}, sigma=${sigma}, q=${q}`);
  }
  if (steps === 0 || q === 0) return 0;
  return Math.sqrt(Math.expm1(1 / (sigma * sigma))) * Math.sqrt(steps) * q;
}

/** μ of a composition of segments: sqrt(Σ μ_i²). */
export function composeMu(mus: readonly number[]): number {
  let s = 0;
  for (const m of mus) s += m * m;
  return Math.sqrt(s);
}

/** δ(ε) of a μ-GDP mechanism (Dong, Roth, Su 2019, Corollary 1). */
export function deltaEpsMu(eps: number, mu: number): number {
  return normCdf(-eps / mu + mu / 2) - Math.exp(eps + logNdtr(-eps / mu - mu / 2));
}

/**
 * ε of a μ-GDP mechanism at δ: the root of δ(ε) = δ (δ(ε) is decreasing), found by bisection to
 * within 1e-14·max(1, ε). The bracket starts at [0, 500] as in Opacus and is widened for very large
 * μ (where Opacus's brentq fails). Returns 0 when δ(0) ≤ δ already and +∞ when ε would exceed
 * GDP_MAX_EPSILON (1e12: no privacy to speak of, and beyond the precision of the dual).
 */
export function epsFromMu(mu: number, delta: number): number {
  if (!(mu >= 0)) throw new RangeError(`GDP: mu must be ≥ 0, got ${mu}`);
  if (!(delta > 0 && delta < 1)) throw new RangeError(`GDP: delta must be in (0, 1), got ${delta}`);
  if (mu === 0) return 0;
  if (mu === Infinity) return Infinity; // e^{1/σ²} overflowed: no privacy
  const f = (x: number) => {
    const v = deltaEpsMu(x, mu) - delta;
    if (Number.isNaN(v)) throw new RangeError(`GDP: delta(epsilon) is NaN at epsilon=${x}, mu=${mu}`);
    return v;
  };
  let lo = 0;
  let hi = 500;
  if (f(lo) <= 0) return 0;
  while (f(hi) > 0) {
    lo = hi;
    hi *= 2;
    if (hi > GDP_MAX_EPSILON) return Infinity;
  }
  for (let it = 0; it < 200 && hi - lo > 1e-14 * Math.max(1, lo); it++) {
    const mid = 0.5 * (lo + hi);
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** ε of `steps` Poisson-subsampled Gaussian steps at δ by the CLT (may underestimate). */
export function computeEpsPoisson(steps: number, sigma: number, q: number, delta: number): number {
  return epsFromMu(computeMuPoisson(steps, sigma, q), delta);
}
