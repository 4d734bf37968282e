/**
 * Root search on a monotone ε curve, shared by calibration (ε falls with σ) and maxSteps (ε grows
 * with steps): the Illinois variant of regula falsi in log–log coordinates, where ε ≈ c·x^±p is
 * nearly linear. A probe's side is decided by `eps <= target`, so a NaN can never pass for "within
 * the budget": the search throws on one instead.
 */

export interface Probe {
  x: number;
  eps: number;
}

/** True when ε is within the target; NaN throws (it is no answer, and no comparison may accept it). */
export function withinTarget(eps: number, target: number, x: number): boolean {
  if (Number.isNaN(eps)) throw new RangeError(`epsilon is NaN at ${x}; the accountant cannot answer there`);
  return eps <= target;
}

/**
 * Illinois regula falsi between lo (ε > target) and hi (ε ≤ target) on y = log ε − log target
 * against log x. `done(lo, hi)` ends the search; `propose` may round the proposal (integers); at most
 * `maxIter` evaluations.
 */
export function illinois(
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
    if (!withinTarget(e, target, x)) {
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
