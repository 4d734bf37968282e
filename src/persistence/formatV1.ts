import { privacyCaveats } from '../config/privacyCaveats';
import type { RunConfig } from '../config/runConfig';
import type { DatasetMeta } from '../domain/dataset';
import type { RunSummary } from '../domain/runSummary';
import { sampleRateFor } from '../privacy';
import type { StoredRunMeta } from './types';

/**
 * Runs as version 1 kept them (IndexedDB schema 1, exchange files of version 1), and their upgrade.
 * Version 1 stored what the engine announced of a run as loose fields of its metadata (dataset,
 * totalSteps, sigma, projectedEpsilon, notes); version 2 keeps it as one RunSummary. The facts
 * version 1 did not store (q, δ, accountant, caveats) follow from the run's config and dataset
 * exactly as the engine derives them, so the upgrade loses nothing.
 */
export interface RunMetaV1 extends Omit<StoredRunMeta, 'summary'> {
  dataset: DatasetMeta | null;
  totalSteps: number | null;
  sigma: number | null;
  projectedEpsilon: number | null;
  notes: string[];
}

/** The summary a version 1 run stands for; null for a run the engine never announced (or could not have). */
function summaryFromV1(
  v1: Pick<RunMetaV1, 'config' | 'dataset' | 'totalSteps' | 'sigma' | 'projectedEpsilon' | 'notes'>,
): RunSummary | null {
  const { config, dataset, totalSteps } = v1;
  // The engine announces a run only once its data is loaded, and never one whose batch exceeds the set.
  if (dataset === null || totalSteps === null || !(dataset.trainSize >= config.train.batchSize)) return null;
  const p: RunConfig['privacy'] = config.privacy;
  return {
    dataset,
    totalSteps,
    sigma: v1.sigma,
    privacy: {
      enabled: p.enabled,
      sampleRate: sampleRateFor(config.train.batchSize, dataset.trainSize),
      delta: p.delta,
      accountant: p.accountant,
      projectedEpsilon: v1.projectedEpsilon,
      notes: v1.notes,
      ...privacyCaveats(config),
    },
  };
}

/** A version 1 record in today's shape: the loose fields become the summary, the rest is kept as it is. */
export function metaFromV1(v1: RunMetaV1): StoredRunMeta {
  const { dataset: _d, totalSteps: _t, sigma: _s, projectedEpsilon: _e, notes: _n, ...rest } = v1;
  return { ...rest, summary: summaryFromV1(v1) };
}
