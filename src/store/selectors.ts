import { parseRunConfig, type RunConfig } from '../config/runConfig';
import { stepBudgetIssues } from '../config/stepBudget';
import { datasetSizes, type DatasetSizes } from '../data/sizes';
import type { MetricPoint } from '../domain/metricPoint';
import type { ConfigSlice } from './configSlice';
import type { DataSlice, ImportedDataset } from './dataSlice';
import type { RunView } from './runView';
import type { RunsSlice } from './runsSlice';

// ---------- selectors: derived values are computed, not stored ----------

type Runs = Pick<RunsSlice, 'runs' | 'order' | 'activeRunId'>;
type Draft = Pick<ConfigSlice, 'draft'> & Pick<DataSlice, 'imported'>;

export const selectOrderedRuns = (s: Runs): RunView[] => s.order.map((id) => s.runs[id]);

export const selectActiveRun = (s: Runs): RunView | undefined => (s.activeRunId ? s.runs[s.activeRunId] : undefined);

/** Latest value of an optional metric (accuracy and ε are not computed at every step). */
export function lastDefined(points: readonly MetricPoint[], key: 'trainAcc' | 'testAcc' | 'epsilon' | 'testLoss'): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = points[i][key];
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * ε a private run has spent, as the summary and the runs table show it: the accountant's latest value,
 * never below what steps released before a rewind spent; the live RDP bound (`bound: true`) before the
 * accountant's first value. Undefined for a non-private run or before any step.
 */
export function selectEpsilonSpent(run: RunView): { value: number; bound: boolean } | undefined {
  if (!run.config.privacy.enabled) return undefined;
  const accountant = lastDefined(run.metrics, 'epsilon');
  const floor = run.epsilonFloor;
  if (accountant !== undefined || floor !== undefined) return { value: Math.max(accountant ?? 0, floor ?? 0), bound: false };
  const rdp = run.metrics[run.metrics.length - 1]?.epsilonRdp;
  return rdp === undefined ? undefined : { value: rdp, bound: true };
}

/** Sizes of the draft's data (training set N, input shape), when the page can know them before the worker loads it. */
export function selectDraftSizes(s: Draft): DatasetSizes | null {
  return datasetSizes(s.draft.data, (id) => s.imported.find((i) => i.id === id)?.meta);
}

/** Training-set size the draft will use, when known before the worker loads the data (a number: stable for React's selectors). */
export const draftTrainSize = (s: Draft): number | undefined => selectDraftSizes(s)?.trainSize;

/**
 * Everything that stops the draft from starting, one message per problem naming the setting: the
 * schema's checks plus the ones that need the data (batch size vs N, CNN on non-image data).
 */
export function selectDraftProblems(s: Draft): string[] {
  // Subscribed components re-run this on every store update (every frame of metrics while training);
  // the answer depends only on the draft and the imported sets, so validate once per change of those.
  if (problemsCache && problemsCache.draft === s.draft && problemsCache.imported === s.imported) return problemsCache.problems;
  const problems = draftProblems(s);
  problemsCache = { draft: s.draft, imported: s.imported, problems };
  return problems;
}

let problemsCache: { draft: RunConfig; imported: ImportedDataset[]; problems: string[] } | null = null;

function draftProblems(s: Draft): string[] {
  const check = parseRunConfig(s.draft);
  const problems = check.ok ? [] : [...check.errors];
  const sizes = selectDraftSizes(s);
  if (sizes && s.draft.train.batchSize > sizes.trainSize) {
    problems.push(`Batch size ${s.draft.train.batchSize} is larger than the training set (${sizes.trainSize} examples).`);
  }
  if (s.draft.model.preset === 'cnn' && sizes && sizes.inputShape.length !== 3) {
    problems.push('The CNN needs image data (MNIST or an imported image set); use the MLP for 2D and tabular sets.');
  }
  // The schema checked model size and work per step for built-in sets; imported ones are known here.
  if (sizes && s.draft.data.source === 'imported')
    problems.push(...stepBudgetIssues(s.draft.model, s.draft.train.batchSize, sizes.inputShape, sizes.numClasses).map((i) => i.message));
  return problems;
}
