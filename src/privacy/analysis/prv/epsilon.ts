/**
 * ε(δ) of a discretised PRV with error bounds (Gopi, Lee, Wutschitz 2021, Theorem 5.5 and
 * Section 5; Opacus `DiscretePRV.compute_epsilon`).
 *
 * For a privacy loss Y, δ(ε) = E[(1 − e^{ε−Y})₊]. With suffix sums d1_i = Σ_{k≥i} p_k and
 * d2_i = Σ_{k≥i} p_k·e^{−t_k}, δ(t_i) = d1_i − e^{t_i}·d2_i, so ε for a target δ is found on the grid
 * and refined inside the cell: ε = log((d1_i − δ)/d2_i). The discretisation and truncation errors are
 * at most (ε_err, δ_err), so lower = ε(δ + δ_err) − ε_err ≤ ε_true ≤ upper = ε(δ − δ_err) + ε_err.
 */
import type { ComposedSpectrum } from './compose';
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
  if (dprv.offset !== 0 || n !== domain.size) throw new RangeError('computeEpsilonBounds: needs the probabilities of the whole grid');
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

/**
 * The same ε bounds as computeEpsilonBounds(composeHeterogeneous(…)), read from the composed spectrum
 * without transforming back. With T_f the spectrum, rotated to grid indices, the suffix sums are
 * geometric series in closed form:
 *   d1_i = (1/n) Σ_f T_f·(ω^{fi} − 1)/(1 − ω^f)   (f = 0: n − i),
 *   e^{t_i}·d2_i = (1/n) Σ_f T_f·(ω^{fi} − e^{−(n−i)·dt})/(1 − ω^f·e^{−dt}),
 * summed over the band of non-zero frequencies only (ω = e^{2πi/n}; the negative frequencies are the
 * conjugates). δ(t_i) = d1_i − e^{t_i}·d2_i decreases with i, so each target's grid index is found by
 * bisection instead of a scan: O(band·log n) work in place of the grid's O(n·log n).
 */
export function computeEpsilonBoundsFromSpectrum(
  composed: ComposedSpectrum,
  delta: number,
  deltaError: number,
  epsError: number,
): PrvEpsilonBounds {
  const { spectrum, band, rotation, domain } = composed;
  const n = domain.size;
  assertRoundingBelowDelta(n, delta, deltaError);
  const tMin = domainTMin(domain);
  const dt = domain.dt;
  const sums = spectralSuffixSums(spectrum, band, rotation, n, dt);
  const deltaAt = (i: number): number => {
    const { d1, e2 } = sums(i);
    const d = d1 - e2;
    if (!Number.isFinite(d))
      throw new PrvUnsupportedError(`PRV: delta(epsilon) is ${d} at t=${tMin + i * dt}, beyond floating-point range`);
    return d;
  };
  const epsilonFor = (target: number): number => {
    if (deltaAt(n - 1) > target) throw new PrvUnsupportedError('PRV: delta is not reached inside the domain');
    if (!(deltaAt(0) > target)) throw new PrvUnsupportedError('PRV: delta is reached only at the left edge of the domain');
    // The last index with δ(t_i) > target, as the right-to-left scan of computeEpsilonBounds finds it.
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (deltaAt(mid) > target) lo = mid;
      else hi = mid;
    }
    // Refine inside the cell right of it: ε = log((d1 − δ)/d2) = t_{i} + log((d1 − δ)/(e^{t_i}·d2)).
    const { d1, e2 } = sums(lo + 1);
    const eps = tMin + (lo + 1) * dt + Math.log((d1 - target) / e2);
    if (!Number.isFinite(eps))
      throw new PrvUnsupportedError(`PRV: epsilon is ${eps} at t=${tMin + (lo + 1) * dt}, beyond floating-point range`);
    return eps;
  };
  const epsUpper = epsilonFor(delta - deltaError);
  const epsEstimate = epsilonFor(delta);
  const epsLower = epsilonFor(delta + deltaError);
  return { lower: epsLower - epsError, estimate: epsEstimate, upper: epsUpper + epsError };
}

/** d1_i and e^{t_i}·d2_i from the band of a spectrum (see computeEpsilonBoundsFromSpectrum). */
function spectralSuffixSums(spectrum: Float64Array, band: number, rotation: number, n: number, dt: number) {
  const TWO_PI_N = (2 * Math.PI) / n;
  const r = Math.exp(-dt);
  const oneMinusR = -Math.expm1(-dt);
  // Per frequency: T_f·ω^{−f·rotation}·weight/n divided by (1 − ω^f) and by (1 − ω^f·r).
  const aRe = new Float64Array(band);
  const aIm = new Float64Array(band);
  const bRe = new Float64Array(band);
  const bIm = new Float64Array(band);
  for (let f = 0; f < band; f++) {
    const weight = f === 0 || 2 * f === n ? 1 / n : 2 / n;
    const rot = -TWO_PI_N * ((f * rotation) % n);
    const c = Math.cos(rot),
      s = Math.sin(rot);
    const tr = (spectrum[2 * f] * c - spectrum[2 * f + 1] * s) * weight;
    const ti = (spectrum[2 * f] * s + spectrum[2 * f + 1] * c) * weight;
    const half = Math.sin((TWO_PI_N * f) / 2);
    const sinT = Math.sin(TWO_PI_N * f);
    // 1 − ω^f = 2 sin²(θ/2) − i sin θ (0 at f = 0, handled apart); 1 − r·ω^f = (1 − r) + 2r sin²(θ/2) − i r sin θ.
    const uRe = 2 * half * half,
      uIm = -sinT;
    const vRe = oneMinusR + 2 * r * half * half,
      vIm = -r * sinT;
    const uN = uRe * uRe + uIm * uIm;
    const vN = vRe * vRe + vIm * vIm;
    if (f > 0) {
      aRe[f] = (tr * uRe + ti * uIm) / uN; // T/(1 − ω^f)
      aIm[f] = (ti * uRe - tr * uIm) / uN;
    } else {
      aRe[0] = tr;
      aIm[0] = ti;
    }
    bRe[f] = (tr * vRe + ti * vIm) / vN; // T/(1 − r·ω^f)
    bIm[f] = (ti * vRe - tr * vIm) / vN;
  }
  return (i: number): { d1: number; e2: number } => {
    const oneMinusRho = -Math.expm1(-(n - i) * dt); // 1 − e^{−(n−i)·dt}
    let d1 = aRe[0] * (n - i);
    let e2 = 0;
    for (let f = 0; f < band; f++) {
      const phi = TWO_PI_N * ((f * i) % n);
      const h = Math.sin(phi / 2);
      const cm1 = -2 * h * h; // cos φ − 1, without cancellation
      const sp = Math.sin(phi);
      if (f > 0) d1 += aRe[f] * cm1 - aIm[f] * sp; // Re(T/(1 − ω^f)·(ω^{fi} − 1))
      const nr = cm1 + oneMinusRho; // cos φ − e^{−(n−i)·dt}
      e2 += bRe[f] * nr - bIm[f] * sp;
    }
    return { d1, e2 };
  };
}
