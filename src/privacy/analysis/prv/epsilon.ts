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
import { PrvUnsupportedError } from './unsupported';

export interface PrvEpsilonBounds {
  lower: number;
  estimate: number;
  upper: number;
}

/** Sums over n grid points carry rounding of about n·2^-52: it must stay below what δ − δ_err resolves. */
export function assertRoundingBelowDelta(n: number, delta: number, deltaError: number): void {
  if (!(deltaError > 0 && deltaError < delta && delta < 1))
    throw new RangeError(`PRV: need 0 < deltaError < delta < 1, got ${deltaError}, ${delta}`);
  if (Number.EPSILON * n > delta - deltaError) {
    throw new PrvUnsupportedError(`PRV: floating-point rounding over ${n} grid points exceeds delta=${delta}`);
  }
}

export function computeEpsilonBounds(dprv: DiscretePRV, delta: number, deltaError: number, epsError: number): PrvEpsilonBounds {
  const { pmf, domain } = dprv;
  const n = pmf.length;
  assertRoundingBelowDelta(n, delta, deltaError);
  const tMin = domainTMin(domain);
  const dt = domain.dt;
  // Scan from the right keeping the suffix sums d1 = Σ_{k≥i} p_k and d2 = Σ_{k≥i} p_k·e^{−t_k};
  // −δ(t_i) = e^{t_i}·d2 − d1 increases with i. For each target, the answer index is the first i
  // with −δ(t_i) ≥ −δ_target (numpy searchsorted 'left'), i.e. one right of the last index from the
  // right where it drops below. e^{−t_k} is a running product re-anchored with Math.exp every 256
  // points so rounding cannot accumulate.
  const targets = [delta - deltaError, delta, delta + deltaError];
  const found: (number | null)[] = [null, null, null];
  const stepUp = Math.exp(dt);
  let s1 = 0;
  let s2 = 0;
  let w = 0;
  let prevS1 = NaN;
  let prevS2 = NaN;
  let remaining = 3;
  for (let k = n - 1; k >= 0 && remaining > 0; k--) {
    w = (k & 255) === 255 || k === n - 1 ? Math.exp(-(tMin + k * dt)) : w * stepUp;
    const p = pmf[k];
    s1 += p;
    s2 += p * w;
    const nDelta = s2 / w - s1;
    if (!Number.isFinite(nDelta))
      throw new PrvUnsupportedError(`PRV: delta(epsilon) is ${nDelta} at t=${tMin + k * dt}, beyond floating-point range`);
    for (let j = 0; j < 3; j++) {
      if (found[j] === null && nDelta < -targets[j]) {
        if (k === n - 1) throw new PrvUnsupportedError('PRV: delta is not reached inside the domain');
        const eps = Math.log((prevS1 - targets[j]) / prevS2);
        if (!Number.isFinite(eps))
          throw new PrvUnsupportedError(`PRV: epsilon is ${eps} at t=${tMin + k * dt}, beyond floating-point range`);
        found[j] = eps;
        remaining--;
      }
    }
    prevS1 = s1;
    prevS2 = s2;
  }
  if (remaining > 0) throw new PrvUnsupportedError('PRV: delta is reached only at the left edge of the domain');
  const [epsUpper, epsEstimate, epsLower] = found as number[];

  return { lower: epsLower - epsError, estimate: epsEstimate, upper: epsUpper + epsError };
}
