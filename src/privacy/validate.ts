/**
 * Parameter checks shared by the accountants, calibration and the CLI. Every error names the
 * offending parameter and value.
 */

/** A privacy parameter out of its domain; `param` names it (e.g. "sampleRate"). */
export class PrivacyParameterError extends RangeError {
  readonly param: string;
  constructor(param: string, message: string) {
    super(`${param}: ${message}`);
    this.name = 'PrivacyParameterError';
    this.param = param;
  }
}

export function assertSampleRate(q: number, param = 'sampleRate'): void {
  if (typeof q !== 'number' || !(q > 0 && q <= 1)) throw new PrivacyParameterError(param, `must be in (0, 1], got ${q}`);
}

export function assertNoiseMultiplier(sigma: number, param = 'noiseMultiplier'): void {
  if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma))
    throw new PrivacyParameterError(param, `must be a finite number > 0, got ${sigma}`);
}

export function assertSteps(steps: number, param = 'steps'): void {
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0)
    throw new PrivacyParameterError(param, `must be a non-negative integer, got ${steps}`);
}

export function assertDelta(delta: number, param = 'delta'): void {
  if (typeof delta !== 'number' || !(delta > 0 && delta < 1)) throw new PrivacyParameterError(param, `must be in (0, 1), got ${delta}`);
}

export function assertEpsilon(eps: number, param = 'targetEpsilon'): void {
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps))
    throw new PrivacyParameterError(param, `must be a finite number > 0, got ${eps}`);
}
