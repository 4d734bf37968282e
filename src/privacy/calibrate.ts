/**
 * Calibration: the smallest noise multiplier σ whose ε does not exceed a target (ε, δ) at a given
 * sample rate and number of steps, and the largest number of steps that fits a budget.
 *
 * Both search a monotone function (ε falls with σ and grows with steps). A cheap bracket comes from
 * the RDP accountant; the root is then refined by the Illinois variant of regula falsi in log–log
 * coordinates (ε ≈ c·σ^−p is nearly linear there), which needs a handful of evaluations instead of the
 * ~20 of Opacus's bisection — this matters for PRV, where one evaluation costs tens of milliseconds.
 *
 * σ is searched in [SIGMA_MIN, SIGMA_MAX] and targets are at most EPSILON_MAX (./bounds): the range
 * where the accountants' answers mean something. An ε that is NaN never counts as within the target.
 *
 * Tolerance (σ): the returned σ has ε(σ) ≤ target and target − ε(σ) ≤ epsilonTolerance (default 1e-4),
 * so σ is at most the true smallest σ plus the σ-width of that ε band. `sigmaLowerBound` (with
 * ε > target) is also returned: the exact smallest σ lies in (sigmaLowerBound, noiseMultiplier].
 */
import type { AccountantName, EpsilonResult } from './accountants/accountant';
import { PrvAccountant } from './accountants/prv';
import { createAccountant } from './accountants/registry';
import { prvGridFits } from './analysis/prv';
import { computeRdp, DEFAULT_ORDERS, getPrivacySpent } from './analysis/rdp';
import { EPSILON_MAX, SIGMA_MAX, SIGMA_MIN } from '../config/privacyBounds';
import { illinois, type Probe, withinTarget } from './search';
import { assertDelta, assertEpsilon, assertNoiseMultiplier, assertSampleRate, assertSteps, PrivacyParameterError } from './validate';

/** The σ range calibration searches (the supported range of ./bounds). */
export const MAX_SIGMA = SIGMA_MAX;
export const MIN_SIGMA = SIGMA_MIN;
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

/**
 * Largest PRV grid calibration evaluates (about half a second each on one core). Calibration takes
 * several evaluations, so at the 2^23 points the accountant allows it would take tens of seconds;
 * histories that need more than this (ε = 3 beyond ~1.6e5 steps at δ = 1e-5) are calibrated on the
 * RDP bound instead, which the result's warnings say.
 */
export const CALIBRATION_PRV_MAX_DOMAIN_SIZE = 2 ** 21;

/** ε of (q, σ, steps) by the accountant calibration uses for `name`. */
function evaluateForCalibration(name: AccountantName, q: number, sigma: number, steps: number, delta: number): EpsilonResult {
  const acc = name === 'prv' ? new PrvAccountant({ maxDomainSize: CALIBRATION_PRV_MAX_DOMAIN_SIZE }) : createAccountant(name);
  return acc.step(q, sigma, steps).getEpsilon(delta);
}

/** RDP ε for one (q, σ, steps) — cheap, used to bracket the other accountants. */
function rdpEpsilon(q: number, sigma: number, steps: number, delta: number): number {
  return getPrivacySpent(DEFAULT_ORDERS, computeRdp(q, sigma, steps), delta).epsilon;
}

/** Targets are finite, > 0 and at most EPSILON_MAX. */
function assertTargetEpsilon(target: number): void {
  assertEpsilon(target);
  if (!(target <= EPSILON_MAX)) {
    throw new PrivacyParameterError(
      'targetEpsilon',
      `must be ≤ ${EPSILON_MAX} (beyond it epsilon means no privacy and the accountants lose precision), got ${target}`,
    );
  }
}

/**
 * The error for a target below what even σ = MAX_SIGMA reaches. Its ε is finite for every accountant
 * there (PRV falls back to RDP rather than fail); where the RDP bound decides, the floor of its
 * conversion says why.
 */
function budgetTooLow(r: EpsilonResult): PrivacyParameterError {
  if (!Number.isFinite(r.epsilon)) {
    return new PrivacyParameterError(
      'targetEpsilon',
      `cannot be calibrated: the ${r.accountant} accountant gives no finite epsilon even at sigma=${MAX_SIGMA}`,
    );
  }
  let hint = '';
  if (r.accountant === 'rdp' || r.fallback?.accountant === 'rdp') {
    // With zero RDP the Balle et al. conversion still leaves min_α (log(1/δ) − log α)/(α − 1) + …
    const floor = getPrivacySpent(DEFAULT_ORDERS, new Float64Array(DEFAULT_ORDERS.length), r.delta).epsilon;
    const why = r.fallback ? `; PRV cannot answer here: ${r.fallback.reason}` : '; the PRV accountant can';
    hint = ` (RDP over orders up to ${DEFAULT_ORDERS[DEFAULT_ORDERS.length - 1]} cannot certify epsilon below ${floor.toPrecision(3)} at this delta${why})`;
  }
  return new PrivacyParameterError(
    'targetEpsilon',
    `the privacy budget is too low: even sigma=${MAX_SIGMA} gives epsilon ${r.epsilon.toPrecision(4)}${hint}`,
  );
}

/** Smallest σ with ε(σ) ≤ target (see the module comment for the tolerance). */
export function calibrateSigma(options: CalibrateSigmaOptions): CalibrateSigmaResult {
  const { targetEpsilon, delta, sampleRate: q, steps } = options;
  const name = options.accountant ?? 'rdp';
  const tol = options.epsilonTolerance ?? DEFAULT_EPSILON_TOLERANCE;
  assertTargetEpsilon(targetEpsilon);
  assertDelta(delta);
  assertSampleRate(q);
  assertSteps(steps);
  if (steps === 0) throw new PrivacyParameterError('steps', 'must be ≥ 1 to calibrate a noise multiplier');
  if (!(tol > 0)) throw new PrivacyParameterError('epsilonTolerance', `must be > 0, got ${tol}`);

  let evals = 0;
  const results = new Map<number, EpsilonResult>();
  const f = (sigma: number): number => {
    evals++;
    const r = evaluateForCalibration(name, q, sigma, steps, delta);
    results.set(sigma, r);
    options.onEvaluate?.(sigma, r.epsilon);
    return r.epsilon;
  };

  /**
   * Below some σ PRV's grid exceeds the calibration limit and ε jumps up to the RDP bound: a root
   * search across that jump would crawl towards it. When the bracket spans it, find it from the grid
   * size alone (milliseconds per probe, no PRV evaluation) and keep the side that holds the target.
   */
  const acrossPrvGridLimit = (lo: Probe, hi: Probe): { lo: Probe; hi: Probe } => {
    const fits = (sigma: number) => prvGridFits([{ q, sigma, steps }], delta, { maxDomainSize: CALIBRATION_PRV_MAX_DOMAIN_SIZE });
    if (fits(lo.x) || !fits(hi.x)) return { lo, hi };
    let a = lo.x; // PRV does not fit
    let b = hi.x; // PRV fits
    while (b - a > 1e-9 * b) {
      const m = Math.sqrt(a * b);
      if (fits(m)) b = m;
      else a = m;
    }
    const atB = { x: b, eps: f(b) };
    if (!withinTarget(atB.eps, targetEpsilon, b)) return { lo: atB, hi }; // the root is where PRV answers
    const atA = { x: a, eps: f(a) }; // the RDP bound, just below the limit
    return withinTarget(atA.eps, targetEpsilon, a) ? { lo, hi: atA } : { lo: atA, hi: atB };
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
  if (withinTarget(first.eps, targetEpsilon, guess)) hi = first;
  else lo = first;
  let factor = name === 'rdp' ? 2 : 1.05;
  if (name !== 'rdp' && Number.isFinite(first.eps) && first.eps > 0) {
    // One Newton step in log–log coordinates with the slope of the (cheap) RDP curve at the guess,
    // aimed just past the target so that it usually lands on the other side of the root.
    const h = 0.01;
    const slope = (Math.log(rdpEpsilon(q, guess * (1 + h), steps, delta)) - Math.log(rdpEpsilon(q, guess, steps, delta))) / Math.log1p(h);
    if (slope < 0 && Number.isFinite(slope)) {
      const aim = lo ? targetEpsilon - tol / 2 : targetEpsilon * 1.002;
      const x = guess * Math.exp((Math.log(aim) - Math.log(first.eps)) / slope);
      if (x !== guess && x > MIN_SIGMA && x < MAX_SIGMA) {
        const e = f(x);
        if (withinTarget(e, targetEpsilon, x)) hi = { x, eps: e };
        else lo = { x, eps: e };
      }
    }
  }
  while (!hi) {
    const x = Math.min(lo!.x * factor, MAX_SIGMA);
    const e = f(x);
    if (withinTarget(e, targetEpsilon, x)) hi = { x, eps: e };
    else if (x >= MAX_SIGMA) throw budgetTooLow(results.get(x)!);
    else lo = { x, eps: e };
    factor *= factor;
  }
  while (!lo) {
    const x = Math.max(hi.x / factor, MIN_SIGMA);
    const e = f(x);
    if (!withinTarget(e, targetEpsilon, x)) lo = { x, eps: e };
    else if (x <= MIN_SIGMA) {
      throw new PrivacyParameterError('targetEpsilon', `is met even at sigma=${MIN_SIGMA} (epsilon ${e}); no meaningful calibration`);
    } else hi = { x, eps: e };
    factor *= factor;
  }
  if (name === 'prv') ({ lo, hi } = acrossPrvGridLimit(lo, hi));

  const out = illinois(
    lo,
    hi,
    targetEpsilon,
    f,
    (l, h) => targetEpsilon - h.eps <= tol || h.x - l.x <= 1e-9 * h.x,
    (x) => x,
    targetEpsilon - tol / 2,
  );
  const warnings: string[] = [];
  if (targetEpsilon - out.hi.eps > tol) {
    warnings.push(`epsilon tolerance ${tol} not reached; sigma is bracketed to (${out.lo.x}, ${out.hi.x}]`);
    if (results.get(out.lo.x)?.fallback && !results.get(out.hi.x)?.fallback) {
      warnings.push(
        `sigma sits at the PRV grid limit of calibration (${CALIBRATION_PRV_MAX_DOMAIN_SIZE} points): below it only the RDP bound certifies epsilon, and it exceeds the target`,
      );
    }
  }
  const result = results.get(out.hi.x) ?? evaluateForCalibration(name, q, out.hi.x, steps, delta);
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
  assertTargetEpsilon(targetEpsilon);
  assertDelta(delta);
  assertSampleRate(q);
  assertNoiseMultiplier(sigma);
  const limit = options.limit ?? (name === 'prv' ? 1e7 : 1e9);
  assertSteps(limit, 'limit');

  let evals = 0;
  let f: (t: number) => number;
  const results = new Map<number, EpsilonResult>();
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
      const r = evaluate(name, q, sigma, t, delta);
      results.set(t, r);
      return r.epsilon;
    };
  }
  /** The caveats of the accountant's answer at t steps (e.g. a PRV → RDP fallback). */
  const warningsAt = (t: number) => results.get(t)?.warnings ?? [];

  const e1 = f(1);
  if (!withinTarget(e1, targetEpsilon, 1))
    return { steps: 0, epsilon: 0, epsilonNext: e1, accountant: name, evaluations: evals, warnings: warningsAt(1) };

  // below: ε ≤ target (allowed); above: ε > target.
  let below: Probe = { x: 1, eps: e1 };
  let above: Probe | null = null;
  const classify = (p: Probe) => {
    if (!withinTarget(p.eps, targetEpsilon, p.x)) {
      if (!above || p.x < above.x) above = p;
    } else if (p.x > below.x) below = p;
  };
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
    const slope =
      (Math.log(rdpEpsilon(q, sigma, Math.ceil(guess * 1.01), delta)) - Math.log(rdpEpsilon(q, sigma, guess, delta))) /
      Math.log(Math.ceil(guess * 1.01) / guess);
    if (slope > 0 && Number.isFinite(slope) && first.eps > 0 && Number.isFinite(first.eps)) {
      let next = Math.round(guess * Math.exp((Math.log(targetEpsilon) - Math.log(first.eps)) / slope));
      next = Math.min(limit, Math.max(1, next));
      if (next === guess) next = withinTarget(first.eps, targetEpsilon, guess) ? guess + 1 : guess - 1;
      if (next >= 1 && next <= limit) {
        classify({ x: next, eps: f(next) });
      }
    }
  }
  // Expand until something is above the target (or the limit is reached).
  let factor = name === 'rdp' ? 2 : 1.1;
  while (!above) {
    const x = Math.min(limit, Math.max(below.x + 1, Math.ceil(below.x * factor)));
    if (below.x >= limit) {
      return {
        steps: below.x,
        epsilon: below.eps,
        epsilonNext: null,
        accountant: name,
        evaluations: evals,
        warnings: [`search limit of ${limit} steps reached`, ...warningsAt(below.x)],
      };
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
  return {
    steps: out.hi.x,
    epsilon: out.hi.eps,
    epsilonNext: out.lo.eps,
    accountant: name,
    evaluations: evals,
    warnings: warningsAt(out.hi.x),
  };
}
