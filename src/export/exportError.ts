import { PrivacyParameterError } from '../privacy/validate';

/**
 * A config, or data sizes, that a script cannot be written for. `reason` names the field (as the
 * run config spells it); callers show it as they show other config errors (the CLI as a usage error).
 */
export class ExportError extends RangeError {
  readonly reason: string;
  constructor(reason: string) {
    super(`export: ${reason}`);
    this.name = 'ExportError';
    this.reason = reason;
  }
}

/** The run-config field behind each parameter the privacy code names in its errors. */
const CONFIG_FIELD: Record<string, string> = {
  targetEpsilon: 'privacy.noise.epsilon',
  noiseMultiplier: 'privacy.noise.sigma',
  delta: 'privacy.delta',
  sampleRate: 'train.batchSize',
  steps: 'train.epochs',
};

/** `f()`, with a privacy parameter error restated for the config field it comes from. */
export function namingConfigFields<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof PrivacyParameterError)) throw e;
    const field = CONFIG_FIELD[e.param] ?? `privacy (${e.param})`;
    throw new ExportError(`invalid config: ${field}${e.message.slice(e.param.length)}`);
  }
}
