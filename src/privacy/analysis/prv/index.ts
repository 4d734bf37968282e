/**
 * PRV accountant math (Gopi, Lee, Wutschitz, "Numerical Composition of Differential Privacy",
 * NeurIPS 2021, arXiv 2106.02848), following Opacus's PRVAccountant:
 * safe domain (Remark 5.6) → mesh ε_err/sqrt(k·log(12/δ_err)/2) → truncate and discretise each
 * segment's PRV with a mean correction → compose by FFT → ε with lower/estimate/upper bounds.
 */
import { composeSpectrum, pmfOfSpectrum } from './compose';
import type { Domain, Segment } from './domain';
import { computeSafeDomainSize, createAlignedDomain, meshSize } from './domain';
import type { PrvEpsilonBounds } from './epsilon';
import { assertRoundingBelowDelta, computeEpsilonBounds, computeEpsilonBoundsFromSpectrum } from './epsilon';
import type { DiscretePRV } from './prvs';
import { discretize, PoissonSubsampledGaussianPRV } from './prvs';
import { PrvUnsupportedError } from './unsupported';

export type { Segment, Domain } from './domain';
export type { PrvEpsilonBounds } from './epsilon';
export type { DiscretePRV } from './prvs';
export { PoissonSubsampledGaussianPRV, discretize } from './prvs';
export { composeHeterogeneous, composeSpectrum } from './compose';
export type { ComposedSpectrum } from './compose';
export { computeEpsilonBounds, computeEpsilonBoundsFromSpectrum } from './epsilon';
export { computeSafeDomainSize, createAlignedDomain, meshSize, PRV_MAX_HALF_WIDTH } from './domain';
export { PrvUnsupportedError } from './unsupported';

export interface PrvOptions {
  /** Allowed error in ε (Opacus default 0.01). */
  epsError?: number;
  /** Allowed error in δ (Opacus default δ/1000). */
  deltaError?: number;
  /** Largest grid (points) to allocate; beyond it a PrvUnsupportedError is thrown. Default 2^23. */
  maxDomainSize?: number;
}

export const PRV_DEFAULT_EPS_ERROR = 0.01;
export const PRV_DEFAULT_MAX_DOMAIN_SIZE = 2 ** 23;

export interface PrvEpsilonResult extends PrvEpsilonBounds {
  /** Grid size used by the FFT. */
  domainSize: number;
  /** Mesh of the grid. */
  dt: number;
  /** Half-width L of the safe domain. */
  domainHalfWidth: number;
}

interface PrvPlan {
  active: Segment[];
  total: number;
  epsError: number;
  deltaError: number;
  L: number;
  dt: number;
  domain: Domain;
}

/**
 * The grid computePrvEpsilon would use, from the RDP tail bound alone (milliseconds): throws
 * PrvUnsupportedError where the grid is out of reach (size limit, privacy loss beyond its range,
 * rounding over the grid above δ). Null for an empty history.
 */
function planPrv(segments: readonly Segment[], delta: number, options: PrvOptions): PrvPlan | null {
  const epsError = options.epsError ?? PRV_DEFAULT_EPS_ERROR;
  const deltaError = options.deltaError ?? delta / 1000;
  const maxSize = options.maxDomainSize ?? PRV_DEFAULT_MAX_DOMAIN_SIZE;
  if (!(epsError > 0)) throw new RangeError(`PRV: epsError must be > 0, got ${epsError}`);
  if (!(deltaError > 0 && deltaError < delta)) throw new RangeError(`PRV: deltaError must be in (0, delta), got ${deltaError}`);
  const active = segments.filter((s) => s.steps > 0);
  if (active.length === 0) return null;
  const total = active.reduce((s, g) => s + g.steps, 0);
  const L = computeSafeDomainSize(active, epsError, deltaError);
  const dt = meshSize(total, epsError, deltaError);
  const domain = createAlignedDomain(L, dt, maxSize);
  assertRoundingBelowDelta(domain.size, delta, deltaError);
  return { active, total, epsError, deltaError, L, dt, domain };
}

/** Whether PRV can answer for this history by its grid (cheap: no discretisation); see planPrv. */
export function prvGridFits(segments: readonly Segment[], delta: number, options: PrvOptions = {}): boolean {
  try {
    planPrv(segments, delta, options);
    return true;
  } catch (err) {
    if (err instanceof PrvUnsupportedError) return false;
    throw err;
  }
}

/**
 * ε(δ) bounds for a history of Poisson-subsampled Gaussian segments. Throws PrvUnsupportedError
 * (with the reason) where PRV cannot answer reliably in floating point; see ./unsupported.
 */
export function computePrvEpsilon(segments: readonly Segment[], delta: number, options: PrvOptions = {}): PrvEpsilonResult {
  const plan = planPrv(segments, delta, options);
  if (!plan) return { lower: 0, estimate: 0, upper: 0, domainSize: 0, dt: 0, domainHalfWidth: 0 };
  const { active, total, epsError, deltaError, L, dt, domain } = plan;
  // Segments with equal (q, σ) share one discretisation.
  const groups = new Map<string, { prv: PoissonSubsampledGaussianPRV; steps: number }>();
  for (const s of active) {
    const key = `${s.q}|${s.sigma}`;
    const g = groups.get(key);
    if (g) g.steps += s.steps;
    else groups.set(key, { prv: new PoissonSubsampledGaussianPRV(s.q, s.sigma), steps: s.steps });
  }
  const list = [...groups.values()];
  // Upper tails below 1e-6·δ_err/k are truncated too (see discretize): δ moves by < 1e-6·δ_err.
  const tailMass = (1e-6 * deltaError) / total;
  const dprvs = list.map((g) => discretize(g.prv, domain, tailMass));
  const counts = list.map((g) => g.steps);
  const bounds = epsilonOfComposition(dprvs, counts, delta, deltaError, epsError);
  return { ...bounds, domainSize: domain.size, dt, domainHalfWidth: L };
}

/**
 * ε bounds of the composition, from its spectrum where few frequencies survive the powers (long runs:
 * each ε evaluation costs O(band), about 3·log2(n) of them), otherwise from the PMF on the grid
 * (inverse FFT and one scan, O(n·log n)). Both give the same bounds up to rounding.
 */
function epsilonOfComposition(
  dprvs: readonly DiscretePRV[],
  counts: readonly number[],
  delta: number,
  deltaError: number,
  epsError: number,
): PrvEpsilonBounds {
  const composed = composeSpectrum(dprvs, counts);
  const n = composed.domain.size;
  if (composed.band * 3 * Math.log2(n) < n) return computeEpsilonBoundsFromSpectrum(composed, delta, deltaError, epsError);
  return computeEpsilonBounds(pmfOfSpectrum(composed), delta, deltaError, epsError);
}
