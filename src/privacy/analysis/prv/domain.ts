/**
 * Discretisation domain for privacy loss random variables (PRVs) and its safe size.
 *
 * Gopi, Lee, Wutschitz, "Numerical Composition of Differential Privacy", NeurIPS 2021
 * (arXiv 2106.02848). Port of Opacus `opacus/accountants/analysis/prv/domain.py`, with one
 * change: the grid length is rounded up to the next 2^k or 3·2^k (the sizes our FFT supports). The
 * mesh `dt` is kept and the grid is widened symmetrically, so it still covers [−L, L] with the mesh
 * the error analysis asks for; a wider domain only lowers the truncation error.
 */
import { computeRdp, computeRdpOfHistory, DEFAULT_ORDERS, getPrivacySpent } from '../rdp';
import { goodFftSize } from './realFft';
import { PrvUnsupportedError } from './unsupported';

/**
 * Largest half-width L of the privacy-loss domain. The grid's cost grows with L and its e^{±t} come
 * near overflow (e^709) well beyond it; L = 250 covers ε up to about 150, where RDP is within about
 * 10% of PRV anyway.
 */
export const PRV_MAX_HALF_WIDTH = 250;

export interface Segment {
  /** Poisson sampling rate, in (0, 1]. */
  q: number;
  /** Noise multiplier σ (noise std / L2 sensitivity), > 0. */
  sigma: number;
  /** Number of steps with these settings (non-negative integer). */
  steps: number;
}

/** Grid t_k = tMin + k·dt, k = 0..size−1, with tMin = −c·dt for an integer c. */
export interface Domain {
  /** Number of grid points (2^k or 3·2^k). */
  size: number;
  dt: number;
  /** Index of t = 0 before any shift: tMin = −c·dt. */
  c: number;
  /** Accumulated right shift of the grid (mean correction of the discretisation). */
  shift: number;
}

export function domainTMin(d: Domain): number {
  return -d.c * d.dt + d.shift;
}

export function domainTMax(d: Domain): number {
  return (d.size - 1 - d.c) * d.dt + d.shift;
}

/**
 * Smallest 2^k or 3·2^k grid with mesh `dt` that contains Opacus's aligned domain
 * [floor(−L/dt)·dt, ceil(L/dt)·dt]. Throws if it would exceed `maxSize` points.
 */
export function createAlignedDomain(L: number, dt: number, maxSize: number): Domain {
  if (!(L > 0 && L < Infinity) || !(dt > 0 && dt < Infinity)) throw new RangeError(`PRV domain: invalid L=${L}, dt=${dt}`);
  const lo = Math.ceil(L / dt); // −tMin/dt in Opacus's aligned grid (floor(−L/dt) = −ceil(L/dt))
  const hi = Math.ceil(L / dt);
  const minSize = lo + hi + 2; // Opacus's even size
  if (!(minSize <= maxSize)) {
    throw new PrvUnsupportedError(
      `PRV: the discretisation needs ${minSize.toPrecision(3)} grid points (limit ${maxSize}), too many for this many steps at this delta`,
    );
  }
  const size = goodFftSize(minSize);
  if (size > maxSize) {
    throw new PrvUnsupportedError(
      `PRV: the discretisation needs ${size} grid points (limit ${maxSize}), too many for this many steps at this delta`,
    );
  }
  // Same layout as Opacus's even-sized grid: tMin = −(size/2 − 1)·dt, tMax = (size/2)·dt.
  return { size, dt, c: size / 2 - 1, shift: 0 };
}

/**
 * Safe half-width L of the domain, Gopi et al. 2021, Remark 5.6 (as in Opacus): the RDP ε of the
 * whole composition at δ_err/4, and of each single step at δ_err/(8·k), bound the tails that the
 * truncation throws away; L = max(that, ε_err) + 3.
 */
export function computeSafeDomainSize(segments: readonly Segment[], epsError: number, deltaError: number): number {
  const total = segments.reduce((s, g) => s + g.steps, 0);
  let lMax = getPrivacySpent(DEFAULT_ORDERS, computeRdpOfHistory(segments), deltaError / 4).epsilon;
  for (const g of segments) {
    const one = computeRdp(g.q, g.sigma, 1);
    lMax = Math.max(lMax, getPrivacySpent(DEFAULT_ORDERS, one, deltaError / (8 * total)).epsilon);
  }
  const L = Math.max(lMax, epsError) + 3;
  if (!(L <= PRV_MAX_HALF_WIDTH)) {
    throw new PrvUnsupportedError(
      `PRV: the privacy loss reaches beyond ±${PRV_MAX_HALF_WIDTH} (epsilon in the hundreds or more), outside the range PRV handles`,
    );
  }
  return L;
}

/** Opacus's mesh: ε_err / sqrt(k·log(12/δ_err)/2) for k total compositions. */
export function meshSize(totalSteps: number, epsError: number, deltaError: number): number {
  return epsError / Math.sqrt((totalSteps * Math.log(12 / deltaError)) / 2);
}
