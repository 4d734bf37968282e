/**
 * ε(δ) of a discretised PRV with error bounds (Gopi, Lee, Wutschitz 2021, Theorem 5.5 and
 * Section 5; Opacus `DiscretePRV.compute_epsilon`).
 *
 * For a privacy loss Y, δ(ε) = E[(1 − e^{ε−Y})₊]. With suffix sums d1_i = Σ_{k≥i} p_k and
 * d2_i = Σ_{k≥i} p_k·e^{−t_k}, δ(t_i) = d1_i − e^{t_i}·d2_i, so ε for a target δ is found on the grid
 * and refined inside the cell: ε = log((d1_i − δ)/d2_i). The discretisation and truncation errors are
 * at most (ε_err, δ_err), so lower = ε(δ + δ_err) − ε_err ≤ ε_true ≤ upper = ε(δ − δ_err) + ε_err.
 */
import type { DiscretePRV } from './prvs';
import { domainTMin } from './domain';

export interface PrvEpsilonBounds {
  lower: number;
  estimate: number;
  upper: number;
}

export function computeEpsilonBounds(dprv: DiscretePRV, delta: number, deltaError: number, epsError: number): PrvEpsilonBounds {
  const { pmf, domain } = dprv;
  const n = pmf.length;
  if (Number.EPSILON * n > delta - deltaError) {
    throw new RangeError('PRV: floating point errors dominate for such a small delta; increase delta or reduce the domain size');
  }
  const tMin = domainTMin(domain);
  const dt = domain.dt;
  const d1 = new Float64Array(n);
  const d2 = new Float64Array(n);
  let s1 = 0;
  let s2 = 0;
  // e^{−t_k} by a running product (one multiplication per point), re-anchored with Math.exp every
  // 256 points so rounding cannot accumulate beyond ~256 ulps.
  const stepUp = Math.exp(dt);
  let w = 0;
  for (let k = n - 1; k >= 0; k--) {
    w = (k & 255) === 255 || k === n - 1 ? Math.exp(-(tMin + k * dt)) : w * stepUp;
    const p = pmf[k];
    s1 += p;
    s2 += p * w;
    d1[k] = s1;
    d2[k] = s2;
  }
  const nDelta = (k: number) => Math.exp(tMin + k * dt) * d2[k] - d1[k];

  const findEpsilon = (deltaTarget: number): number => {
    // First index i with −δ(t_i) ≥ −δ_target (numpy searchsorted 'left' on the increasing −δ(t)).
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nDelta(mid) < -deltaTarget) lo = mid + 1;
      else hi = mid;
    }
    if (lo <= 0) throw new RangeError('PRV: cannot compute epsilon (delta is reached at the left edge of the domain)');
    if (lo >= n) throw new RangeError('PRV: cannot compute epsilon (delta is not reached inside the domain)');
    return Math.log((d1[lo] - deltaTarget) / d2[lo]);
  };

  return {
    lower: findEpsilon(delta + deltaError) - epsError,
    estimate: findEpsilon(delta),
    upper: findEpsilon(delta - deltaError) + epsError,
  };
}
