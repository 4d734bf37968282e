/**
 * Rényi DP of the Poisson-subsampled Gaussian mechanism (SGM) and conversion to (ε, δ)-DP.
 *
 * - RDP of the SGM: Mironov, Talwar, Zhang, "Rényi Differential Privacy of the Sampled Gaussian
 *   Mechanism", arXiv 1908.10530, Section 3.3 (A_α for integer α, Eq. for fractional α as two
 *   one-sided integrals split at z0). Port of Opacus `opacus/accountants/analysis/rdp.py`, itself
 *   from TF Privacy. All sums are taken in log space.
 * - RDP → (ε, δ): Balle, Barthe, Gaboardi, Hsu, Sato, "Hypothesis testing interpretations and Rényi
 *   differential privacy", AISTATS 2020, Theorem 21 (arXiv 1905.09982):
 *   ε = rdp(α) − (log δ + log α)/(α − 1) + log((α − 1)/α), minimised over the order grid.
 */
import { logAdd, logErfc, logSub } from './special';

/** Opacus's default order grid: 1.1, 1.2, …, 10.9 then 12, 13, …, 63 (151 orders). */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10.0),
  ...Array.from({ length: 52 }, (_, k) => 12 + k),
]);

/** log A_α for integer α (Mironov et al. 2019, Section 3.3): a finite binomial sum. */
function logAForIntOrder(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  let logBinom = 0; // log C(α, 0)
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log(alpha - i + 1) - Math.log(i);
    const s = logBinom + i * logQ + (alpha - i) * log1mQ + (i * i - i) / (2 * sigma * sigma);
    logA = logAdd(logA, s);
  }
  return logA;
}

/**
 * log A_α for fractional α (Mironov et al. 2019, Section 3.3): the integral is split at
 * z0 = σ² log(1/q − 1) + 1/2 and each half expanded in a (signed) binomial series, summed until the
 * terms fall below e^−30.
 */
function logAForFracOrder(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const s2 = sigma * sigma;
  const z0 = s2 * Math.log(1 / q - 1) + 0.5;
  const logQ = Math.log(q);
  const log1mQ = Math.log1p(-q);
  const denom = Math.SQRT2 * sigma;
  let coef = 1; // C(α, 0)
  for (let i = 0; ; i++) {
    if (i > 0) coef *= (alpha - i + 1) / i;
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const logT0 = logCoef + i * logQ + j * log1mQ;
    const logT1 = logCoef + j * logQ + i * log1mQ;
    const logE0 = Math.log(0.5) + logErfc((i - z0) / denom);
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / denom);
    const logS0 = logT0 + (i * i - i) / (2 * s2) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * s2) + logE1;
    if (coef > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30) break;
    if (i > 10_000) throw new RangeError(`RDP series did not converge (q=${q}, sigma=${sigma}, order=${alpha})`);
  }
  return logAdd(logA0, logA1);
}

/** Largest RDP order accepted: the integer-order sum has α + 1 terms. */
export const MAX_ORDER = 10_000;

/**
 * RDP of one step of the SGM at order α. q = 1 is the plain Gaussian mechanism, α/(2σ²)
 * (Mironov 2017, Proposition 7). Returns +∞ when σ is so small that 1/σ² overflows (no privacy;
 * σ = 0 included) or α = ∞, and 0 when q = 0 or σ = ∞. NaN or out-of-range arguments throw.
 *
 * Where the fractional-order series fails in floating point (for σ in the thousands and above, its
 * alternating terms cancel to rounding noise, and near q = 1/2 it stops converging), the value at
 * ⌈α⌉ is used instead: Rényi divergence does not decrease with the order, so it is a valid upper
 * bound, and the integer sum has only positive terms. Rounding can leave a result a few ulps below
 * 0; RDP is never negative, so it is clamped.
 */
export function computeRdpSingle(q: number, sigma: number, alpha: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`RDP: sample rate must be in [0, 1], got ${q}`);
  if (!(sigma >= 0)) throw new RangeError(`RDP: noise multiplier must be ≥ 0, got ${sigma}`);
  if (!(alpha > 1 && alpha <= MAX_ORDER) && alpha !== Infinity)
    throw new RangeError(`RDP: order must be in (1, ${MAX_ORDER}] or ∞, got ${alpha}`);
  if (q === 0 || sigma === Infinity) return 0;
  if (!Number.isFinite(1 / (2 * sigma * sigma)) || alpha === Infinity) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (Number.isInteger(alpha)) return Math.max(0, logAForIntOrder(q, sigma, alpha) / (alpha - 1));
  let logA: number;
  try {
    logA = logAForFracOrder(q, sigma, alpha);
  } catch {
    logA = NaN;
  }
  if (!(logA >= 0 && logA < Infinity)) return computeRdpSingle(q, sigma, Math.ceil(alpha));
  return logA / (alpha - 1);
}

/** RDP of `steps` compositions of the SGM at each order (RDP composes additively). */
export function computeRdp(q: number, sigma: number, steps: number, orders: readonly number[] = DEFAULT_ORDERS): Float64Array {
  if (!(steps >= 0 && steps < Infinity)) throw new RangeError(`RDP: steps must be a finite number ≥ 0, got ${steps}`);
  const out = new Float64Array(orders.length);
  if (steps === 0) return out; // no steps spend nothing, even where one step's RDP is ∞
  for (let k = 0; k < orders.length; k++) out[k] = computeRdpSingle(q, sigma, orders[k]) * steps;
  return out;
}

/** RDP of a history of (q, σ, steps) segments at each order: the sum of the segments' RDP. */
export function computeRdpOfHistory(
  segments: readonly { q: number; sigma: number; steps: number }[],
  orders: readonly number[] = DEFAULT_ORDERS,
): Float64Array {
  const total = new Float64Array(orders.length);
  for (const g of segments) {
    const r = computeRdp(g.q, g.sigma, g.steps, orders);
    for (let k = 0; k < r.length; k++) total[k] += r[k];
  }
  return total;
}

export interface RdpPrivacySpent {
  epsilon: number;
  /** Order at which the bound is tightest; null when ε is infinite at every order. */
  optimalOrder: number | null;
  warnings: string[];
}

/**
 * (ε, δ) from RDP values by Balle et al. 2020, Theorem 21, minimised over the orders.
 * Warns when the optimum sits at the smallest or largest order (the grid should be widened).
 */
export function getPrivacySpent(orders: readonly number[], rdp: ArrayLike<number>, delta: number): RdpPrivacySpent {
  if (orders.length !== rdp.length) throw new RangeError('getPrivacySpent: orders and rdp must have the same length');
  if (!(delta > 0 && delta < 1)) throw new RangeError(`getPrivacySpent: delta must be in (0, 1), got ${delta}`);
  for (let k = 0; k < orders.length; k++) {
    if (!(orders[k] > 1 && orders[k] < Infinity)) throw new RangeError(`getPrivacySpent: orders must be finite and > 1, got ${orders[k]}`);
    if (Number.isNaN(rdp[k])) throw new RangeError(`getPrivacySpent: the RDP at order ${orders[k]} is NaN`);
  }
  const logDelta = Math.log(delta);
  let best = Infinity;
  let bestIdx = -1;
  for (let k = 0; k < orders.length; k++) {
    const a = orders[k];
    const eps = rdp[k] - (logDelta + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
    if (bestIdx < 0 || eps < best) {
      best = eps;
      bestIdx = k;
    }
  }
  const warnings: string[] = [];
  if (bestIdx < 0 || best === Infinity) {
    return { epsilon: Infinity, optimalOrder: null, warnings: ['epsilon is infinite at every RDP order (no privacy)'] };
  }
  if (bestIdx === 0 || bestIdx === orders.length - 1) {
    const extreme = bestIdx === 0 ? 'smallest' : 'largest';
    warnings.push(
      `RDP optimal order ${orders[bestIdx]} is the ${extreme} order of the grid; the bound may be loose — consider widening the orders`,
    );
  }
  return { epsilon: Math.max(0, best), optimalOrder: orders[bestIdx], warnings };
}
