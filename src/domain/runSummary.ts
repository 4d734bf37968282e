import type { PrivacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import type { DatasetMeta } from './dataset';

/** The privacy facts of a run, fixed once its data is loaded and its σ known. */
export interface RunPrivacyFacts extends PrivacyCaveats {
  enabled: boolean;
  /** Poisson sample rate q = B/N. */
  sampleRate: number;
  delta: number;
  accountant: RunConfig['privacy']['accountant'];
  /** ε the accountant gives at the planned number of steps; null without privacy. */
  projectedEpsilon: number | null;
  /** Calibration results and caveats of the privacy plan, for the user. */
  notes: string[];
}

/**
 * What a run is once the engine has loaded its data and planned its privacy. The engine announces it
 * (the 'created' event), persistence keeps it with the run, the UI and the CLI show it.
 */
export interface RunSummary {
  dataset: DatasetMeta;
  /** Steps the config asks for (a hard privacy budget may stop the run earlier). */
  totalSteps: number;
  /** Noise multiplier in use (calibrated when the config asks for a target ε); null for a non-private run. */
  sigma: number | null;
  privacy: RunPrivacyFacts;
}
