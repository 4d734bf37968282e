/**
 * The range of noise multipliers and target ε the accountants answer meaningfully, shared by the
 * run-config schema, the CLI and calibration (measurements in docs/PRIVACY.md, "Supported ranges"):
 *
 * - σ ≥ 0.01: below it every accountant's ε exceeds 5000 for a single step (GDP's e^{1/σ²} overflows
 *   below 0.038 and reports ∞; PRV's privacy loss leaves its range and it falls back to RDP).
 * - σ ≤ 1e4: there ε is within 0.03 of each accountant's floor (PRV: its ε_err 0.01; RDP: what its
 *   orders can certify, 0.10 at δ = 1e-5) for q·√steps up to 100, and the RDP series are reaching
 *   their rounding (the smallest orders are off by tens of percent at 1e4, by 100× at 1e5).
 * - target ε ≤ 100: e^100 is no privacy to speak of; PRV answers up to about ε = 150, and calibrating
 *   at the bound takes seconds.
 */
export const SIGMA_MIN = 0.01;
export const SIGMA_MAX = 1e4;
export const EPSILON_MAX = 100;
