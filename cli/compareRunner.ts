/**
 * Trains a Compare's runs in Node through the engine's RunController (trainRecorded, the loop the
 * playground's worker drives) and states its verdict with the same code as the playground's panel.
 * The Compare test and docs/lessons-lab/compare.ts (the measurement in docs/LESSONS.md) call it.
 */
import { planCompare, type CompareOptions, type ComparePlan } from '../src/compare/plan';
import { compareVerdict, finalsBySetting, type CompareVerdict } from '../src/compare/results';
import type { LessonRunRecord } from '../src/lessons/types';
import type { SeedSummary } from '../src/lessons/seedStats';
import { trainRecorded } from './lessonRunner';

export interface CompareReport {
  plan: ComparePlan;
  records: LessonRunRecord[];
  finals: Map<string, SeedSummary>;
  verdict: CompareVerdict;
  seconds: number;
}

/** Trains every run of the Compare `options` describe, in order; throws naming a run that failed. */
export async function measureCompare(
  options: CompareOptions,
  onRun?: (r: LessonRunRecord, index: number, total: number) => void,
): Promise<CompareReport> {
  const started = performance.now();
  const plan = planCompare(options);
  const records: LessonRunRecord[] = [];
  for (const run of plan.runs) {
    const record = await trainRecorded(run.setting, run.seed, run.config, 'compare');
    records.push(record);
    onRun?.(record, records.length, plan.runs.length);
  }
  const finals = finalsBySetting(
    records.map((r) => {
      if (r.finalTestAccuracy === null) throw new Error(`compare: run "${r.label}" (seed ${r.seed}) has no test accuracy`);
      return { setting: r.label, points: [{ step: r.steps, testAcc: r.finalTestAccuracy }] };
    }),
  );
  return { plan, records, finals, verdict: compareVerdict(plan.settings, finals), seconds: (performance.now() - started) / 1000 };
}
