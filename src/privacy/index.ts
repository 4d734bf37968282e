/**
 * Privacy accounting for DP-SGD with Poisson sampling — public API.
 *
 * Which accountant when:
 * - Per training step (live ε curve): `RdpAccountant` — `step(q, σ)` and `getEpsilon(δ)` are
 *   O(#orders) (~150 numbers), microseconds. ε is a valid upper bound, typically 6–27% above the
 *   tightest value.
 * - Occasionally (end of epoch, final report, calibration): `PrvAccountant` — FFT composition with
 *   lower/estimate/upper; ε = upper is a guarantee within ~0.01 of the tightest value. Tens of
 *   milliseconds per call (more for very long runs); results are cached until the history changes.
 *   Where PRV cannot answer reliably (grid too large, ε in the hundreds, δ so small that rounding
 *   dominates) the result is the RDP bound, marked by `fallback` and a warning.
 * - `GdpAccountant` — CLT approximation; instant but can UNDERESTIMATE ε; always show its warning.
 * `PrivacyLedger` bundles them over one history: `step(q, σ)` → live RDP ε, `accurate()` → the chosen accountant (PRV by default).
 */
export * from './accountants/accountant';
export { RdpAccountant, DEFAULT_ORDERS } from './accountants/rdp';
export type { RdpAccountantOptions } from './accountants/rdp';
export { PrvAccountant } from './accountants/prv';
export type { PrvAccountantOptions } from './accountants/prv';
export { GdpAccountant, GDP_WARNING } from './accountants/gdp';
export { createAccountant, accountantFromJSON, isAccountantName } from './accountants/registry';
export type { AccountantByName } from './accountants/registry';
export { PrivacyLedger } from './ledger';
export type { LedgerState } from './ledger';
export { calibrateSigma, maxSteps, DEFAULT_EPSILON_TOLERANCE, MAX_SIGMA, MIN_SIGMA } from './calibrate';
export { EPSILON_MAX, SIGMA_MAX, SIGMA_MIN } from '../config/privacyBounds';
export type { CalibrateSigmaOptions, CalibrateSigmaResult, MaxStepsOptions, MaxStepsResult } from './calibrate';
export { PrivacyParameterError } from './validate';
export { computeRdp, getPrivacySpent } from './analysis/rdp';
export { computeMuPoisson, epsFromMu } from './analysis/gdp';
export { computePrvEpsilon, PrvUnsupportedError } from './analysis/prv';

export { resolveNoise, sampleRateFor, stepsFor } from './resolveNoise';
export type { NoisePlan } from './resolveNoise';
