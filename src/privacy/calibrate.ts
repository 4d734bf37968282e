/**
 * Calibration: the smallest noise multiplier σ whose ε does not exceed a target (ε, δ) at a given
 * sample rate and number of steps, and the largest number of steps that fits a budget.
 *
 * Both search a monotone function (ε falls with σ and grows with steps). A cheap bracket comes from
 * the RDP accountant; the root is then refined by the Illinois variant of regula falsi in log–log
 * coordinates (ε ≈ c·σ^−p is nearly linear there), which needs a handful of evaluations instead of the
 * ~20 of Opacus's bisection — this matters for PRV, where one evaluation costs tens of milliseconds.
 *
 * Tolerance (σ): the returned σ has ε(σ) ≤ target and target − ε(σ) ≤ epsilonTolerance (default 1e-4),
 * so σ is at most the true smallest σ plus the σ-width of that ε band. `sigmaLowerBound` (with
 * ε > target) is also returned: the exact smallest σ lies in (sigmaLowerBound, noiseMultiplier].
 */
import type { AccountantName, EpsilonResult } from './accountants/accountant';
import { createAccountant } from './accountants/registry';
import { computeRdp, DEFAULT_ORDERS, getPrivacySpent } from './analysis/rdp';
import { assertDelta, assertEpsilon, assertNoiseMultiplier, assertSampleRate, assertSteps, PrivacyParameterError } from './validate';

export const MAX_SIGMA = 1e6;
export const MIN_SIGMA = 1e-3;
export const DEFAULT_EPSILON_TOLERANCE = 1e-4;

export interface CalibrateSigmaOptions {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  accountant?: AccountantName;
  /** Stop once target − ε(σ) ≤ this (and ε(σ) ≤ target). Default 1e-4. */
  epsilonTolerance?: number;
  /** Called after every evaluation of the chosen accountant (progress reporting). */
  onEvaluate?: (sigma: number, epsilon: number) => void;
}

export interface CalibrateSigmaResult {
  noiseMultiplier: number;
  /** ε that `noiseMultiplier` gives (≤ targetEpsilon). */
  epsilon: number;
  /** A σ with ε > target: the smallest admissible σ is in (sigmaLowerBound, noiseMultiplier]. */
  sigmaLowerBound: number;
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  steps: number;
  accountant: AccountantName;
  epsilonTolerance: number;
  /** Number of ε evaluations of the chosen accountant. */
  evaluations: number;
  /** The full accountant result at `noiseMultiplier`. */
  result: EpsilonResult;
  warnings: string[];
}

function evaluate(name: AccountantName, q: number, sigma: number, steps: number, delta: number): EpsilonResult {
  return createAccountant(name).step(q, sigma, steps).getEpsilon(delta);
}

/** RDP ε for one (q, σ, steps) — cheap, used to bracket the other accountants. */
function rdpEpsilon(q: number, sigma: number, steps: number, delta: number): number {
  return getPrivacySpent(DEFAULT_ORDERS, computeRdp(q, sigma, steps), delta).epsilon;
}

interface Probe {
  x: number;
  eps: number;
}

/**
 * Illinois regula falsi between lo (ε > target) and hi (ε ≤ target) on y = log ε − log target
 * against log x. `done(hi)` ends the search; `next` may round the proposal (integers).
 */
function illinois(
  lo: Probe,
  hi: Probe,
  target: number,
  f: (x: number) => number,
  done: (lo: Probe, hi: Probe) => boolean,
  propose: (x: number, lo: Probe, hi: Probe) => number,
  aim = target,
  maxIter = 100,
): { lo: Probe; hi: Probe; evals: number } {
  // Proposals aim at `aim` (≤ target, e.g. the middle of the accepted band); sides are decided by target.
  const y = (e: number) => Math.log(Math.max(e, 1e-300)) - Math.log(aim);
  let yLo = y(lo.eps);
  let yHi = y(hi.eps);
  let side = 0;
  let evals = 0;
  while (!done(lo, hi) && evals < maxIter) {
    const a = Math.log(lo.x);
    const b = Math.log(hi.x);
    let x: number;
    if (Number.isFinite(yLo) && Number.isFinite(yHi) && yLo !== yHi) x = Math.exp(a - (yLo * (b - a)) / (yHi - yLo));
    else x = Math.exp(0.5 * (a + b));
    // Keep the proposal strictly inside and away from the ends (guards against stagnation).
    const lower = Math.min(lo.x, hi.x);
    const upper = Math.max(lo.x, hi.x);
    const margin = (upper - lower) * 1e-3;
    x = Math.min(Math.max(x, lower + margin), upper - margin);
    x = propose(x, lo, hi);
    if (x === lo.x || x === hi.x) break;
    const e = f(x);
    evals++;
    if (e > target) {
      lo = { x, eps: e };
      yLo = y(e);
      if (side === -1) yHi /= 2;
      side = -1;
    } else {
      hi = { x, eps: e };
      yHi = y(e);
      if (side === 1) yLo /= 2;
      side = 1;
    }
  }
  return { lo, hi, evals };
}

/** Smallest σ with ε(σ) ≤ target (see the module comment for the tolerance). */
export function calibrateSigma(options: CalibrateSigmaOptions): CalibrateSigmaResult {
  const { targetEpsilon, delta, sampleRate: q, steps } = options;
  const name = options.accountant ?? 'rdp';
  const tol = options.epsilonTolerance ?? DEFAULT_EPSILON_TOLERANCE;
  assertEpsilon(targetEpsilon);
  assertDelta(delta);
  assertSampleRate(q);
  assertSteps(steps);
  if (steps === 0) throw new PrivacyParameterError('steps', 'must be ≥ 1 to calibrate a noise multiplier');
  if (!(tol > 0)) throw new PrivacyParameterError('epsilonTolerance', `must be > 0, got ${tol}`);

  let evals = 0;
  const results = new Map<number, EpsilonResult>();
  const f = (sigma: number): number => {
    evals++;
    try {
      const r = evaluate(name, q, sigma, steps, delta);
      results.set(sigma, r);
      options.onEvaluate?.(sigma, r.epsilon);
      return r.epsilon;
    } catch (err) {
      // A PRV grid too large for a tiny σ means a huge ε: treat it as "above target".
      if (err instanceof RangeError && /grid points/.test(err.message)) return Infinity;
      throw err;
    }
  };

  // Bracket, starting from the RDP solution (cheap) for the other accountants.
  // For PRV the answer usually lies between the GDP σ (GDP tends to underestimate ε) and the RDP σ
  // (RDP overestimates): start at their geometric mean. The bracket below does not rely on it.
  let guess = 1;
  if (name !== 'rdp') {
    // Either helper may fail where the chosen accountant does not (e.g. RDP's order grid cannot
    // certify a tiny ε even at huge σ): they only seed the search.
    const cheap = { ...options, epsilonTolerance: Math.max(tol, 1e-3), onEvaluate: undefined };
    const seed = (acc: AccountantName): number | null => {
      try {
        return calibrateSigma({ ...cheap, accountant: acc }).noiseMultiplier;
      } catch {
        return null;
      }
    };
    const sigmaRdp = seed('rdp');
    const sigmaGdp = name === 'prv' ? seed('gdp') : null;
    if (sigmaRdp !== null && sigmaGdp !== null) guess = Math.sqrt(sigmaRdp * sigmaGdp);
    else guess = sigmaRdp ?? sigmaGdp ?? 1;
  }
  let lo: Probe | null = null;
  let hi: Probe | null = null;
  const first = { x: guess, eps: f(guess) };
  if (first.eps > targetEpsilon) lo = first;
  else hi = first;
  let factor = name === 'rdp' ? 2 : 1.05;
  if (name !== 'rdp' && Number.isFinite(first.eps) && first.eps > 0) {
    // One Newton step in log–log coordinates with the slope of the (cheap) RDP curve at the guess,
    // aimed just past the target so that it usually lands on the other side of the root.
    const h = 0.01;
    const slope = (Math.log(rdpEpsilon(q, guess * (1 + h), steps, delta)) - Math.log(rdpEpsilon(q, guess, steps, delta))) / Math.log1p(h);
    if (slope < 0 && Number.isFinite(slope)) {
      const aim = first.eps > targetEpsilon ? targetEpsilon - tol / 2 : targetEpsilon * 1.002;
      const x = guess * Math.exp((Math.log(aim) - Math.log(first.eps)) / slope);
      if (x !== guess && x > MIN_SIGMA && x < MAX_SIGMA) {
        const e = f(x);
        if (e > targetEpsilon) lo = { x, eps: e };
        else hi = { x, eps: e };
      }
    }
  }
  while (!hi) {
    const x = Math.min(lo!.x * factor, MAX_SIGMA);
    const e = f(x);
    if (e <= targetEpsilon) hi = { x, eps: e };
    else if (x >= MAX_SIGMA) {
      let hint = '';
      if (name === 'rdp') {
        // With zero RDP the Balle et al. conversion still leaves min_α (log(1/δ) − log α)/(α − 1) + …
        const floor = getPrivacySpent(DEFAULT_ORDERS, new Float64Array(DEFAULT_ORDERS.length), delta).epsilon;
        hint = ` (RDP over orders up to ${DEFAULT_ORDERS[DEFAULT_ORDERS.length - 1]} cannot certify epsilon below ${floor.toPrecision(3)} at this delta; the PRV accountant can)`;
      }
      throw new PrivacyParameterError('targetEpsilon', `the privacy budget is too low: even sigma=${MAX_SIGMA} gives epsilon ${e}${hint}`);
    }
    else lo = { x, eps: e };
    factor *= factor;
  }
  while (!lo) {
    const x = Math.max(hi.x / factor, MIN_SIGMA);
    const e = f(x);
    if (e > targetEpsilon) lo = { x, eps: e };
    else if (x <= MIN_SIGMA) {
      throw new PrivacyParameterError('targetEpsilon', `is met even at sigma=${MIN_SIGMA} (epsilon ${e}); no meaningful calibration`);
    } else hi = { x, eps: e };
    factor *= factor;
  }

  const out = illinois(
    lo,
    hi,
    targetEpsilon,
    f,
    (l, h) => targetEpsilon - h.eps <= tol || h.x - l.x <= 1e-12 * h.x,
    (x) => x,
    targetEpsilon - tol / 2,
  );
  const warnings: string[] = [];
  if (targetEpsilon - out.hi.eps > tol) {
    warnings.push(`epsilon tolerance ${tol} not reached; sigma is bracketed to (${out.lo.x}, ${out.hi.x}]`);
  }
  const result = results.get(out.hi.x) ?? evaluate(name, q, out.hi.x, steps, delta);
  return {
    noiseMultiplier: out.hi.x,
    epsilon: out.hi.eps,
    sigmaLowerBound: out.lo.x,
    targetEpsilon,
    delta,
    sampleRate: q,
    steps,
    accountant: name,
    epsilonTolerance: tol,
    evaluations: evals,
    result,
    warnings: [...warnings, ...result.warnings],
  };
}

export interface MaxStepsOptions {
  targetEpsilon: number;
  delta: number;
  sampleRate: number;
  noiseMultiplier: number;
  accountant?: AccountantName;
  /** Search limit (default 1e9 for RDP/GDP, 1e7 for PRV). */
  limit?: number;
}

export interface MaxStepsResult {
  /** Largest number of steps with ε ≤ target (0 if even one step exceeds it). */
  steps: number;
  /** ε after `steps` steps (0 when steps = 0). */
  epsilon: number;
  /** ε after steps + 1 (> target), unless the search limit was hit. */
  epsilonNext: number | null;
  accountant: AccountantName;
  evaluations: number;
  warnings: string[];
}

/** Largest number of steps whose ε stays within the target, for fixed q and σ. */
export function maxSteps(options: MaxStepsOptions): MaxStepsResult {
  const { targetEpsilon, delta, sampleRate: q, noiseMultiplier: sigma } = options;
  const name = options.accountant ?? 'rdp';
  assertEpsilon(targetEpsilon);
  assertDelta(delta);
  assertSampleRate(q);
  assertNoiseMultiplier(sigma);
  const limit = options.limit ?? (name === 'prv' ? 1e7 : 1e9);
  assertSteps(limit, 'limit');

  let evals = 0;
  let f: (t: number) => number;
  if (name === 'rdp') {
    const unit = computeRdp(q, sigma, 1);
    const scaled = new Float64Array(unit.length);
    f = (t) => {
      evals++;
      for (let k = 0; k < unit.length; k++) scaled[k] = unit[k] * t;
      return getPrivacySpent(DEFAULT_ORDERS, scaled, delta).epsilon;
    };
  } else {
    f = (t) => {
      evals++;
      return evaluate(name, q, sigma, t, delta).epsilon;
    };
  }

  const e1 = f(1);
  if (e1 > targetEpsilon) return { steps: 0, epsilon: 0, epsilonNext: e1, accountant: name, evaluations: evals, warnings: [] };

  // below: ε ≤ target (allowed); above: ε > target.
  let below: Probe = { x: 1, eps: e1 };
  let above: Probe | null = null;
  const classify = (p: Probe) => {
    if (p.eps > targetEpsilon) {
      if (!above || p.x < above.x) above = p;
    } else if (p.x > below.x) below = p;
  };
  let x = 2;
  if (name !== 'rdp') {
    // Start between the RDP answer (too few steps) and the GDP answer (usually too many), then take
    // one Newton step in log–log coordinates with the slope of the cheap RDP curve.
    const seed = (acc: AccountantName): number | null => {
      try {
        return Math.max(2, maxSteps({ ...options, accountant: acc, limit: 1e9 }).steps);
      } catch {
        return null;
      }
    };
    const tRdp = seed('rdp');
    const tGdp = name === 'prv' ? seed('gdp') : null;
    const tA = tRdp ?? tGdp ?? 2;
    const tB = tGdp ?? tA;
    const guess = Math.min(limit, Math.max(2, Math.round(Math.sqrt(tA * tB))));
    const first = { x: guess, eps: f(guess) };
    classify(first);
    const slope = (Math.log(rdpEpsilon(q, sigma, Math.ceil(guess * 1.01), delta)) - Math.log(rdpEpsilon(q, sigma, guess, delta))) /
      Math.log(Math.ceil(guess * 1.01) / guess);
    x = guess;
    if (slope > 0 && Number.isFinite(slope) && first.eps > 0 && Number.isFinite(first.eps)) {
      let next = Math.round(guess * Math.exp((Math.log(targetEpsilon) - Math.log(first.eps)) / slope));
      next = Math.min(limit, Math.max(1, next));
      if (next === guess) next = first.eps > targetEpsilon ? guess - 1 : guess + 1;
      if (next >= 1 && next <= limit) {
        classify({ x: next, eps: f(next) });
        x = next;
      }
    }
  }
  // Expand until something is above the target (or the limit is reached).
  let factor = name === 'rdp' ? 2 : 1.1;
  while (!above) {
    x = Math.min(limit, Math.max(below.x + 1, Math.ceil(below.x * factor)));
    if (below.x >= limit) {
      return { steps: below.x, epsilon: below.eps, epsilonNext: null, accountant: name, evaluations: evals, warnings: [`search limit of ${limit} steps reached`] };
    }
    classify({ x, eps: f(x) });
    factor *= factor;
  }
  const hi: Probe = above;
  const lo: Probe = below;
  // Note the orientation: here ε grows with x, so "hi" (ε > target) is the larger x.
  const out = illinois(
    hi,
    lo,
    targetEpsilon,
    f,
    (above, below) => above.x - below.x <= 1,
    (v, above, below) => Math.min(Math.max(Math.round(v), below.x + 1), above.x - 1),
  );
  return { steps: out.hi.x, epsilon: out.hi.eps, epsilonNext: out.lo.eps, accountant: name, evaluations: evals, warnings: [] };
}
