/**
 * Every numeric entry point of src/privacy with NaN, ±∞ and huge inputs, and what it must do: throw
 * an error that names the problem, or return its documented limit. nonFinite.test.ts runs these in a
 * child process with a deadline (runNonFiniteCases.ts), so a routine that loops fails the test
 * instead of hanging the suite.
 */
import type { EpsilonResult } from '../accountants/accountant';
import { createAccountant } from '../accountants/registry';
import { calibrateSigma, maxSteps } from '../calibrate';
import { computeEpsPoisson, computeMuPoisson, epsFromMu } from '../analysis/gdp';
import {
  composeHeterogeneous,
  computeEpsilonBounds,
  computeEpsilonBoundsFromSpectrum,
  computePrvEpsilon,
  createAlignedDomain,
  PoissonSubsampledGaussianPRV,
} from '../analysis/prv';
import { adaptiveSimpson } from '../analysis/prv/prvs';
import { goodFftSize } from '../analysis/prv/realFft';
import { computeRdp, computeRdpSingle, getPrivacySpent } from '../analysis/rdp';
import { erfc, erfcx, logAdd, logErfc, logNdtr, logSub, normCdf } from '../analysis/special';
import { illinois, withinTarget } from '../search';

export type Expectation =
  | { throws: RegExp }
  /** A number: its exact value (NaN is never expected). */
  | { equals: number }
  | { finiteAtLeast: number; atMost?: number }
  /** An accountant result whose ε is finite and which says it fell back to RDP. */
  | { rdpFallback: true };

export interface NonFiniteCase {
  name: string;
  run: () => unknown;
  expect: Expectation;
}

const grid = { size: 8, dt: 0.1, c: 3, shift: 0 };
const prvResult = (q: number, sigma: number, steps: number, delta = 1e-5): EpsilonResult =>
  createAccountant('prv').step(q, sigma, steps).getEpsilon(delta);

export const NON_FINITE_CASES: NonFiniteCase[] = [
  // Special functions: limits at ±∞, NaN refused.
  { name: 'erfc(NaN)', run: () => erfc(NaN), expect: { throws: /erfc: NaN/ } },
  { name: 'erfc(+∞)', run: () => erfc(Infinity), expect: { equals: 0 } },
  { name: 'erfc(−∞)', run: () => erfc(-Infinity), expect: { equals: 2 } },
  { name: 'erfcx(NaN)', run: () => erfcx(NaN), expect: { throws: /erfcx: NaN/ } },
  { name: 'erfcx(+∞)', run: () => erfcx(Infinity), expect: { equals: 0 } },
  { name: 'logErfc(NaN)', run: () => logErfc(NaN), expect: { throws: /logErfc: NaN/ } },
  { name: 'logErfc(1e300)', run: () => logErfc(1e300), expect: { equals: -Infinity } },
  { name: 'logNdtr(NaN)', run: () => logNdtr(NaN), expect: { throws: /logNdtr: NaN/ } },
  { name: 'normCdf(NaN)', run: () => normCdf(NaN), expect: { throws: /erfc: NaN/ } },
  { name: 'logAdd(NaN, 0)', run: () => logAdd(NaN, 0), expect: { throws: /logAdd: NaN/ } },
  { name: 'logAdd(+∞, +∞)', run: () => logAdd(Infinity, Infinity), expect: { equals: Infinity } },
  { name: 'logSub(NaN, 0)', run: () => logSub(NaN, 0), expect: { throws: /logSub: undefined/ } },
  { name: 'logSub(+∞, +∞)', run: () => logSub(Infinity, Infinity), expect: { throws: /logSub: undefined/ } },

  // RDP.
  { name: 'computeRdpSingle(q = NaN)', run: () => computeRdpSingle(NaN, 1, 2), expect: { throws: /sample rate/ } },
  { name: 'computeRdpSingle(σ = NaN)', run: () => computeRdpSingle(0.1, NaN, 2), expect: { throws: /noise multiplier/ } },
  { name: 'computeRdpSingle(α = NaN)', run: () => computeRdpSingle(0.1, 1, NaN), expect: { throws: /order/ } },
  {
    name: 'computeRdpSingle(α = 1e308), an integer order the sum would loop over',
    run: () => computeRdpSingle(0.1, 1, 1e308),
    expect: { throws: /order must be in/ },
  },
  { name: 'computeRdpSingle(σ = +∞) is 0', run: () => computeRdpSingle(0.1, Infinity, 2.5), expect: { equals: 0 } },
  { name: 'computeRdpSingle(σ = 1e-200) is +∞ (no privacy)', run: () => computeRdpSingle(0.1, 1e-200, 2.5), expect: { equals: Infinity } },
  {
    name: 'computeRdpSingle(σ = 1e308, fractional order)',
    run: () => computeRdpSingle(0.1, 1e308, 2.5),
    expect: { finiteAtLeast: 0, atMost: 1e-12 },
  },
  {
    name: 'computeRdpSingle(q = 0.5, σ = 1e5), where the series stops converging',
    run: () => computeRdpSingle(0.5, 1e5, 1.1),
    expect: { finiteAtLeast: 0, atMost: 1e-9 },
  },
  {
    name: 'computeRdpSingle(q = 0.01, σ = 1e8), where the series cancels to rounding',
    run: () => computeRdpSingle(0.01, 1e8, 1.5),
    expect: { finiteAtLeast: 0, atMost: 1e-9 },
  },
  { name: 'computeRdp(steps = +∞)', run: () => computeRdp(0.1, 1, Infinity), expect: { throws: /steps must be a finite number/ } },
  { name: 'computeRdp(σ = 1e-200, 0 steps) spends nothing', run: () => Math.max(...computeRdp(0.1, 1e-200, 0)), expect: { equals: 0 } },
  { name: 'getPrivacySpent(rdp = NaN)', run: () => getPrivacySpent([2], [NaN], 1e-5), expect: { throws: /order 2 is NaN/ } },
  { name: 'getPrivacySpent(order = NaN)', run: () => getPrivacySpent([NaN], [1], 1e-5), expect: { throws: /orders must be finite/ } },
  { name: 'getPrivacySpent(δ = NaN)', run: () => getPrivacySpent([2], [1], NaN), expect: { throws: /delta must be in/ } },
  { name: 'getPrivacySpent(rdp = +∞) is +∞', run: () => getPrivacySpent([2], [Infinity], 1e-5).epsilon, expect: { equals: Infinity } },

  // GDP.
  { name: 'computeMuPoisson(σ = NaN)', run: () => computeMuPoisson(10, NaN, 0.1), expect: { throws: /GDP: need/ } },
  { name: 'computeMuPoisson(steps = +∞)', run: () => computeMuPoisson(Infinity, 1, 0.1), expect: { throws: /GDP: need/ } },
  { name: 'epsFromMu(μ = NaN)', run: () => epsFromMu(NaN, 1e-5), expect: { throws: /mu must be/ } },
  { name: 'epsFromMu(δ = NaN), which bisected to 0 before', run: () => epsFromMu(1, NaN), expect: { throws: /delta must be in/ } },
  { name: 'epsFromMu(μ = +∞) is +∞', run: () => epsFromMu(Infinity, 1e-5), expect: { equals: Infinity } },
  { name: 'computeEpsPoisson(σ = 1e308) is 0', run: () => computeEpsPoisson(100, 1e308, 0.01, 1e-5), expect: { equals: 0 } },

  // PRV building blocks.
  {
    name: 'PoissonSubsampledGaussianPRV(σ = NaN)',
    run: () => new PoissonSubsampledGaussianPRV(0.1, NaN),
    expect: { throws: /noise multiplier must be a finite/ },
  },
  {
    name: 'PoissonSubsampledGaussianPRV(σ = +∞)',
    run: () => new PoissonSubsampledGaussianPRV(0.1, Infinity),
    expect: { throws: /noise multiplier must be a finite/ },
  },
  {
    name: 'PoissonSubsampledGaussianPRV(σ = 1e308), whose σ² overflows',
    run: () => new PoissonSubsampledGaussianPRV(0.1, 1e308),
    expect: { throws: /outside the floating-point range/ },
  },
  { name: 'PoissonSubsampledGaussianPRV(q = NaN)', run: () => new PoissonSubsampledGaussianPRV(NaN, 1), expect: { throws: /sample rate/ } },
  {
    name: 'adaptiveSimpson of a NaN integrand (recursed through 2^48 intervals before)',
    run: () => adaptiveSimpson(() => NaN, 0, 1, 1e-15),
    expect: { throws: /integrand is NaN/ },
  },
  {
    name: 'adaptiveSimpson of a ±∞ integrand',
    run: () => adaptiveSimpson((t) => 1 / (t - 0.5), 0, 1, 1e-15),
    expect: { throws: /integrand is (-)?Infinity/ },
  },
  {
    name: 'adaptiveSimpson that never meets its tolerance stops at its evaluation cap',
    run: () => adaptiveSimpson((t) => Math.sin(1e6 * t), 0, 1, 1e-15),
    expect: { throws: /did not converge within/ },
  },
  { name: 'adaptiveSimpson on [0, +∞)', run: () => adaptiveSimpson(() => 1, 0, Infinity, 1e-15), expect: { throws: /finite bounds/ } },
  { name: 'goodFftSize(+∞)', run: () => goodFftSize(Infinity), expect: { throws: /goodFftSize/ } },
  { name: 'goodFftSize(NaN)', run: () => goodFftSize(NaN), expect: { throws: /goodFftSize/ } },
  { name: 'createAlignedDomain(L = +∞)', run: () => createAlignedDomain(Infinity, 0.1, 2 ** 23), expect: { throws: /invalid L/ } },
  { name: 'createAlignedDomain(dt = NaN)', run: () => createAlignedDomain(10, NaN, 2 ** 23), expect: { throws: /invalid L/ } },
  {
    name: 'composeHeterogeneous(count = +∞), where binary exponentiation would never end',
    run: () => composeHeterogeneous([{ pmf: new Float64Array(8).fill(1 / 8), offset: 0, domain: grid }], [Infinity]),
    expect: { throws: /counts must be non-negative integers/ },
  },
  {
    name: 'computeEpsilonBounds of a NaN distribution',
    run: () => computeEpsilonBounds({ pmf: new Float64Array(8).fill(NaN), offset: 0, domain: grid }, 1e-3, 1e-6, 0.01),
    expect: { throws: /delta\(epsilon\) is NaN/ },
  },
  {
    name: 'computeEpsilonBoundsFromSpectrum of a NaN spectrum',
    run: () =>
      computeEpsilonBoundsFromSpectrum({ spectrum: new Float64Array(10).fill(NaN), band: 5, rotation: 0, domain: grid }, 1e-3, 1e-6, 0.01),
    expect: { throws: /delta\(epsilon\) is NaN/ },
  },
  {
    name: 'computePrvEpsilon(σ = 1e308)',
    run: () => computePrvEpsilon([{ q: 0.01, sigma: 1e308, steps: 100 }], 1e-5),
    expect: { throws: /outside the floating-point range/ },
  },
  {
    name: 'computePrvEpsilon(δ = NaN)',
    run: () => computePrvEpsilon([{ q: 0.01, sigma: 1, steps: 100 }], NaN),
    expect: { throws: /deltaError must be in/ },
  },

  // Accountants.
  {
    name: 'σ ≥ ~6.4e307 with PRV hangs forever: PRV at σ = 1e308 falls back to RDP',
    run: () => prvResult(0.01, 1e308, 100),
    expect: { rdpFallback: true },
  },
  { name: 'PRV at σ = 1e200', run: () => prvResult(0.01, 1e200, 100), expect: { rdpFallback: true } },
  {
    name: 'RDP accountant at σ = 1e308 gives its floor',
    run: () => createAccountant('rdp').step(0.5, 1e308, 100).getEpsilon(1e-5).epsilon,
    expect: { finiteAtLeast: 0.1, atMost: 0.11 },
  },
  { name: 'accountant step(σ = NaN)', run: () => createAccountant('prv').step(0.01, NaN), expect: { throws: /noiseMultiplier/ } },
  { name: 'accountant step(σ = +∞)', run: () => createAccountant('rdp').step(0.01, Infinity), expect: { throws: /noiseMultiplier/ } },
  {
    name: 'accountant step(n = +∞)',
    run: () => createAccountant('gdp').step(0.01, 1, Infinity),
    expect: { throws: /n: must be a non-negative integer/ },
  },
  {
    name: 'accountant getEpsilon(δ = NaN)',
    run: () => createAccountant('prv').step(0.01, 1, 10).getEpsilon(NaN),
    expect: { throws: /delta/ },
  },

  // Calibration and its search.
  {
    name: 'calibrateSigma(target ε = NaN)',
    run: () => calibrateSigma({ targetEpsilon: NaN, delta: 1e-5, sampleRate: 0.01, steps: 100, accountant: 'prv' }),
    expect: { throws: /targetEpsilon/ },
  },
  {
    name: 'calibrateSigma(target ε = +∞)',
    run: () => calibrateSigma({ targetEpsilon: Infinity, delta: 1e-5, sampleRate: 0.01, steps: 100, accountant: 'prv' }),
    expect: { throws: /targetEpsilon/ },
  },
  {
    name: 'calibrateSigma(target ε = 1e308), which stalled for ~50 s',
    run: () => calibrateSigma({ targetEpsilon: 1e308, delta: 1e-5, sampleRate: 0.01, steps: 100, accountant: 'prv' }),
    expect: { throws: /targetEpsilon: must be ≤ 100/ },
  },
  {
    name: 'calibrateSigma(δ = NaN)',
    run: () => calibrateSigma({ targetEpsilon: 1, delta: NaN, sampleRate: 0.01, steps: 100 }),
    expect: { throws: /delta/ },
  },
  {
    name: 'calibrateSigma(steps = +∞)',
    run: () => calibrateSigma({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.01, steps: Infinity }),
    expect: { throws: /steps/ },
  },
  {
    name: 'maxSteps(σ = NaN)',
    run: () => maxSteps({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.01, noiseMultiplier: NaN }),
    expect: { throws: /noiseMultiplier/ },
  },
  {
    name: 'maxSteps(target ε = 1e308)',
    run: () => maxSteps({ targetEpsilon: 1e308, delta: 1e-5, sampleRate: 0.01, noiseMultiplier: 1 }),
    expect: { throws: /targetEpsilon: must be ≤ 100/ },
  },
  {
    name: 'maxSteps(σ = 1e308) reaches its search limit',
    run: () => maxSteps({ targetEpsilon: 1, delta: 1e-5, sampleRate: 0.01, noiseMultiplier: 1e308, limit: 1000 }).steps,
    expect: { equals: 1000 },
  },
  { name: 'withinTarget(NaN)', run: () => withinTarget(NaN, 1, 0.5), expect: { throws: /epsilon is NaN at 0.5/ } },
  {
    name: 'the root search on an accountant that answers NaN',
    run: () =>
      illinois(
        { x: 1, eps: 2 },
        { x: 2, eps: 0.5 },
        1,
        () => NaN,
        () => false,
        (x) => x,
      ),
    expect: { throws: /epsilon is NaN/ },
  },
];

/** One case's outcome as the child process reports it (numbers as strings, so NaN and ±∞ survive JSON). */
export type Outcome = { name: string; error: string } | { name: string; value: string; fallback?: boolean };

export function outcomeOf(name: string, run: () => unknown): Outcome {
  try {
    const v = run();
    if (typeof v === 'number') return { name, value: String(v) };
    if (v && typeof v === 'object' && 'epsilon' in v) {
      const r = v as EpsilonResult;
      return {
        name,
        value: String(r.epsilon),
        fallback: r.fallback?.accountant === 'rdp' && r.warnings.some((w) => /RDP upper bound instead/.test(w)),
      };
    }
    return { name, value: typeof v };
  } catch (e) {
    return { name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Why an outcome does not meet its expectation, or null when it does. */
export function mismatch(expectation: Expectation, o: Outcome): string | null {
  if ('throws' in expectation) {
    if (!('error' in o)) return `expected an error matching ${expectation.throws}, got ${o.value}`;
    return expectation.throws.test(o.error) ? null : `expected an error matching ${expectation.throws}, got '${o.error}'`;
  }
  if ('error' in o) return `expected a value, got '${o.error}'`;
  const x = Number(o.value);
  if ('equals' in expectation) return Object.is(x, expectation.equals) ? null : `expected ${expectation.equals}, got ${o.value}`;
  if ('finiteAtLeast' in expectation) {
    const ok = Number.isFinite(x) && x >= expectation.finiteAtLeast && x <= (expectation.atMost ?? Infinity);
    return ok ? null : `expected a finite value in [${expectation.finiteAtLeast}, ${expectation.atMost ?? '∞'}], got ${o.value}`;
  }
  return Number.isFinite(x) && o.fallback
    ? null
    : `expected a finite epsilon flagged as an RDP fallback, got ${o.value} (fallback: ${o.fallback})`;
}
