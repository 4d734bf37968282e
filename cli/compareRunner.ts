/**
 * Trains a Compare's runs in Node through the engine's RunController (trainRecorded, the loop the
 * playground's worker drives) and states its verdict with the same code as the playground's panel.
 * The Compare test and docs/lessons-lab/compare.ts (the measurement in docs/LESSONS.md) call it.
 */
import { planCompare, type CompareOptions, type ComparePlan } from '../src/compare/plan';
import { compareVerdict, finalsBySetting, type CompareVerdict } from '../src/compare/results';
import type { LessonRunRecord } from '../src/lessons/types';
import type { SeedSummary } from '../src/lessons/seedStats';
import { drainRunQueue } from '../src/sweep/runQueue';
import { trainRecorded } from './lessonRunner';

export interface CompareReport {
  plan: ComparePlan;
  records: LessonRunRecord[];
  finals: Map<string, SeedSummary>;
  verdict: CompareVerdict;
  seconds: number;
}

/** Trains every run of the Compare `options` describe, in order (through the sweep's run queue); throws naming a run that failed. */
export async function measureCompare(
  options: CompareOptions,
  onRun?: (r: LessonRunRecord, index: number, total: number) => void,
): Promise<CompareReport> {
  const started = performance.now();
  const plan = planCompare(options);
  // One run at a time (Node's CPU backend gains nothing from more), in plan order; the first failure stops the rest.
  const stop = new AbortController();
  let trained = 0;
  const settled = await drainRunQueue(
    plan.runs,
    1,
    async (run) => {
      const record = await trainRecorded(run.setting, run.seed, run.config, 'compare').catch((e: unknown) => {
        stop.abort();
        throw e;
      });
      onRun?.(record, ++trained, plan.runs.length);
      return record;
    },
    stop.signal,
  );
  const records = settled.flatMap((s) => {
    if (s?.outcome === 'failed') throw s.error;
    return s ? [s.value] : [];
  });
  const finals = finalsBySetting(
    records.map((r) => {
      if (r.finalTestAccuracy === null) throw new Error(`compare: run "${r.label}" (seed ${r.seed}) has no test accuracy`);
      return { setting: r.label, points: [{ step: r.steps, testAcc: r.finalTestAccuracy }] };
    }),
  );
  return { plan, records, finals, verdict: compareVerdict(plan.settings, finals), seconds: (performance.now() - started) / 1000 };
}
