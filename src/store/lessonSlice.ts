import { lessonByName, type Lesson, type LessonOutcome, type LessonRunRecord } from '../lessons';
import { extraSeedRuns, LESSON_EXTRA_SEEDS, presetSeedRuns } from '../lessons/seedRuns';
import type { RunConfig } from '../config/runConfig';
import type { SweepGridDraft } from '../config/urlCodec';
import type { RunId } from '../domain/run';
import type { WorkerEvent } from '../protocol/messages';
import { lessonSeedsEvents, startLessonSeeds, stopLessonSeeds, type LessonSeeds } from './lessonSeeds';
import type { LaunchSpec } from './runsSlice';
import type { RunView } from './runView';
import { lastDefined } from './selectors';
import type { CommandSink, GetState, SetState } from './sliceTypes';

/**
 * The open lesson (docs/LESSONS.md): which one, the step the student is on, and the runs it launched.
 * "Train lesson runs" trains each of its runs on the preset's seed (in the runs table and the charts)
 * and states the outcome for that seed; then the same runs train on the next seeds in the background,
 * and the outcome is stated over all of them, as `autoclip lesson` states it.
 */
export interface OpenLesson {
  name: string;
  step: number;
  /** Run label → the run launched for it (empty until "Train lesson runs"). */
  runIds: Record<string, RunId>;
  /** The playground's secure randomness when the runs were launched: the runs on further seeds follow it too. */
  secureNoise: boolean;
  /** The runs on the further seeds, once the runs on the preset seed are done; null before. */
  seeds: LessonSeeds | null;
}

export interface LessonSlice {
  lesson: OpenLesson | null;
  /** The welcome screen was dismissed (remembered in this browser). */
  introDismissed: boolean;
  openLesson(name: string): void;
  closeLesson(): void;
  setLessonStep(step: number): void;
  trainLesson(): void;
  /** Puts the open lesson's grid in the Sweep panel and its base in the controls (nothing runs yet); false when it has none. */
  loadLessonSweep(): boolean;
  /** Stops the runs on the further seeds (the runs on the preset seed keep their verdict). */
  cancelLessonSeeds(): void;
  dismissIntro(): void;
}

const INTRO_DISMISSED_KEY = 'autoclip.introDismissed';

/** A run view as the outcome check reads it (the same facts `autoclip lesson` records from the engine's events). */
function lessonRecord(label: string, run: RunView): LessonRunRecord {
  return {
    label,
    seed: run.config.seed,
    config: run.config,
    finalTestAccuracy: lastDefined(run.metrics, 'testAcc') ?? null,
    epsilon: run.config.privacy.enabled ? (lastDefined(run.metrics, 'epsilon') ?? null) : null,
    sigma: run.summary?.sigma ?? null,
    steps: run.metrics.length ? run.metrics[run.metrics.length - 1].step : 0,
    plannedSteps: run.summary?.totalSteps ?? 0,
    stopMessage: run.message ?? null,
    lastStepNorms: run.gradStats ? Array.from(run.gradStats.norms) : null,
  };
}

/** The records of the lesson's runs on the preset seed once every one is done; null before (or when a run is gone). */
function presetRecords(lesson: Lesson, open: Pick<OpenLesson, 'runIds'>, runs: Record<RunId, RunView>): LessonRunRecord[] | null {
  const views = lesson.runs.map((r) => [r.label, runs[open.runIds[r.label]]] as const);
  if (views.some(([, v]) => !v || v.state !== 'done')) return null;
  return views.map(([label, v]) => lessonRecord(label, v!));
}

/** The lesson's outcome on the preset seed once every one of its runs is done; null before (or when a run is gone). */
export function lessonOutcome(lesson: Lesson, open: Pick<OpenLesson, 'runIds'>, runs: Record<RunId, RunView>): LessonOutcome | null {
  const records = presetRecords(lesson, open, runs);
  if (!records) return null;
  try {
    return lesson.outcome(records);
  } catch {
    return null; // a run without the facts the check needs (e.g. no evaluation): no verdict rather than a wrong one
  }
}

type Deps = LessonSlice & {
  draft: RunConfig;
  sweepGrid: SweepGridDraft;
  runs: Record<RunId, RunView>;
  launchRuns(specs: readonly LaunchSpec[]): (RunId | null)[];
};

export function createLessonSlice(
  set: SetState<Deps>,
  get: GetState<Deps>,
  sink: CommandSink,
  storage?: Pick<Storage, 'getItem' | 'setItem'>,
): LessonSlice {
  /** The open lesson with its background runs stopped (they belong to runs being replaced or closed). */
  const withSeedsStopped = (open: OpenLesson): OpenLesson =>
    open.seeds?.status === 'running' ? { ...open, seeds: stopLessonSeeds(open.seeds, sink) } : open;
  return {
    lesson: null,
    introDismissed: storage?.getItem(INTRO_DISMISSED_KEY) === '1',
    openLesson(name) {
      const lesson = lessonByName(name);
      if (!lesson) return;
      const before = get().lesson;
      if (before) withSeedsStopped(before);
      // The lesson's preset becomes the draft (the controls show it), starting from its first run.
      set({
        draft: lesson.runs[0].config,
        lesson: { name, step: 0, runIds: {}, secureNoise: lesson.runs[0].config.privacy.secureNoise, seeds: null },
      });
    },
    closeLesson() {
      const open = get().lesson;
      if (open) withSeedsStopped(open);
      set({ lesson: null });
    },
    setLessonStep(step) {
      const open = get().lesson;
      const lesson = open && lessonByName(open.name);
      if (!open || !lesson) return;
      set({ lesson: { ...open, step: Math.max(0, Math.min(lesson.steps.length - 1, step)) } });
    },
    trainLesson() {
      const open = get().lesson;
      const lesson = open && lessonByName(open.name);
      if (!open || !lesson) return;
      withSeedsStopped(open);
      // Secure randomness follows the playground's setting, for these runs and the ones on further seeds.
      const secureNoise = get().draft.privacy.secureNoise;
      // The runs the lesson pictures draw their gradient plane from their first step on.
      const pictured = new Set(lesson.plane?.runs);
      const runs = presetSeedRuns(lesson, secureNoise);
      const ids = get().launchRuns(runs.map((r) => ({ ...r, planeEvery: pictured.has(r.label) ? lesson.plane?.every : undefined })));
      const runIds: Record<string, RunId> = {};
      runs.forEach((run, i) => {
        const id = ids[i];
        if (id) runIds[run.label] = id;
      });
      set({ lesson: { ...open, runIds, secureNoise, seeds: null } });
    },
    cancelLessonSeeds() {
      const open = get().lesson;
      if (open?.seeds?.status === 'running') set({ lesson: withSeedsStopped(open) });
    },
    loadLessonSweep() {
      const open = get().lesson;
      const sweep = open && lessonByName(open.name)?.sweep;
      if (!sweep) return false;
      // On the lesson's seeds (the preset's and the next ones), as its runs: one seed cannot tell a diagonal from noise.
      const seeds = 1 + LESSON_EXTRA_SEEDS;
      set({ draft: sweep.base, sweepGrid: { R: [...sweep.R], lr: [...sweep.lr], autoS: false, autoV: false, seeds } });
      return true;
    },
    dismissIntro() {
      storage?.setItem(INTRO_DISMISSED_KEY, '1');
      set({ introDismissed: true });
    },
  };
}

/**
 * After a frame of worker events (the runs already updated): folds the events of the lesson's
 * background runs, and starts them once every run on the preset seed is done.
 */
export function applyLessonEvents(set: SetState<Deps>, get: GetState<Deps>, sink: CommandSink, events: readonly WorkerEvent[]): void {
  const open = get().lesson;
  const lesson = open && lessonByName(open.name);
  if (!open || !lesson) return;
  if (open.seeds) {
    const next = lessonSeedsEvents(open.seeds, events, sink);
    if (next) set({ lesson: { ...open, seeds: next } });
    return;
  }
  if (Object.keys(open.runIds).length === 0) return;
  const preset = presetRecords(lesson, open, get().runs);
  if (preset) set({ lesson: { ...open, seeds: startLessonSeeds(preset, extraSeedRuns(lesson, open.secureNoise), sink) } });
}
