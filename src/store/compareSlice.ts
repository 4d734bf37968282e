import { COMPARE_DEFAULTS, planCompare, type CompareOptions, type ComparePlan } from '../compare/plan';
import type { AccuracyPoint } from '../compare/results';
import type { WorkerEvent } from '../protocol/messages';
import { createRunQueue, type RunQueue } from '../sweep/runQueue';
import { cancelInWorker, endInWorker, foldActiveRunEvents, launchInWorker } from './backgroundRuns';
import type { ConfigSlice } from './configSlice';
import { newCompareRunId } from './ids';
import type { CommandSink, GetState, SetState } from './sliceTypes';

/** Compare's runs trained at once: the worker interleaves their steps; more only splits the same GPU. */
export const COMPARE_CONCURRENCY = 2;

interface CompareRunState {
  setting: string;
  seed: number;
  /** Test accuracy at each evaluation so far. */
  points: AccuracyPoint[];
  /** Steps trained so far (progress between evaluations). */
  step: number;
  /** How the run ended; 'open' until then (whether it waits or trains is the queue's: pending or active). */
  status: 'open' | 'done' | 'failed';
  message?: string;
}

/** A Compare in progress or finished: the plan, each planned run (same order as plan.runs), and their queue (of indices in `runs`). */
export interface Comparison extends RunQueue<number> {
  plan: ComparePlan;
  runs: CompareRunState[];
  startedAt: number;
}

export interface CompareSlice {
  /** What the next Compare runs (the panel edits it). */
  compareOptions: CompareOptions;
  setCompareOptions(changes: Partial<CompareOptions>): void;
  comparison: Comparison | null;
  compareError: string | null;
  /** Plans and starts a Compare (each setting on 3 seeds, a few runs at a time); refused with a reason when the options are bad. */
  startCompare(): void;
  cancelCompare(): void;
}

function launchNext(c: Comparison, sink: CommandSink): Comparison {
  const queue = launchInWorker(c, sink, newCompareRunId, (index) => {
    const planned = c.plan.runs[index];
    return { config: planned.config, display: { label: `${planned.setting} · seed ${planned.seed}`, color: '#6b7280' } };
  });
  return { ...c, ...queue };
}

/** Folds worker events for Compare's runs into the comparison (starting the next runs); null when none concerned it. */
function compareEvents(c: Comparison, events: readonly WorkerEvent[], sink: CommandSink): Comparison | null {
  return foldActiveRunEvents(c, events, (next, e, index, outcome) => {
    const run = next.runs[index];
    let updated: CompareRunState | null = null;
    if (e.type === 'metrics') {
      const evaluated = e.points.filter((p) => p.testAcc !== undefined).map((p) => ({ step: p.step, testAcc: p.testAcc! }));
      updated = {
        ...run,
        step: e.points[e.points.length - 1]?.step ?? run.step,
        points: evaluated.length ? [...run.points, ...evaluated] : run.points,
      };
    } else if (outcome === 'done') {
      updated = { ...run, status: 'done' };
    } else if (outcome === 'failed') {
      updated = { ...run, status: 'failed', message: ('message' in e ? e.message : undefined) ?? 'the run failed' };
    }
    if (!updated) return next;
    const runs = [...next.runs];
    runs[index] = updated;
    const folded: Comparison = { ...next, runs };
    const ended = outcome && endInWorker(folded, e.runId, outcome, sink);
    return ended ? launchNext({ ...folded, ...ended.queue }, sink) : folded;
  });
}

type Deps = CompareSlice & Pick<ConfigSlice, 'draft'>;

export function createCompareSlice(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink): CompareSlice {
  return {
    compareOptions: COMPARE_DEFAULTS,
    setCompareOptions: (changes) => set((s) => ({ compareOptions: { ...s.compareOptions, ...changes } })),
    comparison: null,
    compareError: null,
    startCompare() {
      const s = get();
      if (s.comparison?.status === 'running') return;
      let plan: ComparePlan;
      try {
        // Secure randomness follows the playground's setting: Compare never turns it off behind the user's back.
        plan = planCompare({ ...s.compareOptions, secureNoise: s.draft.privacy.secureNoise });
      } catch (e) {
        set({ compareError: e instanceof Error ? e.message : String(e) });
        return;
      }
      const runs = plan.runs.map((r) => ({ setting: r.setting, seed: r.seed, points: [], step: 0, status: 'open' as const }));
      const fresh: Comparison = {
        plan,
        runs,
        startedAt: Date.now(),
        ...createRunQueue(
          runs.map((_, i) => i),
          COMPARE_CONCURRENCY,
        ),
      };
      set({ comparison: launchNext(fresh, sink), compareError: null });
    },
    cancelCompare() {
      const c = get().comparison;
      if (!c || c.status !== 'running') return;
      set({ comparison: { ...c, ...cancelInWorker(c, sink) } });
    },
  };
}

/** Folds a frame of worker events into the running Compare; nothing when none concern it. */
export function applyCompareEvents(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, events: readonly WorkerEvent[]): void {
  const c = get().comparison;
  const next = c && compareEvents(c, events, sink);
  if (next) set({ comparison: next });
}
