/**
 * The range of noise multipliers and target ε the accountants answer meaningfully, shared by the
 * run-config schema, the CLI and calibration (measurements in docs/PRIVACY.md, "Supported ranges"):
 *
 * - σ ≥ 0.01: below it every accountant's ε exceeds 5000 for a single step (GDP's e^{1/σ²} overflows
 *   below 0.038 and reports ∞; PRV's domain leaves the floating-point range and falls back to RDP).
 * - σ ≤ 1e4: beyond it the RDP series lose their digits to cancellation (the q = 0.5 series stops
 *   converging at 1.8e4) while ε has reached its floor in every accountant (PRV: its ε_err 0.01; RDP:
 *   what the order grid can certify, 0.10 at δ = 1e-5) except for full-batch runs of 10^4 steps or more.
 * - target ε ≤ 100: e^100 is no privacy to speak of; PRV stays inside its grid limit there for the
 *   configurations the schema allows, so calibration at the bound takes seconds.
 */
export const SIGMA_MIN = 0.01;
export const SIGMA_MAX = 1e4;
export const EPSILON_MAX = 100;
